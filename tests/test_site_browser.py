"""The review site in a real headless browser (Debian's chromium): loads cleanly, RTL works, search filters.

Skipped when /usr/bin/chromium is missing, unless WEGWEISER_REQUIRE_BROWSER=1 (CI), where that fails.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.clock import LOCAL_TZ
from bot.knowledge.loader import load_knowledge
from bot.site.build import build_site

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"

if not CHROMIUM.exists():
    if os.environ.get("WEGWEISER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} is missing but WEGWEISER_REQUIRE_BROWSER=1", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    kb, _ = load_knowledge(KNOWLEDGE)
    out = tmp_path_factory.mktemp("site")
    build_site(kb, out, dt.datetime(2026, 11, 23, 10, 0, tzinfo=LOCAL_TZ))
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        yield launched
        launched.close()


class Visit:
    """A page that records console errors, script errors and every request it makes."""

    def __init__(self, browser: Browser) -> None:
        self.page: Page = browser.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("request", lambda request: self.requests.append(request.url))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.errors.append(f"{message.type}: {message.text}")

    def open(self, path: Path) -> Page:
        self.page.goto(path.as_uri())
        return self.page


@pytest.fixture
def visit(browser: Browser) -> Iterator[Visit]:
    opened = Visit(browser)
    yield opened
    opened.page.close()


@pytest.mark.parametrize(
    "page", ["index.html", "entries/address-registration.html", "languages/ar.html", "languages/fa.html"]
)
def test_pages_load_without_errors_or_outside_requests(site: Path, visit: Visit, page: str) -> None:
    visit.open(site / page)
    assert visit.errors == []
    assert visit.requests
    assert all(url.startswith("file://") for url in visit.requests), visit.requests


def direction(page: Page, selector: str) -> Any:
    return page.eval_on_selector(selector, "element => getComputedStyle(element).direction")


def test_arabic_and_persian_read_right_to_left(site: Path, visit: Visit) -> None:
    for lang in ("ar", "fa"):
        page = visit.open(site / "languages" / f"{lang}.html")
        assert direction(page, "body") == "rtl"
        assert direction(page, "section.reading .message") == "rtl"
        assert direction(page, "details[lang=de]") == "ltr"  # the German source stays left-to-right
    page = visit.open(site / "entries" / "address-registration.html")
    assert direction(page, "#lang-ar .message") == "rtl"
    assert direction(page, "#lang-fa .message") == "rtl"
    assert direction(page, "#lang-uk .message") == "ltr"
    assert visit.errors == []


def test_search_shows_the_matching_entry_and_hides_the_others(site: Path, visit: Visit) -> None:
    page = visit.open(site / "index.html")
    total = page.locator("li.entry").count()
    assert total == len(load_knowledge(KNOWLEDGE)[0].entries)
    assert page.locator("li.entry:visible").count() == total

    page.locator("#search").press_sequentially("Kindergeld")
    assert page.locator("#e-child-benefit").is_visible()
    assert not page.locator("#e-address-registration").is_visible()
    assert 0 < page.locator("li.entry:visible").count() < total

    page.locator("#search").fill("")
    page.locator("#search").press_sequentially("تسجيل عنوان")  # Arabic words of the registration title
    assert page.locator("#e-address-registration").is_visible()
    assert not page.locator("#e-child-benefit").is_visible()

    page.locator("#search").fill("")
    assert page.locator("li.entry:visible").count() == total
    assert visit.errors == []
