"""SQLite storage (aiosqlite): the only place with SQL."""

from bot.storage.db import Database, StorageError
from bot.storage.questions import QuestionRecord, QuestionStore
from bot.storage.tickets import Ticket, TicketStatus, TicketStore
from bot.storage.users import User, UserStore

__all__ = [
    "Database",
    "QuestionRecord",
    "QuestionStore",
    "StorageError",
    "Ticket",
    "TicketStatus",
    "TicketStore",
    "User",
    "UserStore",
]
