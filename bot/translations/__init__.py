"""Translations that know their German source: freshness, review state, exchange files for translators."""
