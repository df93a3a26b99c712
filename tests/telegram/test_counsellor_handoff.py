"""The counsellor queue end to end: two newcomers, two counsellors, a forum group with topics."""

from __future__ import annotations

from pathlib import Path

from bot.clock import FixedClock
from bot.handoff.hours import OfficeHours
from tests.telegram.botapi_double import StoredMessage, UserHandle
from tests.telegram.conftest import GROUP_ID, World, running_world


async def open_ticket(world: World, user: UserHandle, question: str = "kindergeld beantragen") -> StoredMessage:
    """The newcomer asks, then taps "talk to a person"; returns the ticket card in the new topic."""
    world.fake.send_text(user, question)
    replies = await world.fake.wait_for_reply(user)
    if "town:erkelenz" in replies[-1].callback_datas:  # the answer depends on the town: pick one
        world.fake.press_button(user, replies[-1], "town:erkelenz")
        replies = await world.fake.wait_for_reply(user)  # the answer, with the town's offices
    world.fake.press_button(user, replies[-1], "human")
    await world.fake.wait_for_reply(user, 2)  # queue position + consent question
    await world.idle()
    ticket = await world.service.tickets.open_for_user(user.id)
    assert ticket is not None
    assert ticket.thread_id is not None
    return world.fake.sent_to(GROUP_ID, ticket.thread_id)[0]


async def test_ticket_topic_card_and_relay_both_ways(world: World) -> None:
    amal = world.user(1, "ar", "Amal")
    card = await open_ticket(world, amal, "كيف اسجل عنواني")
    ticket = await world.service.tickets.open_for_user(amal.id)
    assert ticket is not None
    topics = world.fake.topics(GROUP_ID)
    assert [t.name for t in topics] == [f"#{ticket.id} AR · Erkelenz · Wohnung anmelden"]
    text = card.text or ""
    assert "Sprache: العربية (ar)" in text
    assert "Frage: كيف اسجل عنواني" in text
    assert "Name: verborgen" in text  # no consent yet
    assert card.callback_datas == [f"t:claim:{ticket.id}", f"t:close:{ticket.id}"]
    mention = world.fake.sent_to(GROUP_ID, ticket.thread_id)[1]
    assert "tg://user?id=900" in (mention.raw_text or "")  # Anna speaks Arabic
    # the newcomer writes while waiting: the message is copied into the topic
    world.fake.send_text(amal, "عندي سؤال عن الاوراق")
    (_ack,) = await world.fake.wait_for_reply(amal)
    await world.idle()
    relayed = world.fake.sent_to(GROUP_ID, ticket.thread_id)[-1]
    assert relayed.text == f"👤 Person #{ticket.id}:\nعندي سؤال عن الاوراق"  # visibly the newcomer's words
    # the counsellor answers in the topic: it reaches the newcomer, marked as the team's
    world.fake.send_text_in_topic(world.anna, GROUP_ID, ticket.thread_id, "Hallo, bringen Sie Ihren Pass <mit> & Foto")
    (answer,) = await world.fake.wait_for_reply(amal)
    assert (answer.text or "").startswith("فريق")
    assert "Hallo, bringen Sie Ihren Pass <mit> & Foto" in (answer.text or "")
    await world.idle()
    claimed = await world.service.tickets.get(ticket.id)
    assert claimed is not None
    assert (claimed.status, claimed.claimed_by) == ("claimed", 900)  # answering claims the ticket


async def test_media_both_ways_and_internal_notes(world: World) -> None:
    user = world.user(2, "de")
    await open_ticket(world, user)
    ticket = await world.service.tickets.open_for_user(user.id)
    assert ticket is not None
    world.fake.send_photo(user, caption="mein Bescheid")
    await world.fake.wait_for_reply(user)
    world.fake.send_voice(user)
    await world.idle()
    kinds = [m.kind for m in world.fake.sent_to(GROUP_ID, ticket.thread_id)[-2:]]
    assert kinds == ["photo", "voice"]
    world.fake.send_text_in_topic(world.ben, GROUP_ID, ticket.thread_id, "/note Person wirkt unsicher, Termin anbieten")
    await world.idle()
    await world.fake.expect_no_reply(user)
    world.fake.send_photo_in_topic(world.ben, GROUP_ID, ticket.thread_id, caption="So sieht das Formular aus")
    (photo,) = await world.fake.wait_for_reply(user)
    assert photo.kind == "photo"
    assert photo.caption == "Beratungsteam:\nSo sieht das Formular aus"


