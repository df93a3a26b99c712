"""The curated knowledge base: YAML files owned by editors, loaded into typed, immutable objects."""

from bot.knowledge.loader import KnowledgeError, load_knowledge
from bot.knowledge.model import (
    Category,
    Contact,
    Entry,
    KnowledgeBase,
    Localized,
    OpeningHours,
    Town,
)
from bot.knowledge.problems import Problem, Severity

__all__ = [
    "Category",
    "Contact",
    "Entry",
    "KnowledgeBase",
    "KnowledgeError",
    "Localized",
    "OpeningHours",
    "Problem",
    "Severity",
    "Town",
    "load_knowledge",
]
