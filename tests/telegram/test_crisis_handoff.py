"""A crisis end to end: the numbers first, one tap to a person, and an urgent ticket the group cannot miss."""

from __future__ import annotations

from tests.telegram.conftest import GROUP_ID, World


async def test_urgent_ticket_after_a_crisis_reply(world: World) -> None:
    waiting = world.user(11, "de")
    world.fake.send_text(waiting, "/human")
    await world.fake.wait_for_reply(waiting, 2)  # an ordinary ticket is already in line
    user = world.user(12, "en")  # writes German, chose English: the message's language wins
    world.fake.send_text(user, "bitte hilfe mein mann schlägt mich")
    first = (await world.fake.wait_for_reply(user))[0]
    text = first.text or ""
    assert "112" in text
    assert "116 016" in text
    assert text.startswith("Wenn Sie")
    world.fake.press_button(user, first, "human:urgent")
    await world.fake.wait_for_reply(user, 2)  # queue position + consent question
    await world.idle()
    ticket = await world.service.tickets.open_for_user(user.id)
    assert ticket is not None
    assert ticket.urgent
    assert ticket.thread_id is not None
    topic = next(t for t in world.fake.topics(GROUP_ID) if t.thread_id == ticket.thread_id)
    assert topic.name.startswith("🚨 ")
    card, mention = world.fake.sent_to(GROUP_ID, ticket.thread_id)[:2]
    assert (card.text or "").startswith("🚨 ")
    assert "tg://user?id=900" in (mention.raw_text or "")  # Anna does not speak English: called anyway
    world.fake.send_text(world.anna, "/queue", chat=GROUP_ID)
    await world.idle()
    lines = (world.fake.sent_to_general(GROUP_ID)[-1].text or "").splitlines()
    assert lines[1].startswith("🚨 ")  # urgent first, although it came later