async def test_two_counsellors_claim_at_once_one_wins(world: World) -> None:
    user = world.user(3, "de")
    card = await open_ticket(world, user)
    ticket = await world.service.tickets.open_for_user(user.id)
    assert ticket is not None
    first = world.fake.press_button(world.anna, card, f"t:claim:{ticket.id}", chat=GROUP_ID)
    second = world.fake.press_button(world.ben, card, f"t:claim:{ticket.id}", chat=GROUP_ID)
    await world.idle()
    answers = [world.fake.callback_answer(first), world.fake.callback_answer(second)]
    assert sorted(a["text"] for a in answers if a) == ["Schon übernommen oder geschlossen.", "Übernommen."]
    claimed = await world.service.tickets.get(ticket.id)
    assert claimed is not None
    assert claimed.status == "claimed"
    assert claimed.claimed_by_name == "Anna"
    told = world.fake.sent_to(user)[-1]
    assert "kümmert sich" in (told.text or "")
    refreshed = world.fake.message(GROUP_ID, card.message_id)
    assert "Bearbeitet von: Anna" in (refreshed.text or "")
    assert refreshed.callback_datas == [f"t:release:{ticket.id}", f"t:close:{ticket.id}"]


async def test_close_asks_the_newcomer_and_no_reopens(world: World) -> None:
    user = world.user(4, "de")
    card = await open_ticket(world, user)
    ticket = await world.service.tickets.open_for_user(user.id)
    assert ticket is not None
    world.fake.press_button(world.ben, card, f"t:close:{ticket.id}", chat=GROUP_ID)
    (question,) = await world.fake.wait_for_reply(user)
    assert "beendet" in (question.text or "")
    assert question.callback_datas == [f"solved:y:{ticket.id}", f"solved:n:{ticket.id}"]
    await world.idle()
    assert world.fake.topics(GROUP_ID)[0].closed
    # a counsellor (an admin may write in closed topics) writes after closing: not delivered, the group is told
    world.fake.send_text_in_topic(world.anna, GROUP_ID, ticket.thread_id, "Noch eine Info")
    await world.idle()
    await world.fake.expect_no_reply(user)
    assert "geschlossen" in (world.fake.sent_to(GROUP_ID, ticket.thread_id)[-1].text or "")
    world.fake.press_button(user, question, f"solved:n:{ticket.id}")
    (reopened,) = await world.fake.wait_for_reply(user)
    assert "wieder geöffnet" in (reopened.text or "")
    await world.idle()
    again = await world.service.tickets.get(ticket.id)
    assert again is not None
    assert again.status == "waiting"
    assert not world.fake.topics(GROUP_ID)[0].closed


async def test_newcomer_can_cancel_and_queue_positions(world: World) -> None:
    first, second = world.user(5, "de"), world.user(6, "en")
    await open_ticket(world, first)
    world.fake.send_text(second, "/human")
    opened = await world.fake.wait_for_reply(second, 2)
    assert "number 2" in (opened[0].text or "").lower()
    world.fake.send_text(world.anna, "/queue", chat=GROUP_ID)
    await world.idle()
    overview = world.fake.sent_to_general(GROUP_ID)[-1]
    lines = (overview.text or "").splitlines()
    assert "DE" in lines[1]
    assert "EN" in lines[2]  # longest waiting first
    world.fake.press_button(second, opened[0], "hcancel")
    (cancelled,) = await world.fake.wait_for_reply(second)
    assert "ended" in (cancelled.text or "").lower()
    await world.idle()
    assert await world.service.tickets.open_for_user(second.id) is None


async def test_newcomer_blocks_bot_mid_ticket(world: World) -> None:
    user = world.user(7, "de")
    await open_ticket(world, user)
    ticket = await world.service.tickets.open_for_user(user.id)
    assert ticket is not None
    world.fake.block_bot(user)
    await world.idle()
    world.fake.send_text_in_topic(world.anna, GROUP_ID, ticket.thread_id, "Sind Sie noch da?")
    await world.idle()
    note = world.fake.sent_to(GROUP_ID, ticket.thread_id)[-1]
    assert "blockiert" in (note.text or "")
    kept = await world.service.tickets.get(ticket.id)
    assert kept is not None
    assert kept.is_open  # the ticket is kept


