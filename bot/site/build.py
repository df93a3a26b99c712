"""Render the review site into a folder of plain HTML files (no server, no external requests)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from bot.clock import LOCAL_TZ
from bot.dialogue.cards import contact_card
from bot.knowledge.model import Contact, Entry, KnowledgeBase
from bot.languages import LANGUAGES, REFERENCE_LANGUAGE, RTL_LANGUAGES
from bot.telegram.render import to_html
from bot.translations.status import Status, TranslationStatus, entry_status

BADGE_TEXT = {
    Status.MISSING: "missing",
    Status.OUTDATED: "outdated",
    Status.UNTRACKED: "untracked",
    Status.DRAFT: "draft",
    Status.REVIEWED: "reviewed",
}


@dataclass(frozen=True)
class CardView:
    html: Markup
    unverified: tuple[str, ...]
    towns: str
    name_fallback: bool  # the contact's name is not written in this language yet


@dataclass(frozen=True)
class LanguageView:
    """One entry in one language, as the bot sends it, with its translation state."""

    code: str
    name: str
    direction: str
    message_html: Markup
    cards: tuple[CardView, ...]
    status: TranslationStatus | None  # None for German, the source
    fallback: bool  # the bot shows another language here because the translation is missing

    @property
    def badge(self) -> str:
        return BADGE_TEXT[self.status.status] if self.status else "source"


@dataclass(frozen=True)
class EntryView:
    id: str
    category: str
    file: str
    title_de: str
    languages: tuple[LanguageView, ...]
    search_text: str


def _telegram_html(text: str) -> Markup:
    """to_html escapes every character of the text and adds only <b>: the same HTML Telegram receives."""
    return Markup(to_html(text))  # safe: to_html escaped the text first


def _card(contact: Contact, language: str, kb: KnowledgeBase, now: dt.datetime) -> CardView:
    towns = "all towns" if contact.serves is None else ", ".join(kb.towns[t].name for t in sorted(contact.serves))
    unverified = tuple(sorted(f for f in contact.unverified if getattr(contact, f) is not None))
    card = _telegram_html(contact_card(contact, language, kb.texts, now))
    return CardView(card, unverified, towns, name_fallback=not contact.name.has(language))


def _language_view(kb: KnowledgeBase, entry: Entry, language: str, now: dt.datetime) -> LanguageView:
    status = None if language == REFERENCE_LANGUAGE else entry_status(entry, language)
    message = f"*{entry.title.get(language)}*\n\n{entry.answer.get(language)}"
    contacts = [kb.contacts[c] for c in entry.contacts if c in kb.contacts]
    return LanguageView(
        code=language,
        name=kb.texts.get(language, "language_name"),
        direction="rtl" if language in RTL_LANGUAGES else "ltr",
        message_html=_telegram_html(message),
        cards=tuple(_card(c, language, kb, now) for c in contacts),
        status=status,
        fallback=not (entry.title.has(language) and entry.answer.has(language)),
    )


def entry_views(kb: KnowledgeBase, now: dt.datetime) -> list[EntryView]:
    views = []
    for entry in kb.entries.values():
        languages = tuple(_language_view(kb, entry, lang, now) for lang in LANGUAGES)
        words = [entry.id, *entry.title.values.values(), *entry.keywords]
        category = (
            kb.categories[entry.category].title.get(REFERENCE_LANGUAGE) if entry.category in kb.categories else ""
        )
        views.append(
            EntryView(
                id=entry.id,
                category=category,
                file=entry.file,
                title_de=entry.title.get(REFERENCE_LANGUAGE),
                languages=languages,
                search_text=" ".join(words).lower(),
            )
        )
    return views


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("bot.site", "templates"),
        autoescape=True,  # every text from the YAML is escaped; only render.py's HTML is marked safe
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def build_site(kb: KnowledgeBase, out: Path, now: dt.datetime | None = None) -> list[Path]:
    """index.html, entries/<id>.html and languages/<code>.html; returns the pages written."""
    now = now or dt.datetime.now(LOCAL_TZ)
    env = _environment()
    entries = entry_views(kb, now)
    languages = [(lang, kb.texts.get(lang, "language_name")) for lang in LANGUAGES]
    common = {
        "entries": entries,
        "languages": languages,
        "rtl": RTL_LANGUAGES,
        "built": now.strftime("%Y-%m-%d %H:%M"),
        "version": kb.version,
    }
    totals = {
        lang: {
            s.value: sum(1 for e in entries for v in e.languages if v.code == lang and v.badge == s.value)
            for s in Status
        }
        for lang in LANGUAGES
        if lang != REFERENCE_LANGUAGE
    }
    pages: dict[Path, str] = {
        Path("index.html"): env.get_template("index.html.j2").render(
            **common, totals=totals, statuses=[s.value for s in Status], root=""
        )
    }
    for view in entries:
        pages[Path("entries") / f"{view.id}.html"] = env.get_template("entry.html.j2").render(
            **common, entry=view, root="../"
        )
    for position, (lang, name) in enumerate(languages):
        pages[Path("languages") / f"{lang}.html"] = env.get_template("language.html.j2").render(
            **common, lang=lang, name=name, position=position, root="../"
        )
    for relative, html in pages.items():
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    return [out / p for p in pages]
