"""The static review site: what it shows, and that no entry text can inject markup."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from bot.cli import main
from bot.clock import LOCAL_TZ
from bot.knowledge.loader import load_knowledge
from bot.site.build import build_site

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=LOCAL_TZ)


def test_site_has_an_index_a_page_per_entry_and_per_language(kb_dir: Path, tmp_path: Path) -> None:
    kb, _ = load_knowledge(kb_dir)
    pages = build_site(kb, tmp_path / "site", NOW)
    names = {str(p.relative_to(tmp_path / "site")) for p in pages}
    assert "index.html" in names
    assert {f"entries/{e}.html" for e in kb.entries} <= names
    assert {f"languages/{lang}.html" for lang in kb.languages} <= names
    assert all(p.is_file() for p in pages)


def test_arabic_and_persian_pages_are_right_to_left(kb_dir: Path, tmp_path: Path) -> None:
    kb, _ = load_knowledge(kb_dir)
    build_site(kb, tmp_path / "site", NOW)
    for lang in ("ar", "fa"):
        assert f'<html lang="{lang}" dir="rtl">' in (tmp_path / "site" / "languages" / f"{lang}.html").read_text()
    assert '<html lang="uk" dir="ltr">' in (tmp_path / "site" / "languages" / "uk.html").read_text()
    entry = (tmp_path / "site" / "entries" / "address-registration.html").read_text()
    assert '<article lang="ar" dir="rtl" id="lang-ar">' in entry
    assert '<article lang="en" dir="ltr" id="lang-en">' in entry


def test_entry_page_shows_the_bot_text_cards_and_badges(kb_dir: Path, tmp_path: Path) -> None:
    kb, _ = load_knowledge(kb_dir)
    build_site(kb, tmp_path / "site", NOW)
    page = (tmp_path / "site" / "entries" / "address-registration.html").read_text()
    # the answer as Telegram gets it: *bold* as <b>, list items as bullets
    assert "<b>Wohnungsgeberbestätigung</b>" in page
    assert "• Pass mitbringen" in page
    # the contact card as the bot builds it; the unconfirmed phone is not on the card but flagged
    assert "Teststraße 1, 41812 Erkelenz" in page
    assert "+49 0000 222" not in page
    assert "unverified contact: phone" in page
    ar = page[page.index('id="lang-ar"') : page.index('id="lang-uk"')]
    assert ar.count("contact name not translated") == 2  # the test contacts have German/English names only
    assert 'class="badge b-untracked"' in page
    child = (tmp_path / "site" / "entries" / "child-benefit.html").read_text()
    assert 'class="badge b-missing"' in child
    assert "no translation: the bot shows English or German here" in child


def test_outdated_and_reviewed_badges_follow_the_knowledge(kb_dir: Path, tmp_path: Path) -> None:
    review = ["translations", "review", "--knowledge", str(kb_dir), "--lang", "ar", "--entry", "address-registration"]
    assert main([*review, "--by", "R. Test", "--date", "2026-11-30"]) == 0
    assert main(["translations", "stamp", "--knowledge", str(kb_dir)]) == 0
    path = kb_dir / "faq" / "arrival.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Wohnung anmelden", "Wohnung ummelden", 1), encoding="utf-8"
    )
    assert main(["site", "--knowledge", str(kb_dir), "-o", str(tmp_path / "site")]) == 0
    page = (tmp_path / "site" / "entries" / "address-registration.html").read_text()
    en = page[page.index('id="lang-en"') : page.index('id="lang-ar"')]
    assert 'class="badge b-outdated"' in en
    assert "German title changed since this translation" in en
    index = (tmp_path / "site" / "index.html").read_text()
    # en: missing / outdated / untracked / draft / reviewed
    assert (
        '<a href="languages/en.html" lang="en">English</a></th><td>0</td><td>1</td><td>0</td><td>3</td><td>0</td>'
        in index
    )
    ar = (tmp_path / "site" / "languages" / "ar.html").read_text()
    assert "was reviewed by R. Test on 2026-11-30, before the German changed" in ar
    assert 'class="badge b-outdated"' in ar


def test_entry_text_is_escaped_and_nothing_is_loaded_from_elsewhere(kb_dir: Path, tmp_path: Path) -> None:
    path = kb_dir / "faq" / "arrival.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"Registering your address"', '"<script>alert(1)</script> & co"'), encoding="utf-8")
    kb, _ = load_knowledge(kb_dir)
    for page in build_site(kb, tmp_path / "site", NOW):
        html = page.read_text()
        assert "<script>alert" not in html
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), page
        assert html.count("<script>") <= 1  # only the inline search on the index
    index = (tmp_path / "site" / "index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in index