async def test_topic_deleted_by_hand_gets_a_new_topic(world: World) -> None:
    user = world.user(8, "de")
    await open_ticket(world, user)
    ticket = await world.service.tickets.open_for_user(user.id)
    assert ticket is not None
    old_thread = ticket.thread_id
    assert old_thread is not None
    world.fake.delete_topic(GROUP_ID, old_thread)
    world.fake.send_text(user, "hallo? ist jemand da?")
    await world.idle()
    moved = await world.service.tickets.get(ticket.id)
    assert moved is not None
    assert moved.thread_id not in (None, old_thread)
    texts = [m.text for m in world.fake.sent_to(GROUP_ID, moved.thread_id)]
    assert f"👤 Person #{ticket.id}:\nhallo? ist jemand da?" in texts


async def test_restart_with_open_tickets(
    kb_dir: Path, tmp_path: Path, clock: FixedClock, office_hours: OfficeHours
) -> None:
    db = tmp_path / "restart.sqlite3"
    async with running_world(kb_dir, db, clock, office_hours) as world:
        user = world.user(9, "de")
        await open_ticket(world, user)
        ticket = await world.service.tickets.open_for_user(user.id)
        assert ticket is not None
        fake = world.fake
    async with running_world(kb_dir, db, clock, office_hours, fake=fake) as world:
        world.fake.send_text_in_topic(world.anna, GROUP_ID, ticket.thread_id, "Guten Morgen, ich helfe Ihnen.")
        answer = (await world.fake.wait_for_reply(user))[-1]
        assert "Guten Morgen, ich helfe Ihnen." in (answer.text or "")
        world.fake.send_text(user, "danke, meine frage ist ...")
        await world.idle()
        assert (
            world.fake.sent_to(GROUP_ID, ticket.thread_id)[-1].text
            == f"👤 Person #{ticket.id}:\ndanke, meine frage ist ..."
        )


async def test_out_of_hours_ticket_and_reminder(world: World) -> None:
    world.clock.advance(hours=9)  # Monday 19:00: the office is closed
    user = world.user(10, "de")
    world.fake.send_text(user, "/human")
    opened, later, _ = await world.fake.wait_for_reply(user, 3)
    assert "Nummer 1" in (opened.text or "")
    assert "Di 24.11. 09:00" in (later.text or "")
    await world.idle()
    assert world.runtime.desk is not None
    assert await world.runtime.desk.remind() == 0  # no reminders outside office hours
    world.clock.advance(hours=15)  # Tuesday 10:00, the ticket has waited 15 h
    assert await world.runtime.desk.remind() == 1
    ticket = await world.service.tickets.open_for_user(user.id)
    assert ticket is not None
    assert "wartet seit" in (world.fake.sent_to(GROUP_ID, ticket.thread_id)[-1].text or "")
    assert await world.runtime.desk.remind() == 0  # once per ticket


async def test_name_only_shown_with_consent(world: World) -> None:
    user = world.fake.user(11, "Mariam", "de", username="mariam_k")
    world.fake.send_text(user, "/human")
    _, consent = await world.fake.wait_for_reply(user, 2)
    await world.idle()
    ticket = await world.service.tickets.open_for_user(user.id)
    assert ticket is not None
    card = world.fake.sent_to(GROUP_ID, ticket.thread_id)[0]
    assert "Mariam" not in (world.fake.message(GROUP_ID, card.message_id).text or "")
    world.fake.press_button(user, consent, "consent:y")
    await world.fake.wait_for_reply(user)
    await world.idle()
    assert "Mariam (@mariam_k)" in (world.fake.message(GROUP_ID, card.message_id).text or "")


async def test_strangers_cannot_act_on_tickets(world: World) -> None:
    user = world.user(12, "de")
    await open_ticket(world, user)
    ticket = await world.service.tickets.open_for_user(user.id)
    assert ticket is not None
    stranger = world.user(13, "de", "Mallory")
    world.fake.send_text(stranger, "/start")
    (greeting,) = await world.fake.wait_for_reply(stranger)
    # a modified client sends forged callback data on a message in the stranger's own chat
    world.fake.forge_callback(stranger, greeting, f"t:close:{ticket.id}")
    world.fake.send_text(stranger, "/queue")
    await world.idle()
    still = await world.service.tickets.get(ticket.id)
    assert still is not None
    assert still.status == "waiting"
    assert "Offene Tickets" not in "".join(m.text or "" for m in world.fake.sent_to(stranger))
