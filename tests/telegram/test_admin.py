"""Operators' commands in Telegram: reload without restart (keeping the last good version) and figures."""

from __future__ import annotations

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
    replies = await world.fake.wait_for_reply(admin)
    assert (replies[0].raw_text or "").startswith("<pre>")
    assert "answer" in (replies[0].text or "").lower() or "beantwortet" in (replies[0].text or "").lower()
