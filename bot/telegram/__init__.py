"""The Telegram layer: translates updates to the dialogue core and its replies to Bot API calls.

Import submodules directly; `render` has no PTB dependency so the editors' checker can use it.
"""
