"""Issue #14 end to end: forged buttons, group traffic vs. private replies, per-user limits, triage cards,
who said what, membership, and the newcomer's way to a person."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.handoff.hours import OfficeHours
from bot.telegram.counsellors import MembershipCache
from bot.telegram.lanes import Lane, PrioritySlots
from bot.telegram.sender import SendKeys
from tests.telegram.botapi_double import StoredMessage, UserHandle
from tests.telegram.conftest import GROUP_ID, World, running_world
from tests.telegram.test_counsellor_handoff import open_ticket


async def ticket_of(world: World, user: UserHandle) -> int:
    ticket = await world.service.tickets.open_for_user(user.id)
    assert ticket is not None
    return ticket.id


def sends_to(world: World, chat_id: int) -> list[dict[str, object]]:
    return [c.params for c in world.fake.calls if c.params.get("chat_id") in (chat_id, str(chat_id))]


# -- 1, 2: forged and stale button data ----------------------------------------------------------------


async def test_forged_solved_cannot_reopen_someone_elses_ticket(world: World) -> None:
    victim, mallory = world.user(20, "de", "Vera"), world.user(21, "de", "Mallory")
    card = await open_ticket(world, victim)
    ticket_id = await ticket_of(world, victim)
    ticket = await world.service.tickets.get(ticket_id)
    assert ticket is not None
    assert ticket.thread_id is not None
    world.fake.press_button(world.ben, card, f"t:close:{ticket_id}", chat=GROUP_ID)
    await world.fake.wait_for_reply(victim)  # "was your question solved?"
    await world.idle()
    world.fake.send_text(mallory, "/start")
    (greeting,) = await world.fake.wait_for_reply(mallory)
    world.fake.forge_callback(mallory, greeting, f"solved:n:{ticket_id}")
    (reply,) = await world.fake.wait_for_reply(mallory)
    await world.idle()
    closed = await world.service.tickets.get(ticket_id)
    assert closed is not None
    assert closed.status == "closed"
    assert await world.service.tickets.open_for_user(mallory.id) is None
    assert "cat:" in " ".join(reply.callback_datas)  # Mallory just gets the menu
    # the victim's next question is answered, not copied into the old topic
    before = len(world.fake.sent_to(GROUP_ID, ticket.thread_id))
    world.fake.send_text(victim, "wo kann ich meine wohnung anmelden")
    await world.fake.wait_for_reply(victim)
    await world.idle()
    assert len(world.fake.sent_to(GROUP_ID, ticket.thread_id)) == before
    # and what a counsellor writes in the closed topic does not reach the victim
    world.fake.send_text_in_topic(world.anna, GROUP_ID, ticket.thread_id, "Hallo?")
    await world.idle()
    await world.fake.expect_no_reply(victim)
    # garbage numbers neither crash nor change anything
    world.fake.forge_callback(mallory, greeting, "solved:n:99999999999999999999999")
    await world.fake.wait_for_reply(mallory)


@pytest.mark.parametrize("data", ["e:child-benefit", "human", "garbage", "solved:n:1", "lang:de", "consent:y"])
async def test_button_presses_in_the_group_never_reach_the_newcomer_side(world: World, data: str) -> None:
    user = world.user(22, "de")
    card = await open_ticket(world, user)
    calls_before = len(world.fake.calls)
    query = world.fake.forge_callback(world.anna, card, data, chat=GROUP_ID)
    await world.idle()
    answer = world.fake.callback_answer(query)
    assert answer is not None
    assert answer["text"] == "Nicht erlaubt."
    assert await world.service.users.get(world.anna.id) is None  # no newcomer record for the counsellor
    assert await world.service.tickets.open_for_user(world.anna.id) is None
    new_calls = world.fake.calls[calls_before:]
    assert [c.method for c in new_calls if c.method != "getUpdates"] == ["answerCallbackQuery"]


async def test_card_buttons_in_a_private_chat_and_on_other_chats_are_refused(world: World) -> None:
    user, stranger = world.user(23, "de"), world.user(24, "de")
    await open_ticket(world, user)
    ticket_id = await ticket_of(world, user)
    world.fake.send_text(stranger, "/start")
    (greeting,) = await world.fake.wait_for_reply(stranger)
    member_calls = len(world.fake.calls_to("getChatMember"))
    world.fake.forge_callback(stranger, greeting, f"t:close:{ticket_id}")
    # a press claiming to come from the user on the stranger's message: not their chat
    world.fake.forge_callback(user, greeting, "hcancel", chat=stranger)
    await world.idle()
    still = await world.service.tickets.get(ticket_id)
    assert still is not None
    assert still.status == "waiting"
    assert len(world.fake.calls_to("getChatMember")) == member_calls  # the chat is checked first


# -- 3: lanes -------------------------------------------------------------------------------------------


async def test_priority_slots_serve_crisis_then_private_then_group() -> None:
    slots = PrioritySlots(size=1, group_share=1)
    order: list[str] = []
    await slots.acquire(Lane.PRIVATE)

    async def take(name: str, lane: Lane) -> None:
        async with slots.slot(lane):
            order.append(name)

    tasks = [asyncio.create_task(take(n, lane)) for n, lane in (("g", Lane.GROUP), ("p", Lane.PRIVATE))]
    await asyncio.sleep(0)
    tasks.append(asyncio.create_task(take("c", Lane.CRISIS)))
    await asyncio.sleep(0)
    slots.release(Lane.PRIVATE)
    await asyncio.gather(*tasks)
    assert order == ["c", "p", "g"]


async def test_group_share_leaves_slots_for_private_replies() -> None:
    slots = PrioritySlots(size=3, group_share=2)
    await slots.acquire(Lane.GROUP)
    await slots.acquire(Lane.GROUP)
    third_group = asyncio.create_task(slots.acquire(Lane.GROUP))
    await asyncio.sleep(0)
    assert not third_group.done()  # the group may not take the last slot
    await asyncio.wait_for(slots.acquire(Lane.PRIVATE), 0.1)
    slots.release(Lane.GROUP)
    await asyncio.wait_for(third_group, 0.1)


@pytest.mark.parametrize("over_http", [False, True], ids=["inprocess", "http"])
async def test_private_replies_do_not_wait_for_a_saturated_group(
    kb_dir: Path, tmp_path: Path, clock: FixedClock, office_hours: OfficeHours, over_http: bool
) -> None:
    """With Telegram's limits on and the group's 20 messages a minute used up, /help still comes at once."""
    db = tmp_path / "lanes.sqlite3"
    async with running_world(kb_dir, db, clock, office_hours, rate_limiter=True, over_http=over_http) as world:
        world.fake.flood(None, group_per_minute=20)
        sender = world.runtime.sender
        backlog = [
            asyncio.create_task(sender.send_text(GROUP_ID, f"Gruppe {i}", keys=SendKeys(None))) for i in range(40)
        ]
        await world.fake.wait_until(lambda: len(world.fake.sent_to_general(GROUP_ID)) >= 20, timeout=10)
        await asyncio.sleep(0.2)
        assert len(world.fake.sent_to_general(GROUP_ID)) == 20  # the rest waits for the group's minute
        latencies = []
        for i in range(5):
            user = world.user(30 + i, "de")
            start = time.monotonic()
            world.fake.send_text(user, "/help")
            await world.fake.wait_for_reply(user, timeout=5)
            latencies.append(time.monotonic() - start)
        assert max(latencies) < 1.0, latencies
        assert not any(task.done() for task in backlog[20:])
        assert all(c.ok for c in world.fake.calls if c.method == "sendMessage")  # no 429: limits kept
        for task in backlog:
            task.cancel()
        await asyncio.gather(*backlog, return_exceptions=True)


# -- 4: per-user limits ---------------------------------------------------------------------------------


async def test_a_flood_of_messages_is_batched_not_lost(world: World) -> None:
    user = world.user(40, "de")
    await open_ticket(world, user)
    ticket_id = await ticket_of(world, user)
    ticket = await world.service.tickets.get(ticket_id)
    assert ticket is not None
    assert ticket.thread_id is not None
    before = len(world.fake.sent_to(GROUP_ID, ticket.thread_id))
    texts = [f"nachricht {i}" for i in range(40)]
    for text in texts:
        world.fake.send_text(user, text)
    await world.idle()
    in_topic = world.fake.sent_to(GROUP_ID, ticket.thread_id)[before:]
    assert len(in_topic) <= 8 + 1  # the limit, and one note that more come batched
    assert sum("gesammelt" in (m.text or "") for m in in_topic) == 1
    told = [m.text or "" for m in world.fake.sent_to(user)]
    assert sum("gesammelt" in t for t in told) == 1  # the newcomer is told once, kindly
    assert world.runtime.desk is not None
    assert await world.runtime.desk.flush_all() == 1
    batch = world.fake.sent_to(GROUP_ID, ticket.thread_id)[-1]
    assert (batch.text or "").startswith(f"👤 Person #{ticket_id}: 32 weitere Nachrichten")
    shown = "\n".join(m.text or "" for m in world.fake.sent_to(GROUP_ID, ticket.thread_id))
    assert all(f"{t}\n" in shown + "\n" for t in texts)  # nothing silently dropped
    assert await world.runtime.desk.flush_all() == 0
    # a minute later single messages are relayed again
    world.clock.advance(minutes=2)
    world.fake.send_text(user, "noch eine frage")
    await world.idle()
    assert world.fake.sent_to(GROUP_ID, ticket.thread_id)[-1].text == f"👤 Person #{ticket_id}:\nnoch eine frage"


async def test_tickets_per_day_are_limited(world: World) -> None:
    user = world.user(41, "de")
    for _ in range(3):
        world.fake.send_text(user, "/human")
        opened = (await world.fake.wait_for_reply(user, 2))[0]
        assert "Nummer" in (opened.text or "")
        world.fake.send_text(user, "/cancel")
        await world.fake.wait_for_reply(user)
        await world.idle()
    world.fake.send_text(user, "/human")
    (limited,) = await world.fake.wait_for_reply(user)
    assert "schon mehrmals" in (limited.text or "")
    await world.idle()
    assert len(world.fake.topics(GROUP_ID)) == 3
    world.clock.advance(days=1, minutes=1)
    world.fake.send_text(user, "/human")
    assert "Nummer" in ((await world.fake.wait_for_reply(user, 2))[0].text or "")


# -- 5, 6: cards and who said what ------------------------------------------------------------------------


async def test_card_shows_the_questions_that_led_to_the_request(world: World) -> None:
    user = world.user(50, "de")
    world.fake.send_text(user, "wie wird das wetter morgen")
    await world.fake.wait_for_reply(user)
    world.fake.send_text(user, "wo bekomme ich hilfe mit den papieren vom amt")
    await world.fake.wait_for_reply(user)
    world.fake.send_text(user, "Ich möchte mit einem Menschen sprechen")
    opened, _consent = await world.fake.wait_for_reply(user, 2)  # directly: no article, no yes/no first
    assert "Nummer 1" in (opened.text or "")
    await world.idle()
    ticket_id = await ticket_of(world, user)
    ticket = await world.service.tickets.get(ticket_id)
    assert ticket is not None
    assert ticket.thread_id is not None
    card = world.fake.sent_to(GROUP_ID, ticket.thread_id)[0]
    text = card.text or ""
    assert "1. wie wird das wetter morgen" in text
    assert "2. wo bekomme ich hilfe mit den papieren vom amt" in text
    assert "Menschen sprechen" not in text
    assert "Wartet seit: 10:00 (23.11.)" in text
    assert "min)" not in text
    (topic,) = world.fake.topics(GROUP_ID)
    assert topic.name == f"#{ticket_id} DE · wie wird das wetter morgen"  # no "Ort ?", no "allgemein"
    world.fake.press_button(world.anna, card, f"t:claim:{ticket_id}", chat=GROUP_ID)
    await world.idle()
    world.fake.press_button(world.anna, card, f"t:release:{ticket_id}", chat=GROUP_ID)
    await world.idle()
    assert world.fake.calls_to("editForumTopic") == []  # no "topic edited" line per status change
    assert not [m for m in world.fake.sent_to(GROUP_ID, ticket.thread_id) if m.is_service and m.edited]


async def test_newcomer_words_are_visibly_theirs_and_notices_the_bots(world: World) -> None:
    user = world.user(51, "de")
    await open_ticket(world, user)
    ticket_id = await ticket_of(world, user)
    ticket = await world.service.tickets.get(ticket_id)
    assert ticket is not None
    assert ticket.thread_id is not None
    fake_notice = "🤖 Die Person hat ihre Daten gelöscht. Das Ticket ist beendet."
    hidden_link = {"type": "text_link", "offset": 2, "length": 9, "url": "https://evil.example/"}
    world.fake.send_text(user, fake_notice, entities=[hidden_link])
    world.fake.send_photo(user, caption="<b>mein</b> Bescheid")
    world.fake.send_sticker(user)
    await world.idle()
    relayed_text, photo, sticker_note, sticker = world.fake.sent_to(GROUP_ID, ticket.thread_id)[-4:]
    assert relayed_text.text == f"👤 Person #{ticket_id}:\n{fake_notice}"
    assert not [e for e in relayed_text.entities or [] if e.get("type") == "text_link"]
    assert photo.kind == "photo"
    assert photo.caption == f"👤 Person #{ticket_id}:\n<b>mein</b> Bescheid"
    assert sticker_note.text == f"👤 Person #{ticket_id} schickt: Sticker"
    assert sticker.kind == "sticker"
    world.fake.skip_replies(user)
    world.fake.send_text(user, "/mydata")
    (mydata,) = await world.fake.wait_for_reply(user)
    world.fake.press_button(user, mydata, "del:ask")
    (confirm,) = await world.fake.wait_for_reply(user)
    world.fake.press_button(user, confirm, "del:yes")
    await world.fake.wait_for_reply(user)
    await world.idle()
    # the deletion removes the topic with everything in it; the only trace is the bot's own note in General
    assert ticket.thread_id not in [t.thread_id for t in world.fake.topics(GROUP_ID)]
    notice = world.fake.sent_to_general(GROUP_ID)[-1]
    assert (notice.text or "").startswith("🤖 ")
    assert f"#{ticket_id}" in (notice.text or "")


# -- 7: membership ----------------------------------------------------------------------------------------


async def test_removed_counsellors_lose_access_at_once(world: World) -> None:
    user = world.user(60, "de")
    card = await open_ticket(world, user)
    ticket_id = await ticket_of(world, user)
    world.fake.press_button(world.ben, card, f"t:claim:{ticket_id}", chat=GROUP_ID)
    await world.idle()
    world.fake.press_button(world.ben, card, f"t:release:{ticket_id}", chat=GROUP_ID)
    await world.idle()  # Ben's membership is cached now
    world.fake.remove_member(GROUP_ID, world.ben)
    # Anna is in BOT_CONFIG's counsellor list: that list alone does not let her act
    world.fake.set_member_status(GROUP_ID, world.anna, "kicked")
    await world.idle()
    member_calls = len(world.fake.calls_to("getChatMember"))
    for who in (world.ben, world.anna):
        query = world.fake.forge_callback(who, card, f"t:close:{ticket_id}", chat=GROUP_ID)
        await world.idle()
        answer = world.fake.callback_answer(query)
        assert answer is not None
        assert answer["text"] == "Nicht erlaubt."
    assert len(world.fake.calls_to("getChatMember")) == member_calls  # known from the updates, no lookup
    still = await world.service.tickets.get(ticket_id)
    assert still is not None
    assert still.status == "waiting"


def test_membership_cache_is_bounded_and_expires() -> None:
    cache = MembershipCache(ttl=60, size=2)
    cache.put(1, True)
    cache.put(2, True)
    cache.put(3, False)
    assert len(cache) == 2
    assert cache.get(1) is None  # the oldest went first
    assert (cache.get(2), cache.get(3)) == (True, False)
    expired = MembershipCache(ttl=0, size=2)
    expired.put(1, True)
    assert expired.get(1) is None


# -- 8: the newcomer's side --------------------------------------------------------------------------------

PERSON_REQUESTS = {
    "de": ["Ich möchte mit einem Menschen sprechen", "mitarbeiter bitte"],
    "en": ["I want to talk to a person", "can I speak to a human please"],
    "ar": ["أريد التحدث مع شخص", "بدي احكي مع موظف"],
    "uk": ["Хочу поговорити з людиною", "Мені потрібен консультант"],
    "ru": ["Хочу поговорить с человеком", "Мне нужен оператор"],
    "tr": ["Bir insanla konuşmak istiyorum", "danışmanla görüşmek istiyorum"],
    "fa": ["می‌خواهم با یک شخص صحبت کنم", "با مشاور حرف بزنم لطفا"],
}


async def test_asking_for_a_person_in_words_opens_the_request_in_all_languages(world: World) -> None:
    uid = 70
    for language, phrases in PERSON_REQUESTS.items():
        for phrase in phrases:
            user = world.user(uid, language)
            uid += 1
            world.fake.send_text(user, phrase)
            opened, consent = await world.fake.wait_for_reply(user, 2)
            assert "hcancel" in opened.callback_datas, (language, phrase, opened.text)
            assert consent.callback_datas == ["consent:y", "consent:n"]
            world.fake.send_text(user, "/cancel")
            await world.fake.wait_for_reply(user)
    await world.idle()


async def test_consent_answer_fits(world: World) -> None:
    user = world.user(90, "en")
    world.fake.send_text(user, "/human")
    _, consent = await world.fake.wait_for_reply(user, 2)
    world.fake.press_button(user, consent, "consent:y")
    (reply,) = await world.fake.wait_for_reply(user)
    assert "will see your Telegram name" in (reply.text or "")
    assert "feedback" not in (reply.text or "").lower()


async def test_user_without_language_gets_a_picker(world: World) -> None:
    user = world.user(91, None)
    world.fake.send_text(user, "/start")
    (picker,) = await world.fake.wait_for_reply(user)
    assert {"lang:de", "lang:ar", "lang:fa", "lang:tr"} <= set(picker.callback_datas)
    assert "Please choose your language" in (picker.text or "")


async def test_town_question_and_answer_in_two_messages(world: World) -> None:
    user = world.user(92, "de")
    world.fake.send_text(user, "wo kann ich meine wohnung anmelden")
    (question,) = await world.fake.wait_for_reply(user)
    assert "town:erkelenz" in question.callback_datas
    world.fake.press_button(user, question, "town:erkelenz")
    (answer,) = await world.fake.wait_for_reply(user)
    assert "Erkelenz" in (answer.text or "")
    await world.idle()
    await world.fake.expect_no_reply(user)


async def test_edited_message_is_not_answered_again(world: World) -> None:
    user = world.user(93, "de")
    sent = world.fake.send_text(user, "wo kann ich meine wohnung anmelden")
    await world.fake.wait_for_reply(user)
    world.fake.edit_text(user, sent, "wo kann ich meine wohnung anmelden bitte")
    await world.idle()
    await world.fake.expect_no_reply(user)


async def test_vote_on_an_old_answer_keeps_its_menu(world: World) -> None:
    user = world.user(94, "de")
    world.fake.send_text(user, "/town")
    (picker,) = await world.fake.wait_for_reply(user)
    world.fake.press_button(user, picker, "town:erkelenz")
    await world.fake.wait_for_reply(user)
    world.fake.send_text(user, "wo kann ich meine wohnung anmelden")
    (old,) = await world.fake.wait_for_reply(user)
    world.fake.send_text(user, "/menu")
    await world.fake.wait_for_reply(user)
    world.fake.press_button(user, old, "fb:-:address-registration")
    await world.fake.wait_for_reply(user)
    await world.idle()
    after: StoredMessage = world.fake.message(user, old.message_id)
    assert after.callback_datas == ["menu", "human"]  # only the vote row went


async def test_vote_on_an_inaccessible_message_does_not_wipe_its_buttons(world: World) -> None:
    user = world.user(95, "de")
    world.fake.send_text(user, "kindergeld beantragen")
    (answer,) = await world.fake.wait_for_reply(user)
    buttons = list(answer.callback_datas)
    world.fake.forge_callback(user, answer, "fb:+:child-benefit", inaccessible=True)
    (thanks,) = await world.fake.wait_for_reply(user)
    assert "Danke" in (thanks.text or "")
    await world.idle()
    assert world.fake.message(user, answer.message_id).callback_datas == buttons


async def test_an_edit_during_a_ticket_reaches_the_counsellors_marked_as_edited(world: World) -> None:
    user = world.user(96, "de")
    await open_ticket(world, user)
    ticket_id = await ticket_of(world, user)
    ticket = await world.service.tickets.get(ticket_id)
    assert ticket is not None
    sent = world.fake.send_text(user, "ich wohne in der Hauptstr. 1")
    await world.idle()
    world.fake.skip_replies(user)
    world.fake.edit_text(user, sent, "ich wohne in der Hauptstr. 11")
    await world.idle()
    last = world.fake.sent_to(GROUP_ID, ticket.thread_id)[-1]
    assert last.text == f"👤 Person #{ticket_id} (bearbeitet):\nich wohne in der Hauptstr. 11"
    await world.fake.expect_no_reply(user)  # and no second answer to the newcomer
