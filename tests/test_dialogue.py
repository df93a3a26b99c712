"""The dialogue core driven the way the console and the Telegram layer drive it."""

from __future__ import annotations

import pytest

from bot.dialogue import Outcome, RelayToTicket, TicketCancelled, TicketOpened
from bot.service import CoreService
from bot.telegram.render import plain

USER = 42


def texts(outcome: Outcome) -> str:
    return "\n---\n".join(plain(r.text) for r in outcome.replies)


def actions(outcome: Outcome) -> list[str]:
    return [b.action for r in outcome.replies for row in r.buttons for b in row]


async def test_start_greets_in_telegram_language_and_offers_menu(service: CoreService) -> None:
    out = await service.dialogue.on_command(USER, "start", "", "en-GB")
    assert "Hello" in texts(out) or "Hi" in texts(out)
    assert "menu" in actions(out)
    user = await service.users.get(USER)
    assert user is not None
    assert user.language == "en"


async def test_deep_link_sets_language_town_and_opens_topic(service: CoreService) -> None:
    out = await service.dialogue.on_command(USER, "start", "ar_erkelenz_address-registration")
    user = await service.users.get(USER)
    assert user is not None
    assert (user.language, user.town) == ("ar", "erkelenz")
    body = texts(out)
    assert "تسجيل السكن" in body  # the Arabic title
    assert "Teststraße 1, 41812 Erkelenz" in body  # the Erkelenz contact card, not Heinsberg's
    assert "Testweg 2" not in body


async def test_question_answered_with_contact_card_and_feedback(service: CoreService) -> None:
    await service.dialogue.on_button(USER, "town:heinsberg", "de")
    out = await service.dialogue.on_text(USER, "wo kann ich meine wohnung anmelden")
    body = texts(out)
    assert "Melden Sie Ihre Wohnung in 2 Wochen an." in body
    assert "Testweg 2, 52525 Heinsberg" in body
    assert "+49 0000 222" not in body  # the unverified phone number is never shown
    assert {"fb:+:address-registration", "fb:-:address-registration", "human"} <= set(actions(out))
    records = await service.questions.since(service.clock.now().replace(year=2000))
    assert [(r.decision, r.entry_id) for r in records] == [("answer", "address-registration")]


async def test_town_is_asked_when_the_answer_depends_on_it(service: CoreService) -> None:
    out = await service.dialogue.on_text(USER, "wohnung anmelden", "de")
    assert "town:erkelenz" in actions(out)
    assert "town:-" in actions(out)
    out = await service.dialogue.on_button(USER, "town:erkelenz")
    assert "Teststraße 1, 41812 Erkelenz" in texts(out)


async def test_town_named_in_the_question_is_used(service: CoreService) -> None:
    out = await service.dialogue.on_text(USER, "anmeldung wohnung in Erkelenz", "de")
    assert "Teststraße 1" in texts(out)


async def test_opening_hours_and_open_now(service: CoreService) -> None:
    # the fixed clock says Monday 10:00: the Erkelenz office is open (08:00-12:00)
    out = await service.dialogue.on_command(USER, "start", "de_erkelenz_address-registration")
    assert "Mo 08:00–12:00, 14:00–16:00; Di 08:00–12:00 (jetzt geöffnet)" in texts(out)


async def test_out_of_scope_gets_honest_fallback(service: CoreService) -> None:
    out = await service.dialogue.on_text(USER, "wie wird das wetter morgen in berlin", "de")
    assert "keine sichere Antwort" in texts(out)
    assert {"menu", "human"} <= set(actions(out))


async def test_menu_categories_topics(service: CoreService) -> None:
    out = await service.dialogue.on_command(USER, "menu", "", "de")
    assert {"cat:arrival", "cat:health", "cat:support", "human"} <= set(actions(out))
    out = await service.dialogue.on_button(USER, "cat:arrival")
    assert actions(out) == ["e:address-registration", "e:child-benefit", "menu"]
    out = await service.dialogue.on_button(USER, "e:child-benefit")
    assert "Familienkasse" in texts(out)


async def test_crisis_fast_path_comes_first(service: CoreService) -> None:
    out = await service.dialogue.on_text(USER, "mein mann schlägt mich, ich habe angst", "de")
    first = plain(out.replies[0].text)
    assert "112" in first
    assert "116 016" in first
    assert actions(out)[0] == "human:urgent"  # one tap to a person, marked urgent
    assert out.urgent


async def test_greeting_and_thanks_are_not_questions(service: CoreService) -> None:
    out = await service.dialogue.on_text(USER, "Hallo!", "de")
    assert "Wegweiser" in texts(out)
    out = await service.dialogue.on_text(USER, "danke", "de")
    assert "Gern geschehen" in texts(out)
    assert await service.questions.count_for(USER) == 0


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "\u200b\u202e", "\x00\x01"])
async def test_empty_or_strange_input_gets_a_kind_reply(service: CoreService, text: str) -> None:
    out = await service.dialogue.on_text(USER, text, "de")
    assert len(out.replies) == 1
    assert "in Worten" in texts(out)


