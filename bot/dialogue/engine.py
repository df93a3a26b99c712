"""The dialogue core: what the bot does with each message, tap or command of a newcomer.

It knows nothing of Telegram. The Telegram layer and the console chat both call `on_text`,
`on_button`, `on_command` and `on_media` and render the returned Outcome.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.clock import Clock, from_text, to_text
from bot.crisis import reply as crisis_texts
from bot.crisis.classifier import CrisisClassifier
from bot.crisis.detector import CrisisDetector
from bot.crisis.net import CrisisVerdict, rules_and_classifier, second_hearing, second_net
from bot.dialogue import actions
from bot.dialogue.actions import Action, DeleteStep, Kind, Vote
from bot.dialogue.cards import as_of_line, contact_card
from bot.dialogue.intents import wants_person
from bot.dialogue.learning import learned_from_tap
from bot.dialogue.replies import (
    Button,
    Outcome,
    RelayToTicket,
    Reply,
    TicketCancelled,
    TicketDetailsChanged,
    TicketOpened,
    TicketReopened,
)
from bot.dialogue.smalltalk import SmallTalk, detect_small_talk
from bot.handoff.queue import HandoffQueue, join_questions
from bot.knowledge.model import WEEKDAYS, Entry, KnowledgeBase
from bot.languages import LANGUAGES, REFERENCE_LANGUAGE, normalise_language_code
from bot.matching.matcher import Decision, Matcher
from bot.matching.normalise import normalise
from bot.storage.questions import QuestionStore
from bot.storage.tickets import TicketStore
from bot.storage.users import User, UserStore

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1500
URGENT_AFTER_CRISIS = dt.timedelta(minutes=30)  # a handoff this soon after a crisis reply is urgent
RECENT_QUESTIONS = 3  # the questions a ticket card shows: what led to the request
Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Retention:
    """How long we keep what (GDPR): shown to users in /privacy and applied by the daily job."""

    question_days: int = 90
    ticket_days: int = 30
    inactive_user_days: int = 365


class Dialogue:
    """One instance serves all users; per-user state lives in the database, not here."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        users: UserStore,
        questions: QuestionStore,
        tickets: TicketStore,
        queue: HandoffQueue | None,
        clock: Clock,
        retention: Retention | None = None,
        classifier: CrisisClassifier | None = None,
        matcher: Matcher | None = None,
    ) -> None:
        self.classifier = classifier  # None: the rules and the matcher decide alone (see bot.crisis.net)
        self.users = users
        self.questions = questions
        self.tickets = tickets
        self.queue = queue  # None: no counsellors reachable (console chat)
        self.clock = clock
        self.retention = retention or Retention()
        self.use_knowledge(knowledge, matcher)

    def use_knowledge(self, knowledge: KnowledgeBase, matcher: Matcher | None = None) -> None:
        """Swap in a new knowledge version (reload); requests already running finish with the old one."""
        self.kb = knowledge
        self.matcher = matcher or Matcher(knowledge)
        self.crisis = CrisisDetector(knowledge.crisis_rules)
        self.town_words = {
            normalise(word): town.id
            for town in knowledge.towns.values()
            for word in (town.name, town.id, *town.aliases)
        }

    # -- helpers ------------------------------------------------------------------------------------

    def t(self, user: User, key: str, /, **values: object) -> str:
        return self.kb.texts.get(user.language or REFERENCE_LANGUAGE, key, **values)

    def lang(self, user: User) -> str:
        return user.language or REFERENCE_LANGUAGE

    async def _user(self, user_id: int, language_hint: str | None) -> User:
        now = self.clock.now()
        user, _ = await self.users.get_or_create(user_id, now)
        if user.language is None:
            user.language = normalise_language_code(language_hint)
        user.last_seen = now
        user.active = True
        return user

    def _nav(self, user: User, human: bool = True) -> tuple[Button, ...]:
        row = [Button(self.t(user, "button_menu"), actions.MENU)]
        if human:
            row.append(Button(self.t(user, "button_human"), actions.human()))
        return tuple(row)

    def language_keyboard(self) -> Keyboard:
        buttons = [Button(self.kb.texts.get(lang, "language_name"), actions.language(lang)) for lang in LANGUAGES]
        return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))

    def town_keyboard(self, user: User) -> Keyboard:
        buttons = [Button(town.name, actions.town(town.id)) for town in self.kb.towns.values()]
        rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
        rows.append((Button(self.t(user, "town_any"), actions.town(None)),))
        return tuple(rows)

    def menu_keyboard(self, user: User) -> Keyboard:
        lang = self.lang(user)
        buttons = [
            Button(f"{c.icon} {c.title.get(lang)}".strip(), actions.category(c.id))
            for c in self.kb.categories.values()
            if self.kb.entries_in(c.id)
        ]
        rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
        rows.append((Button(self.t(user, "button_human"), actions.human()),))
        return tuple(rows)

    def _find_town(self, text: str) -> str | None:
        words = normalise(text).split()
        for size in (3, 2, 1):
            for i in range(len(words) - size + 1):
                town = self.town_words.get(" ".join(words[i : i + size]))
                if town:
                    return town
        return None

    async def _save(self, user: User) -> None:
        if not user.pending.get("deleted"):  # a user who deleted their data must not be re-created
            await self.users.save(user)

    # -- entry points -------------------------------------------------------------------------------

    async def _step(
        self, user_id: int, language_hint: str | None, step: Callable[[User, Outcome], Awaitable[None]]
    ) -> Outcome:
        """Load the user, run one step of the dialogue, and save the user even if the step failed."""
        user = await self._user(user_id, language_hint)
        out = Outcome()
        try:
            await step(user, out)
        finally:
            await self._save(user)
        return out

    async def on_text(self, user_id: int, text: str, language_hint: str | None = None) -> Outcome:
        return await self._step(user_id, language_hint, lambda user, out: self._text(user, text, out))

    async def on_button(self, user_id: int, action: str, language_hint: str | None = None) -> Outcome:
        return await self._step(user_id, language_hint, lambda user, out: self._button(user, action, out))

    async def on_command(self, user_id: int, command: str, args: str = "", language_hint: str | None = None) -> Outcome:
        return await self._step(
            user_id, language_hint, lambda user, out: self._command(user, command.lower(), args.strip(), out)
        )

    async def on_media(self, user_id: int, kind: str, language_hint: str | None = None) -> Outcome:
        """Photos, voice, documents...: to the counsellors during a ticket, otherwise a kind reply."""
        return await self._step(user_id, language_hint, self._media)

    async def _media(self, user: User, out: Outcome) -> None:
        ticket = await self.tickets.open_for_user(user.user_id)
        if ticket is not None:
            out.effects.append(RelayToTicket(ticket.id))
            await self._ack_relay(user, ticket.id, out)
        else:
            out.say(self.t(user, "unsupported_media"), (self._nav(user),))

    # -- text ----------------------------------------------------------------------------------------

    async def _text(self, user: User, text: str, out: Outcome) -> None:
        text = text.strip()
        if not normalise(text):
            out.say(self.t(user, "empty_message"), (self._nav(user),))
            return
        probability = await self._crisis_probability(text)
        weights = self.classifier.weights if self.classifier else None
        ticket = await self.tickets.open_for_user(user.user_id)
        # matched before the crisis decision (a confident ordinary answer weighs the classifier); a message into
        # an open ticket is not matched at all
        fits = ticket is None and len(text) <= MAX_QUESTION_CHARS
        early = self.matcher.match(text, user.language) if fits else None
        verdict = rules_and_classifier(
            self.crisis, self.kb, text, early, probability, weights, in_ticket=ticket is not None
        )
        if verdict.vetoed:  # the rules found something the classifier held back: its sentences heard on their own
            verdict = await self._second_hearing(text, verdict)
        hits = verdict.hits
        danger = verdict.signal is not None
        if danger:
            self._crisis_reply(user, text, [h.kind for h in hits], hits[0].language if hits else None, out)
        if ticket is not None:
            if danger and not ticket.urgent:
                await self.tickets.mark_urgent(ticket.id)
                out.effects.append(TicketDetailsChanged(ticket.id))
            out.effects.append(RelayToTicket(ticket.id))
            await self._ack_relay(user, ticket.id, out)
            return
        if early is None:  # longer than MAX_QUESTION_CHARS
            out.say(self.t(user, "message_too_long"), (self._nav(user),))
            return
        result = early
        town = self._find_town(text)
        if town:
            user.town = town
        pending_entry = user.pending.pop("await_town", None)
        if pending_entry and town and pending_entry in self.kb.entries:
            self._answer(user, self.kb.entries[pending_entry], out)
            return
        small_talk = detect_small_talk(text)
        if small_talk is SmallTalk.GREETING:
            out.say(self.t(user, "greeting"), (self._nav(user, human=False),))
            return
        if small_talk is SmallTalk.THANKS:
            out.say(self.t(user, "smalltalk_thanks"))
            return
        if not danger and second_net(self.kb, result, probability=probability, weights=weights):
            danger = True
            self._crisis_reply(user, text, [], None, out)
        if user.language is None and result.language:
            user.language = result.language
        nearest = result.candidates[0].entry_id if result.candidates else None
        decision = "crisis" if danger else result.decision.value
        await self._record(user, text, decision, result.entry_id, result.score, nearest)
        answer = self.kb.entries.get(result.entry_id or "") if result.decision is Decision.ANSWER else None
        if (answer is not None and answer.is_handoff) or (answer is None and wants_person(text)):
            await self._open_ticket(user, out)  # "I want a person" in words: the request itself, at once
            return
        user.pending["last_question"] = text[:500]
        recent = [q for q in user.pending.get("recent_questions", []) if isinstance(q, str)]
        user.pending["recent_questions"] = [*recent, text[:500]][-RECENT_QUESTIONS:]
        user.pending["asked_at"] = to_text(self.clock.now())
        if result.decision is Decision.ANSWER and result.entry_id:
            self._answer(user, self.kb.entries[result.entry_id], out)
        elif danger:  # the numbers and the person are the answer: no suggestions or "I don't know"
            return
        elif result.decision is Decision.SUGGEST:
            self._suggest(user, self.matcher.suggestions(result), out)
        else:
            user.pending["last_answer"] = "fallback"
            out.say(self.t(user, "fallback"), (self._nav(user),))

    async def _crisis_probability(self, text: str) -> float | None:
        """The classifier's view, in a worker thread (about 10 ms of C code); None if it is absent or fails,
        and then the rules decide unweighed: a broken classifier must never silence them."""
        if self.classifier is None:
            return None
        try:
            return await asyncio.to_thread(self.classifier.probability, text)
        except Exception as error:  # any failure of the native engine: fall back, keep serving
            log.warning("crisis classifier failed (%s); rules only for this message", type(error).__name__)
            return None

    async def _second_hearing(self, text: str, verdict: CrisisVerdict) -> CrisisVerdict:
        """second_hearing in a worker thread; if the classifier fails the verdict stands as it was."""
        if self.classifier is None:
            return verdict
        try:
            return await asyncio.to_thread(second_hearing, self.crisis, text, verdict, self.classifier.probabilities)
        except Exception as error:  # as in _crisis_probability: never let the classifier break a reply
            log.warning("crisis classifier failed on sentences (%s)", type(error).__name__)
            return verdict

    def _crisis_reply(self, user: User, text: str, kinds: list[str], rule_language: str | None, out: Outcome) -> None:
        """Emergency numbers before anything else, in the message's language, marked for the fast lane."""
        lang = crisis_texts.reply_language(text, user.language, rule_language) or self.lang(user)
        texts = self.kb.texts
        keys = crisis_texts.situation_texts(kinds)
        if keys:
            body = "\n".join([texts.get(lang, crisis_texts.NUMBERS_TEXT), *(texts.get(lang, k) for k in keys)])
        else:
            body = texts.get(lang, crisis_texts.GENERAL_TEXT)
        button = Button(texts.get(lang, crisis_texts.BUTTON_TEXT), actions.human(urgent=True))
        out.replies.insert(0, Reply(body, ((button,),)))
        out.urgent = True
        user.pending["crisis_at"] = to_text(self.clock.now())

    def _after_crisis(self, user: User) -> bool:
        when = user.pending.get("crisis_at")
        return isinstance(when, str) and self.clock.now() - from_text(when) <= URGENT_AFTER_CRISIS

    async def _record(
        self, user: User, text: str, decision: str, entry: str | None, score: float, nearest: str | None
    ) -> None:
        await self.questions.add(
            user.user_id,
            self.clock.now(),
            user.language,
            text[:MAX_QUESTION_CHARS],
            decision,
            entry,
            score,
            nearest,
        )

    def _suggest(self, user: User, entry_ids: list[str], out: Outcome) -> None:
        lang = self.lang(user)
        rows = [
            (Button(self.kb.entries[e].title.get(lang), actions.entry(e)),) for e in entry_ids if e in self.kb.entries
        ]
        rows.append((Button(self.t(user, "suggest_none"), actions.NONE),))
        user.pending["last_answer"] = "suggest: " + ", ".join(entry_ids)
        out.say(self.t(user, "suggest_prompt"), tuple(rows))

    def _answer(self, user: User, entry: Entry, out: Outcome) -> None:
        """The reviewed answer with its contacts; asks for the town first when that changes the answer."""
        if user.town is None and self.kb.depends_on_town(entry) and not user.pending.get("town_skipped"):
            user.pending["await_town"] = entry.id
            out.say(self.t(user, "town_needed"), self.town_keyboard(user))
            return
        lang = self.lang(user)
        now = self.clock.now()
        user.pending["last_entry"] = entry.id
        user.pending["last_answer"] = entry.title.get(REFERENCE_LANGUAGE)
        body = f"*{entry.title.get(lang)}*\n\n{entry.answer.get(lang)}"
        as_of = as_of_line(entry, lang, self.kb.texts)
        if as_of:
            body += f"\n\n{as_of}"
        cards = [
            contact_card(c, lang, self.kb.texts, now, self.kb.fallback_of(c))
            for c in self.kb.contacts_of(entry, user.town)
        ]
        if entry.is_handoff:
            # the entry's answer tells people to tap "Yes": keep these two buttons in that wording
            prompt = self.t(user, "handoff_offer")
            buttons: Keyboard = (
                (Button(self.t(user, "button_yes"), actions.human()), Button(self.t(user, "button_no"), actions.MENU)),
            )
        else:
            prompt = self.t(user, "feedback_prompt")
            votes = (
                Button("👍", actions.feedback(Vote.UP, entry.id)),
                Button("👎", actions.feedback(Vote.DOWN, entry.id)),
            )
            buttons = (votes, self._nav(user))
        # one message with the buttons under it; in a crisis the emergency numbers stand alone first
        if entry.crisis:
            out.say(body)
            out.say("\n\n".join([*cards, prompt]), buttons)
        else:
            out.say("\n\n".join([body, *cards, prompt]), buttons)

    # -- buttons ------------------------------------------------------------------------------------

    async def _button(self, user: User, data: str, out: Outcome) -> None:
        pressed = actions.unpack(data)
        if pressed is None:  # old or forged button: answer with the menu rather than an error
            out.say(self.t(user, "menu_prompt"), self.menu_keyboard(user))
            return
        kind, value = pressed.kind, pressed.arg(0)
        if kind is Kind.LANGUAGE and value in LANGUAGES:
            user.language = value
            out.say(self.t(user, "language_set"))
            out.say(self.t(user, "greeting"), (self._nav(user, human=False),))
        elif kind is Kind.TOWN:
            await self._set_town(user, value, out)
        elif kind is Kind.MENU:
            out.say(self.t(user, "menu_prompt"), self.menu_keyboard(user))
        elif kind is Kind.LANGUAGE_MENU:
            out.say(self.t(user, "language_prompt"), self.language_keyboard())
        elif kind is Kind.CATEGORY and value in self.kb.categories:
            self._category(user, value, out)
        elif kind is Kind.ENTRY and value in self.kb.entries:
            now = self.clock.now()
            learned = learned_from_tap(user.pending, value, now)
            if learned:  # the tap labels the question the bot could not answer (report learn)
                await self.questions.learned.add(user.user_id, now, user.language, learned[0], value, learned[1])
            await self._record(user, "", "menu", value, 1.0, value)
            self._answer(user, self.kb.entries[value], out)
        elif kind is Kind.NONE:
            out.say(self.t(user, "fallback"), (self._nav(user),))
        elif kind is Kind.FEEDBACK:
            await self._feedback(user, pressed, out)
        elif kind is Kind.HUMAN:
            await self._open_ticket(user, out, urgent=value == actions.URGENT or self._after_crisis(user))
        elif kind is Kind.CANCEL_TICKET:
            await self._cancel_ticket(user, out)
        elif kind is Kind.SOLVED:
            await self._solved(user, pressed, out)
        elif kind is Kind.CONSENT:
            await self._consent(user, pressed.yes(), out)
        elif kind is Kind.DELETE:
            await self._delete(user, value, out)
        else:  # a value we do not know, or the counsellors' button: the menu too
            out.say(self.t(user, "menu_prompt"), self.menu_keyboard(user))

    async def _set_town(self, user: User, value: str, out: Outcome) -> None:
        pending = user.pending.pop("await_town", None)
        answering = pending in self.kb.entries
        if value in self.kb.towns:
            user.town = value
            user.pending.pop("town_skipped", None)
            if not answering:  # the answer itself shows the town's offices: no extra message
                out.say(self.t(user, "town_set", town=self.kb.towns[value].name))
        else:
            user.town = None
            user.pending["town_skipped"] = True
            if not answering:
                out.say(self.t(user, "town_cleared"))
        if answering:
            self._answer(user, self.kb.entries[str(pending)], out)

    def _category(self, user: User, category: str, out: Outcome) -> None:
        lang = self.lang(user)
        rows = [(Button(e.title.get(lang), actions.entry(e.id)),) for e in self.kb.entries_in(category)]
        rows.append((Button(self.t(user, "button_back"), actions.MENU),))
        title = self.kb.categories[category].title.get(lang)
        out.say(self.t(user, "menu_category_prompt", category=title), tuple(rows))

    async def _feedback(self, user: User, pressed: Action, out: Outcome) -> None:
        vote, entry_id = pressed.vote(), pressed.arg(1)
        if entry_id not in self.kb.entries or vote is None:
            return
        await self.questions.add_feedback(user.user_id, entry_id, 1 if vote is Vote.UP else -1, self.clock.now())
        if vote is Vote.UP:
            out.say(self.t(user, "feedback_thanks"))
        else:
            out.say(self.t(user, "feedback_sorry"), (self._nav(user),))

    # -- handoff ------------------------------------------------------------------------------------

    def _hours_text(self, user: User) -> str:
        assert self.queue is not None
        hours = self.queue.hours
        if not hours.configured:
            return self.t(user, "hours_unknown")
        day_names = {i: self.t(user, f"day_{d}") for i, d in enumerate(WEEKDAYS)}
        return hours.describe(day_names)

    async def _open_ticket(self, user: User, out: Outcome, urgent: bool = False) -> None:
        if self.queue is None:
            out.say(self.t(user, "handoff_console"), (self._nav(user, human=False),))
            return
        last_entry = self.kb.entries.get(str(user.pending.get("last_entry")))
        topic = last_entry.title.get(REFERENCE_LANGUAGE) if last_entry else None
        recent = [q for q in user.pending.get("recent_questions", []) if isinstance(q, str)]
        status = await self.queue.open(
            user.user_id,
            user.language,
            user.town,
            topic,
            join_questions(recent) or user.pending.get("last_question"),
            user.pending.get("last_answer"),
            urgent=urgent,
        )
        if status is None:
            out.say(self.t(user, "handoff_limited"), (self._nav(user, human=False),))
            return
        cancel = ((Button(self.t(user, "handoff_cancel_button"), actions.CANCEL_TICKET),),)
        if not status.created:
            if urgent:
                out.effects.append(TicketDetailsChanged(status.ticket.id))
            out.say(self.t(user, "handoff_already_open", position=max(status.position, 1)), cancel)
            return
        out.effects.append(TicketOpened(status.ticket.id))
        hours = self._hours_text(user)
        out.say(self.t(user, "handoff_opened", position=status.position, hours=hours), cancel)
        if self.queue.hours.configured and not status.open_now and status.next_open is not None:
            day = self.t(user, f"day_{WEEKDAYS[status.next_open.weekday()]}")
            out.say(self.t(user, "handoff_outside_hours", next_open=f"{day} {status.next_open:%d.%m. %H:%M}"))
        out.say(
            self.t(user, "handoff_consent"),
            (
                (
                    Button(self.t(user, "button_yes"), actions.consent(yes=True)),
                    Button(self.t(user, "button_no"), actions.consent(yes=False)),
                ),
            ),
        )

    async def _ack_relay(self, user: User, ticket_id: int, out: Outcome) -> None:
        """Confirm the first message of a ticket only; a chat with a person should not echo every line."""
        if user.pending.get("acked") != ticket_id:
            user.pending["acked"] = ticket_id
            out.say(self.t(user, "handoff_forwarded"))

    async def _cancel_ticket(self, user: User, out: Outcome) -> None:
        ticket = await self.queue.cancel(user.user_id) if self.queue else None
        if ticket is not None:
            out.effects.append(TicketCancelled(ticket.id, ticket.thread_id))
        out.say(self.t(user, "handoff_cancelled"), (self._nav(user, human=False),))

    async def _solved(self, user: User, pressed: Action, out: Outcome) -> None:
        ticket_id = pressed.ticket_id()
        ticket = await self.tickets.get(ticket_id) if ticket_id is not None else None
        if ticket is None or ticket.user_id != user.user_id:
            # forged, or about a ticket that is gone: nothing of anyone else's may change
            out.say(self.t(user, "menu_prompt"), self.menu_keyboard(user))
            return
        if pressed.yes():
            out.say(self.t(user, "handoff_solved_thanks"), (self._nav(user, human=False),))
            return
        reopened = await self.queue.reopen(ticket.id, user.user_id) if self.queue else None
        if reopened is not None:
            out.effects.append(TicketReopened(reopened.id))
            user.pending.pop("acked", None)
            out.say(self.t(user, "handoff_reopened"))
        else:
            await self._open_ticket(user, out)

    async def _consent(self, user: User, agreed: bool, out: Outcome) -> None:
        user.share_name = agreed
        if not agreed:
            user.display_name = None
        ticket = await self.tickets.open_for_user(user.user_id)
        if ticket is not None:
            out.effects.append(TicketDetailsChanged(ticket.id))
        out.say(self.t(user, "consent_yes" if agreed else "consent_no"))

    # -- commands -----------------------------------------------------------------------------------

    async def _command(self, user: User, command: str, args: str, out: Outcome) -> None:
        if command == "start":
            await self._start(user, args, out)
        elif command == "menu":
            out.say(self.t(user, "menu_prompt"), self.menu_keyboard(user))
        elif command == "language":
            out.say(self.t(user, "language_prompt"), self.language_keyboard())
        elif command == "town":
            out.say(self.t(user, "town_prompt"), self.town_keyboard(user))
        elif command == "help":
            out.say(self.t(user, "help"), (self._nav(user),))
        elif command == "privacy":
            out.say(
                self.t(
                    user, "privacy", question_days=self.retention.question_days, ticket_days=self.retention.ticket_days
                )
            )
        elif command in ("mydata", "delete"):
            await self._my_data(user, out)
        elif command == "human":
            await self._open_ticket(user, out, urgent=self._after_crisis(user))
        elif command == "cancel":
            await self._cancel_ticket(user, out)
        else:
            out.say(self.t(user, "help"), (self._nav(user),))

    async def _start(self, user: User, payload: str, out: Outcome) -> None:
        """Deep links from posters: parts separated by "_" set the language, the town or open a topic."""
        entry: Entry | None = None
        for part in payload.lower().split("_") if payload else []:
            if part in LANGUAGES:
                user.language = part
            elif part in self.kb.towns:
                user.town = part
            elif part in self.kb.entries:
                entry = self.kb.entries[part]
        if user.language is None:  # Telegram told us no language: ask, in all of them, before anything else
            prompt = "\n".join(self.kb.texts.get(lang, "language_prompt") for lang in LANGUAGES)
            out.say(prompt, self.language_keyboard())
            if entry is not None:
                self._answer(user, entry, out)
            return
        out.say(
            self.t(user, "greeting"),
            (self._nav(user, human=False), (Button(self.t(user, "button_language"), actions.LANGUAGE_MENU),)),
        )
        if entry is not None:
            self._answer(user, entry, out)

    async def _my_data(self, user: User, out: Outcome) -> None:
        known_town = self.kb.towns.get(user.town or "")
        town = known_town.name if known_town else self.t(user, "mydata_none")
        language = self.kb.texts.get(user.language, "language_name") if user.language else self.t(user, "mydata_none")
        since = f"{user.created_at:%d.%m.%Y}" if user.created_at else "-"
        lines = [
            self.t(user, "mydata_header"),
            "- " + self.t(user, "mydata_language", language=language),
            "- " + self.t(user, "mydata_town", town=town),
            "- " + self.t(user, "mydata_since", date=since),
            "- " + self.t(user, "mydata_questions", count=await self.questions.count_for(user.user_id)),
            "- " + self.t(user, "mydata_feedback", count=await self.questions.feedback_count_for(user.user_id)),
            "- " + self.t(user, "mydata_tickets", count=await self.tickets.count_for_user(user.user_id)),
        ]
        delete = Button(self.t(user, "mydata_delete_button"), actions.delete(DeleteStep.ASK))
        out.say("\n".join(lines), ((delete,),), markup=False)

    async def _delete(self, user: User, value: str, out: Outcome) -> None:
        if value == DeleteStep.ASK:
            out.say(
                self.t(user, "delete_confirm"),
                (
                    (
                        Button(self.t(user, "button_yes"), actions.delete(DeleteStep.YES)),
                        Button(self.t(user, "button_no"), actions.delete(DeleteStep.NO)),
                    ),
                ),
            )
            return
        if value != DeleteStep.YES:
            out.say(self.t(user, "delete_cancelled"))
            return
        ticket = await self.queue.cancel(user.user_id) if self.queue else None
        if ticket is not None:
            out.effects.append(TicketCancelled(ticket.id, ticket.thread_id))
        done = self.t(user, "delete_done")
        await self.questions.delete_user(user.user_id)
        await self.tickets.delete_user(user.user_id)
        await self.users.delete(user.user_id)
        user.pending = {"deleted": True}
        out.say(done)
