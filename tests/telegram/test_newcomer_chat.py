"""Conversations a newcomer has with the bot, end to end through PTB and the Bot API double."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.handoff.hours import OfficeHours
from bot.telegram.lanes import LaneRateLimiter
from tests.telegram.botapi_double import DEFAULT_TOKEN
from tests.telegram.conftest import World, running_world


async def test_start_greets_in_the_users_language_with_language_picker(world: World) -> None:
    amal = world.user(1, "ar")
    world.fake.send_text(amal, "/start")
    (greeting,) = await world.fake.wait_for_reply(amal)
    assert "مرحب" in (greeting.text or "")
    assert "lang_menu" in greeting.callback_datas
    world.fake.press_button(amal, greeting, "lang_menu")
    (picker,) = await world.fake.wait_for_reply(amal)
    assert "lang:uk" in picker.callback_datas
    world.fake.press_button(amal, picker, "lang:uk")
    set_msg, _ = await world.fake.wait_for_reply(amal, 2)
    assert "українськ" in (set_msg.text or "").lower()


async def test_deep_link_presets_language_town_and_topic(world: World) -> None:
    olena = world.user(2, None)
    world.fake.send_text(olena, "/start en_erkelenz_address-registration")
    _greeting, answer = await world.fake.wait_for_reply(olena, 2)
    assert "Registering your address" in (answer.text or "")
    assert "Teststraße 1, 41812 Erkelenz" in (answer.text or "")
    assert answer.callback_datas[:2] == ["fb:+:address-registration", "fb:-:address-registration"]


async def test_question_answer_card_open_now_and_vote(world: World) -> None:
    user = world.user(3, "de")
    world.fake.send_text(user, "/town")
    (picker,) = await world.fake.wait_for_reply(user)
    world.fake.press_button(user, picker, "town:erkelenz")
    await world.fake.wait_for_reply(user)
    world.fake.send_text(user, "wo kann ich meine wohnung anmelden?")
    (answer,) = await world.fake.wait_for_reply(user)
    feedback = answer
    assert answer.parse_mode == "HTML"
    assert "<b>Wohnung anmelden</b>" in (answer.raw_text or "")
    assert "📍 Teststraße 1, 41812 Erkelenz" in (answer.text or "")
    assert "(jetzt geöffnet)" in (answer.text or "")
    world.fake.press_button(user, feedback, "fb:+:address-registration")
    (thanks,) = await world.fake.wait_for_reply(user)
    assert "Danke" in (thanks.text or "")
    remaining = world.fake.message(user, feedback.message_id).callback_datas
    assert remaining == ["menu", "human"]  # a vote counts once; the navigation stays
    await world.idle()
    votes = await world.service.questions.feedback_by_entry(world.clock.now().replace(year=2000))
    assert votes == {"address-registration": (1, 0)}


async def test_did_you_mean_and_fallback(world: World) -> None:
    user = world.user(4, "de")
    world.fake.send_text(user, "wie wird das wetter morgen")
    (fallback,) = await world.fake.wait_for_reply(user)
    assert "keine sichere Antwort" in (fallback.text or "")
    assert {"menu", "human"} <= set(fallback.callback_datas)
    world.fake.send_text(user, "anmeldung kindergeld")
    (suggestion,) = await world.fake.wait_for_reply(user)
    assert "Meinten Sie" in (suggestion.text or "")
    assert "e:child-benefit" in suggestion.callback_datas
    world.fake.press_button(user, suggestion, "e:child-benefit")
    (answer,) = await world.fake.wait_for_reply(user)
    assert "Familienkasse" in (answer.text or "")


async def test_menu_categories_and_topics(world: World) -> None:
    user = world.user(5, "en")
    world.fake.send_text(user, "/menu")
    (menu,) = await world.fake.wait_for_reply(user)
    assert "🏛 Arrival" in menu.button_texts
    world.fake.press_button(user, menu, "cat:arrival")
    (topics,) = await world.fake.wait_for_reply(user)
    assert topics.button_texts == ["Registering your address", "Child benefit", "⬅️ Back"]
    world.fake.press_button(user, topics, "e:child-benefit")
    (answer,) = await world.fake.wait_for_reply(user)
    assert "Apply for child benefit" in (answer.text or "")


async def test_help_privacy_and_deleting_my_data(world: World) -> None:
    user = world.user(6, "de")
    world.fake.send_text(user, "kindergeld beantragen")
    await world.fake.wait_for_reply(user)
    world.fake.send_text(user, "/help")
    (help_msg,) = await world.fake.wait_for_reply(user)
    assert "/mydata" in (help_msg.text or "")
    world.fake.send_text(user, "/privacy")
    (privacy,) = await world.fake.wait_for_reply(user)
    assert "90 Tagen" in (privacy.text or "")
    world.fake.send_text(user, "/mydata")
    (mydata,) = await world.fake.wait_for_reply(user)
    assert "Gespeicherte Fragen: 1" in (mydata.text or "")
    world.fake.press_button(user, mydata, "del:ask")
    (confirm,) = await world.fake.wait_for_reply(user)
    world.fake.press_button(user, confirm, "del:yes")
    (done,) = await world.fake.wait_for_reply(user)
    assert "gelöscht" in (done.text or "")
    await world.idle()
    assert await world.service.users.get(user.id) is None
    assert await world.service.questions.count_for(user.id) == 0


@pytest.mark.parametrize(
    ("language", "text", "helpline"),
    [
        ("de", "ich will nicht mehr leben", "0800 111 0 111"),
        ("en", "i want to kill myself", "0800 111 0 111"),
        ("de", "mein mann schlägt mich", "116 016"),
    ],
)
async def test_crisis_gets_emergency_numbers_first(world: World, language: str, text: str, helpline: str) -> None:
    user = world.user(7, language)
    world.fake.send_text(user, text)
    first = (await world.fake.wait_for_reply(user))[0]
    assert "112" in (first.text or "")
    assert "110" in (first.text or "")
    assert helpline in (first.text or "")
    assert "human:urgent" in first.callback_datas


async def test_media_gets_a_kind_reply(world: World) -> None:
    user = world.user(8, "en")
    for send in (world.fake.send_photo, world.fake.send_voice, world.fake.send_sticker, world.fake.send_document):
        send(user)
        (reply,) = await world.fake.wait_for_reply(user)
        assert "only read text" in (reply.text or "")
        assert "human" in reply.callback_datas
    world.fake.send_location(user, latitude=51.06, longitude=6.09)
    (reply,) = await world.fake.wait_for_reply(user)
    assert "only read text" in (reply.text or "")


async def test_group_chats_stay_silent_unless_addressed(world: World) -> None:
    user = world.user(9, "de")
    group = world.fake.supergroup(-1002000000002, "Willkommen Erkelenz", members=[user])
    world.fake.send_text_in_group(user, group, "wo ist das jobcenter")
    await world.idle()
    await world.fake.expect_no_reply(group)
    world.fake.send_text_in_group(user, group, f"@{world.fake.bot_username} hilfe")
    (pointer,) = await world.fake.wait_for_reply(group)
    assert f"https://t.me/{world.fake.bot_username}" in (pointer.text or "")


async def test_localized_command_menus(world: World) -> None:
    scope = {"type": "all_private_chats"}
    german = dict(world.fake.bot_commands(scope, ""))
    arabic = dict(world.fake.bot_commands(scope, "ar"))
    assert set(german) == {"start", "menu", "language", "town", "human", "help", "privacy", "mydata"}
    assert german["mydata"] == "Meine Daten sehen und löschen"
    assert set(arabic) == set(german)
    assert arabic["help"] != german["help"]


async def test_html_escaping_and_splitting_of_long_answers(
    kb_dir: Path, tmp_path: Path, clock: FixedClock, office_hours: OfficeHours
) -> None:
    path = kb_dir / "faq" / "arrival.yaml"
    long_answer = "Kinder < 6 Jahre & Eltern <b>nicht</b> fett.\n\n" + ("Ein langer Satz zum Lesen. " * 60 + "\n\n") * 4
    text = path.read_text(encoding="utf-8").replace(
        'answer: {de: "Kindergeld beantragen Sie bei der Familienkasse.",',
        "answer: {de: " + repr(long_answer).replace("'", '"') + ",",
    )
    path.write_text(text, encoding="utf-8")
    async with running_world(kb_dir, tmp_path / "db.sqlite3", clock, office_hours) as world:
        user = world.user(10, "de")
        world.fake.send_text(user, "kindergeld beantragen")
        first, second = await world.fake.wait_for_reply(user, 2)
        feedback = second
        assert "Kinder < 6 Jahre & Eltern <b>nicht</b> fett." in (first.text or "")  # shown literally
        assert len(first.text or "") <= 4096
        assert len(second.text or "") <= 4096
        assert first.buttons == []
        assert len(second.buttons) == 2  # the vote and navigation rows, under the last part only
        assert feedback.callback_datas[0] == "fb:+:child-benefit"


async def test_blocked_user_is_marked_inactive_without_retry_storm(world: World) -> None:
    user = world.user(11, "de")
    world.fake.send_text(user, "/start")
    await world.fake.wait_for_reply(user)
    world.fake.block_bot(user)
    await world.idle()
    stored = await world.service.users.get(user.id)
    assert stored is not None
    assert not stored.active
    world.fake.unblock_bot(user)
    await world.idle()
    stored = await world.service.users.get(user.id)
    assert stored is not None
    assert stored.active


async def test_403_on_send_marks_inactive_and_is_not_retried(world: World) -> None:
    user = world.user(12, "de")
    world.fake.send_text(user, "/start")
    await world.fake.wait_for_reply(user)
    before = len(world.fake.calls_to("sendMessage"))
    world.fake.fail_next("sendMessage", "403", times=1)
    world.fake.send_text(user, "kindergeld beantragen")
    await world.idle()
    assert len(world.fake.calls_to("sendMessage")) == before + 1  # the answer, refused once, not retried
    stored = await world.service.users.get(user.id)
    assert stored is not None
    assert not stored.active


async def test_rate_limiter_is_on_and_token_never_logged(
    kb_dir: Path, tmp_path: Path, clock: FixedClock, office_hours: OfficeHours, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running_world(kb_dir, tmp_path / "rl.sqlite3", clock, office_hours, rate_limiter=True) as world:
        limiter = world.runtime.app.bot.rate_limiter
        assert isinstance(limiter, LaneRateLimiter)
        assert limiter.limits
        user = world.user(13, "de")
        world.fake.send_text(user, "kindergeld beantragen")
        await world.fake.wait_for_reply(user)
        assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING
    secret = DEFAULT_TOKEN.split(":")[1]
    assert all(secret not in record.getMessage() for record in caplog.records)
    assert all("kindergeld beantragen" not in record.getMessage() for record in caplog.records)