async def test_very_long_message(service: CoreService) -> None:
    out = await service.dialogue.on_text(USER, "a" * 4096, "de")
    assert "sehr lang" in texts(out)


async def test_feedback_is_stored(service: CoreService) -> None:
    await service.dialogue.on_text(USER, "kindergeld beantragen", "de")
    out = await service.dialogue.on_button(USER, "fb:-:child-benefit")
    assert "human" in actions(out)
    votes = await service.questions.feedback_by_entry(service.clock.now().replace(year=2000))
    assert votes == {"child-benefit": (0, 1)}


async def test_forged_button_data_is_harmless(service: CoreService) -> None:
    out = await service.dialogue.on_button(USER, "e:../../etc/passwd", "de")
    assert "cat:arrival" in actions(out)
    out = await service.dialogue.on_button(USER, "fb:+:no-such-entry")
    assert out.replies == []
    for vote in ("fb::child-benefit", "fb:+-:child-benefit"):  # no vote sign: nothing is counted
        out = await service.dialogue.on_button(USER, vote)
        assert out.replies == []
    assert await service.questions.feedback_by_entry(service.clock.now().replace(year=2000)) == {}
    out = await service.dialogue.on_button(USER, "t:claim:1")  # a counsellors' button: just the menu
    assert "cat:arrival" in actions(out)
    assert out.effects == []


async def test_handoff_request_opens_ticket_and_relays_messages(service: CoreService) -> None:
    await service.dialogue.on_text(USER, "kindergeld beantragen", "de")
    out = await service.dialogue.on_button(USER, "human")
    opened = [e for e in out.effects if isinstance(e, TicketOpened)]
    assert len(opened) == 1
    assert "Nummer 1" in texts(out)
    assert "Mo 09:00–12:00" in texts(out)
    ticket = await service.tickets.get(opened[0].ticket_id)
    assert ticket is not None
    assert (ticket.status, ticket.topic, ticket.question) == ("waiting", "Kindergeld", "kindergeld beantragen")
    out = await service.dialogue.on_text(USER, "meine frage ist sehr wichtig")
    assert out.effects == [RelayToTicket(ticket.id)]
    assert "beim Beratungsteam" in texts(out)
    out = await service.dialogue.on_text(USER, "noch etwas")
    assert out.effects == [RelayToTicket(ticket.id)]
    assert out.replies == []  # only the first message is confirmed
    out = await service.dialogue.on_button(USER, "human")
    assert "schon offen" in texts(out)
    out = await service.dialogue.on_button(USER, "hcancel")
    assert out.effects == [TicketCancelled(ticket.id, None)]
    assert await service.tickets.open_for_user(USER) is None


async def test_request_for_a_person_in_words_opens_the_request(service: CoreService) -> None:
    await service.dialogue.on_text(USER, "kindergeld beantragen", "en")
    out = await service.dialogue.on_text(USER, "i want to talk to a human", "en")
    assert "number 1 in the queue" in texts(out)  # no FAQ article, no yes/no first
    assert [type(e).__name__ for e in out.effects] == ["TicketOpened"]
    ticket = await service.tickets.open_for_user(USER)
    assert ticket is not None
    assert ticket.question == "kindergeld beantragen"  # the real question, not the request


async def test_out_of_hours_ticket_says_when_we_open(service: CoreService) -> None:
    service.clock.advance(hours=10)  # type: ignore[attr-defined]  # Monday 20:00
    out = await service.dialogue.on_button(USER, "human", "de")
    assert "Di 24.11. 09:00" in texts(out)


async def test_my_data_and_delete(service: CoreService) -> None:
    await service.dialogue.on_text(USER, "kindergeld beantragen", "de")
    await service.dialogue.on_button(USER, "human")
    out = await service.dialogue.on_command(USER, "mydata")
    body = texts(out)
    assert "Gespeicherte Fragen: 1" in body
    assert "Gespräche mit dem Beratungsteam: 1" in body
    assert actions(out) == ["del:ask"]
    out = await service.dialogue.on_button(USER, "del:ask")
    assert actions(out) == ["del:yes", "del:no"]
    out = await service.dialogue.on_button(USER, "del:yes")
    assert any(isinstance(e, TicketCancelled) for e in out.effects)
    assert await service.users.get(USER) is None
    assert await service.questions.count_for(USER) == 0
    assert await service.tickets.count_for_user(USER) == 0


async def test_privacy_names_the_retention_periods(service: CoreService) -> None:
    out = await service.dialogue.on_command(USER, "privacy", "", "de")
    assert "nach 90 Tagen" in texts(out)


async def test_language_switch(service: CoreService) -> None:
    out = await service.dialogue.on_command(USER, "language", "", "de")
    assert [a for a in actions(out) if a.startswith("lang:")] == [
        "lang:de",
        "lang:en",
        "lang:ar",
        "lang:uk",
        "lang:ru",
        "lang:tr",
        "lang:fa",
    ]
    out = await service.dialogue.on_button(USER, "lang:uk")
    user = await service.users.get(USER)
    assert user is not None
    assert user.language == "uk"
