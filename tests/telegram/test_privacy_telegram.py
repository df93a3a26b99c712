"""Privacy promises that reach into Telegram: a deleted ticket's forum topic (card and copied messages) is
deleted too, and a broken or hostile knowledge file on /reload cannot take the bot down."""

from __future__ import annotations

import time

from bot.telegram.topic_cleanup import delete_queued_topics
from tests.telegram.conftest import ADMIN_ID, GROUP_ID, World
from tests.telegram.test_counsellor_handoff import open_ticket
from tests.test_privacy import ALIAS_BOMB, database_mentions


async def delete_my_data(world: World, user_id: int) -> None:
    user = world.fake.users[user_id]
    world.fake.send_text(user, "/mydata")
    (mydata,) = await world.fake.wait_for_reply(user)
    world.fake.press_button(user, mydata, "del:ask")
    (confirm,) = await world.fake.wait_for_reply(user)
    world.fake.press_button(user, confirm, "del:yes")
    (done,) = await world.fake.wait_for_reply(user)
    assert "gelöscht" in (done.text or "")
    await world.idle()


async def cleanup(world: World) -> int:
    """What the bot's topic job does every few minutes (and right after a deletion with an open ticket)."""
    assert world.runtime.desk is not None
    return await delete_queued_topics(world.service.tickets, world.runtime.sender, GROUP_ID)


async def test_deleting_my_data_deletes_the_open_tickets_topic_at_once(world: World) -> None:
    user = world.user(7_310_031, "de")
    await open_ticket(world, user)
    world.fake.send_text(user, "ich heiße Quaxelbrunn, Musterweg 5")  # copied into the topic
    await world.fake.wait_for_reply(user)
    await world.idle()
    ticket = await world.service.tickets.open_for_user(user.id)
    assert ticket is not None
    assert ticket.thread_id is not None
    assert len(world.fake.sent_to(GROUP_ID, ticket.thread_id)) >= 3  # card, mention, copy
    await delete_my_data(world, user.id)
    assert world.fake.topics(GROUP_ID) == []  # card and copies are gone with the topic
    assert world.fake.sent_to(GROUP_ID, ticket.thread_id) == []
    (note,) = world.fake.sent_to_general(GROUP_ID)
    assert f"Ticket #{ticket.id}" in (note.text or "")
    assert "Quaxelbrunn" not in (note.text or "")
    assert await world.service.tickets.topics_to_delete() == []
    await world.service.db.commit()
    assert database_mentions(world.service.db.path, user.id) == []  # the send records keep no chat id


async def test_deleting_my_data_deletes_closed_tickets_topics(world: World) -> None:
    user = world.user(7_310_032, "de")
    await open_ticket(world, user)
    ticket = await world.service.tickets.open_for_user(user.id)
    assert ticket is not None
    card = world.fake.sent_to(GROUP_ID, ticket.thread_id)[0]
    world.fake.press_button(world.anna, card, f"t:close:{ticket.id}")
    await world.fake.wait_for_reply(user)  # "was your question solved?"
    await world.idle()
    await delete_my_data(world, user.id)
    assert await world.service.tickets.topics_to_delete() == [(ticket.thread_id, ticket.id)]
    assert await cleanup(world) == 1
    assert world.fake.topics(GROUP_ID) == []
    assert await world.service.tickets.topics_to_delete() == []


async def test_retention_deletes_the_topic_and_the_counsellor_30_days_after_closing(world: World) -> None:
    user = world.user(7_310_033, "de")
    await open_ticket(world, user)
    ticket = await world.service.tickets.open_for_user(user.id)
    assert ticket is not None
    card = world.fake.sent_to(GROUP_ID, ticket.thread_id)[0]
    world.fake.press_button(world.anna, card, f"t:claim:{ticket.id}")
    await world.fake.wait_for_reply(user)
    world.fake.press_button(world.anna, card, f"t:close:{ticket.id}")
    await world.fake.wait_for_reply(user)
    await world.idle()
    world.clock.advance(days=29)
    await world.service.apply_retention()
    assert await cleanup(world) == 0
    assert len(world.fake.topics(GROUP_ID)) == 1
    world.clock.advance(days=2)
    removed = await world.service.apply_retention()
    assert removed["ticket_texts"] == 1
    assert await cleanup(world) == 1
    assert world.fake.topics(GROUP_ID) == []
    expired = await world.service.tickets.get(ticket.id)
    assert expired is not None
    assert (expired.claimed_by, expired.claimed_by_name, expired.question, expired.thread_id) == (None,) * 4
    assert database_mentions(world.service.db.path, world.anna.id) == []


async def test_a_topic_deleted_by_hand_is_forgotten_and_a_refusal_stays_queued(world: World) -> None:
    user = world.user(7_310_034, "de")
    await open_ticket(world, user)
    first = await world.service.tickets.open_for_user(user.id)
    assert first is not None
    assert first.thread_id is not None
    world.fake.delete_topic(GROUP_ID, first.thread_id)  # a counsellor deleted it already
    await delete_my_data(world, user.id)
    assert await world.service.tickets.topics_to_delete() == []  # "TOPIC_ID_INVALID": nothing left to do
    other = world.user(7_310_035, "de")
    await open_ticket(world, other)
    second = await world.service.tickets.open_for_user(other.id)
    assert second is not None
    world.fake.fail_next("deleteForumTopic", "400", description="Bad Request: not enough rights")
    await delete_my_data(world, other.id)
    assert await world.service.tickets.topics_to_delete() == [(second.thread_id, second.id)]  # tried again later
    assert await cleanup(world) == 1
    assert world.fake.topics(GROUP_ID) == []


async def test_reload_of_an_alias_bomb_is_refused_quickly_and_the_bot_keeps_answering(world: World) -> None:
    admin = world.fake.user(ADMIN_ID, "Admin", "de")
    user = world.user(7_310_036, "de")
    (world.service.knowledge_dir / "faq" / "bomb.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    started = time.monotonic()
    world.fake.send_text(admin, "/reload")
    (report,) = await world.fake.wait_for_reply(admin, timeout=10)
    assert time.monotonic() - started < 10
    assert "Nicht geladen" in (report.text or "")
    assert "faq/bomb.yaml:1" in (report.text or "")
    world.fake.send_text(user, "kindergeld beantragen")
    (answer,) = await world.fake.wait_for_reply(user)
    assert "Familienkasse" in (answer.text or "")
