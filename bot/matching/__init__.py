"""Matching free-text questions to FAQ entries, across languages and scripts."""

from bot.matching.language import detect_language
from bot.matching.matcher import Candidate, Decision, Matcher, MatchResult, Thresholds
from bot.matching.normalise import normalise

__all__ = ["Candidate", "Decision", "MatchResult", "Matcher", "Thresholds", "detect_language", "normalise"]
