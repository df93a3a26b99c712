"""Operators' commands in Telegram: reload without restart (keeping the last good version) and figures."""

from __future__ import annotations

import datetime as dt
import struct
import sys

import pytest

from bot.telegram.admin_stats import send_stats
from bot.telegram.render import visible_length
from tests.telegram.botapi_double import UploadedFile
from tests.telegram.conftest import ADMIN_ID, World


async def test_reload_keeps_last_good_version_and_reports_errors(world: World) -> None:
    admin = world.fake.user(ADMIN_ID, "Admin", "de")
    user = world.user(20, "de")
    faq = world.service.knowledge_dir / "faq" / "arrival.yaml"
    good = faq.read_text(encoding="utf-8")
    faq.write_text(
        good.replace("    category: arrival\n    contacts: []", "    category: nirgends\n    contacts: []"),
        encoding="utf-8",
    )
    world.fake.send_text(admin, "/reload")
    (report,) = await world.fake.wait_for_reply(admin)
    assert "Nicht geladen" in (report.text or "")
    assert "faq/arrival.yaml:24: entry 'child-benefit': unknown category 'nirgends'" in (report.text or "")
    world.fake.send_text(user, "kindergeld beantragen")  # still served from the last good version
    (answer,) = await world.fake.wait_for_reply(user)
    assert "Familienkasse" in (answer.text or "")
    faq.write_text(
        good.replace("Kindergeld beantragen Sie bei der Familienkasse.", "Neu: Antrag bei der Familienkasse."),
        encoding="utf-8",
    )
    world.fake.send_text(admin, "/reload")
    (report,) = await world.fake.wait_for_reply(admin)
    assert "neu geladen" in (report.text or "")
    world.fake.send_text(user, "kindergeld beantragen")
    (answer,) = await world.fake.wait_for_reply(user)
    assert "Neu: Antrag bei der Familienkasse." in (answer.text or "")


async def test_stats_for_admins_only(world: World) -> None:
    user = world.user(21, "de")
    world.fake.send_text(user, "kindergeld beantragen")
    await world.fake.wait_for_reply(user)
    world.fake.send_text(user, "/stats")  # not an admin: treated like any unknown command
    (reply,) = await world.fake.wait_for_reply(user)
    assert "<pre>" not in (reply.raw_text or "")
    admin = world.fake.user(ADMIN_ID, "Admin", "de")
    world.fake.send_text(admin, "/stats")
    photo, figures = await world.fake.wait_for_reply(admin, count=2)
    # the figures of 12 weeks are longer than a caption: the photo gets the title, the figures follow as text
    assert photo.kind == "photo"
    assert (photo.caption or "").startswith("Wegweiser – Zahlen (figures) ")
    assert "\n" not in (photo.caption or "")
    assert photo.parse_mode is None  # the title is plain text on purpose, not the bot's default HTML
    assert (figures.raw_text or "").startswith("<pre>Wegweiser – Zahlen")
    assert figures.parse_mode == "HTML"  # the default of the application, not set at the call
    assert "beantwortet (answered): 1 (100%)" in (figures.text or "")
    ((_, params),) = world.fake.calls_to("sendPhoto")
    upload = params["photo"]
    assert isinstance(upload, UploadedFile)
    assert upload.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", upload.content[16:24]) == (2338, 1654)  # IHDR: A4 at 200 dpi


async def test_short_figures_are_the_photo_caption(world: World) -> None:
    admin = world.fake.user(ADMIN_ID, "Admin", "de")
    world.fake.send_text(admin, "/start")  # a bot may only write to people who wrote to it first
    world.fake.send_text(world.user(22, "ar"), "kindergeld")
    await world.idle()
    world.fake.skip_replies(admin)
    await send_stats(world.runtime.app.bot, world.runtime.sender, ADMIN_ID, world.service, dt.timedelta(days=1))
    (photo,) = await world.fake.wait_for_reply(admin)
    assert photo.kind == "photo"
    assert (photo.raw_text or "").startswith("<pre>")
    assert photo.parse_mode == "HTML"
    assert "Fragen gesamt (questions): 1" in (photo.caption or "")
    assert visible_length(photo.caption or "") <= 1024
    await world.fake.expect_no_reply(admin)


async def test_stats_without_the_reports_extra_still_sends_the_figures(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.setitem(sys.modules, name, None)  # as if `wegweiser[reports]` were not installed
    admin = world.fake.user(ADMIN_ID, "Admin", "de")
    world.fake.send_text(admin, "/stats")
    (figures,) = await world.fake.wait_for_reply(admin)
    assert figures.kind == "text"
    assert (figures.raw_text or "").startswith("<pre>Wegweiser – Zahlen")
    assert world.fake.calls_to("sendPhoto") == []
