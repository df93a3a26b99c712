"""A static review site: every entry in every language as the bot shows it, for reviewers who do not read YAML."""
