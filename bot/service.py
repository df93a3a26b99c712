"""The core service with a lifecycle: database, knowledge, matcher, dialogue and queue, built once.

Both the Telegram application and the console chat start one of these; tests do too.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from bot.clock import Clock
from bot.crisis.classifier import load_classifier
from bot.dialogue.engine import Dialogue, Retention
from bot.handoff.hours import OfficeHours
from bot.handoff.queue import HandoffQueue
from bot.knowledge.loader import KnowledgeError, load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.knowledge.problems import Problem
from bot.matching.hybrid import build_matcher
from bot.matching.semantic import VectorStore, vector_store_beside
from bot.pseudonyms import key_from_text, new_key, use_key
from bot.storage.db import Database
from bot.storage.inbox import InboxStore
from bot.storage.questions import QuestionStore
from bot.storage.tickets import TicketStore
from bot.storage.users import UserStore

log = logging.getLogger(__name__)

LOG_KEY_NAME = "log_pseudonym_key"


@dataclass(frozen=True)
class ReloadResult:
    ok: bool
    version: str
    problems: tuple[Problem, ...]


class CoreService:
    def __init__(
        self,
        knowledge_dir: Path,
        db_path: Path | str,
        clock: Clock | None = None,
        office_hours: OfficeHours | None = None,
        retention: Retention | None = None,
        handoff: bool = True,
        log_key: str | None = None,
        crisis_classifier: bool = True,
        semantic_matching: bool = True,
        vector_cache: Path | None = None,
    ) -> None:
        self.knowledge_dir = Path(knowledge_dir)
        self.db = Database(db_path)
        self.clock = clock or Clock()
        self.users = UserStore(self.db)
        self.questions = QuestionStore(self.db)
        self.tickets = TicketStore(self.db)
        self.queue = HandoffQueue(self.tickets, office_hours or OfficeHours(), self.clock) if handoff else None
        self.retention = retention or Retention()
        self._dialogue: Dialogue | None = None
        self._reload_lock = asyncio.Lock()
        self._log_key = log_key
        self._use_classifier = crisis_classifier  # False: rules and matcher only (a few tests of the old nets)
        self._semantic = semantic_matching  # False: the lexical index alone (bot.matching.hybrid)
        # the example questions' vectors: beside the database, or where the caller says (the console chat's
        # database lives in memory, its vectors need not)
        self._vectors = VectorStore(vector_cache) if vector_cache else vector_store_beside(db_path)

    @property
    def dialogue(self) -> Dialogue:
        if self._dialogue is None:
            raise RuntimeError("CoreService.start() was not called")
        return self._dialogue

    @property
    def knowledge(self) -> KnowledgeBase:
        return self.dialogue.kb

    async def start(self) -> None:
        """Raises KnowledgeError (with every problem) if the knowledge files cannot be used."""
        knowledge, _ = load_knowledge(self.knowledge_dir)
        await self.db.open()
        await self._use_log_key()
        classifier = None
        if self._use_classifier:
            classifier = await asyncio.to_thread(load_classifier)  # maps the 72 MB model once per process
            if classifier is None:
                log.warning("crisis classifier missing: the crisis nets run without it")
        matcher = await asyncio.to_thread(build_matcher, knowledge, self._semantic, self._vectors)
        self._dialogue = Dialogue(
            knowledge,
            self.users,
            self.questions,
            self.tickets,
            self.queue,
            self.clock,
            self.retention,
            classifier,
            matcher,
        )
        log.info("knowledge %s loaded: %d entries", knowledge.version, len(knowledge.entries))

    async def _use_log_key(self) -> None:
        """The secret behind log pseudonyms: BOT_LOG_KEY, or one generated once and kept in the database."""
        text = self._log_key
        if not text:
            kv = InboxStore(self.db)
            text = await kv.get_value(LOG_KEY_NAME)
            if text is None:
                text = new_key()
                await kv.set_value(LOG_KEY_NAME, text)
        use_key(key_from_text(text))

    async def stop(self) -> None:
        await self.db.close()

    async def reload(self) -> ReloadResult:
        """Load the knowledge again; on errors keep serving the last good version."""
        async with self._reload_lock:
            try:
                knowledge, problems = await asyncio.to_thread(load_knowledge, self.knowledge_dir)
                matcher = await asyncio.to_thread(build_matcher, knowledge, self._semantic, self._vectors)
            except KnowledgeError as exc:
                log.warning("knowledge reload refused: %d problem(s)", len(exc.problems))
                return ReloadResult(False, self.knowledge.version, tuple(exc.problems))
            self.dialogue.use_knowledge(knowledge, matcher)
            log.info("knowledge reloaded: version %s", knowledge.version)
            return ReloadResult(True, knowledge.version, tuple(problems))

    async def apply_retention(self) -> dict[str, int]:
        """The daily GDPR job: forget texts, old tickets' counsellors and topics, and inactive users after the
        configured periods; what stays for the figures carries no user id. Forum topics are queued here and
        deleted in Telegram by the caller (`bot/telegram/topic_cleanup.py`)."""
        now = self.clock.now()
        question_cutoff = now - dt.timedelta(days=self.retention.question_days)
        ticket_cutoff = now - dt.timedelta(days=self.retention.ticket_days)
        removed = {
            "question_texts": await self.questions.expire_texts(question_cutoff),
            "dialogue_states": await self.users.expire_pending(question_cutoff),
            "ticket_texts": await self.tickets.expire_closed(ticket_cutoff, now),
            "inactive_users": await self.users.forget_inactive(
                now - dt.timedelta(days=self.retention.inactive_user_days)
            ),
        }
        removed["anonymised_rows"] = await self.questions.anonymise_orphans() + await self.tickets.anonymise_orphans()
        await self.db.scrub()
        return removed
