"""The button codec: the data formats are part of the chats' history (old buttons must keep working)."""

from __future__ import annotations

import pytest

from bot.dialogue import actions
from bot.dialogue.actions import CALLBACK_LIMIT, Action, DeleteStep, Kind, TicketAction, Vote, unpack


def test_every_builder_keeps_the_format_already_in_the_chats() -> None:
    built = {
        actions.MENU: "menu",
        actions.LANGUAGE_MENU: "lang_menu",
        actions.NONE: "none",
        actions.CANCEL_TICKET: "hcancel",
        actions.language("uk"): "lang:uk",
        actions.town("erkelenz"): "town:erkelenz",
        actions.town(None): "town:-",
        actions.category("arrival"): "cat:arrival",
        actions.entry("child-benefit"): "e:child-benefit",
        actions.feedback(Vote.UP, "kita"): "fb:+:kita",
        actions.feedback(Vote.DOWN, "kita"): "fb:-:kita",
        actions.human(): "human",
        actions.human(urgent=True): "human:urgent",
        actions.consent(yes=True): "consent:y",
        actions.consent(yes=False): "consent:n",
        actions.delete(DeleteStep.ASK): "del:ask",
        actions.delete(DeleteStep.YES): "del:yes",
        actions.delete(DeleteStep.NO): "del:no",
        actions.solved(12, yes=True): "solved:y:12",
        actions.solved(12, yes=False): "solved:n:12",
        actions.ticket(TicketAction.CLAIM, 7): "t:claim:7",
    }
    for data, expected in built.items():
        assert data == expected
        assert unpack(data) is not None, data  # what we build, we read back


def test_unpack_reads_arguments_and_answers() -> None:
    assert unpack("human:urgent") == Action(Kind.HUMAN, (actions.URGENT,))
    assert unpack("human") == Action(Kind.HUMAN)
    vote = unpack("fb:-:kita")
    assert vote is not None
    assert vote.vote() is Vote.DOWN
    assert vote.arg(1) == "kita"
    solved = unpack("solved:y:12")
    assert solved is not None
    assert solved.yes()
    assert solved.ticket_id() == 12
    assert not Action(Kind.CONSENT, ("n",)).yes()


@pytest.mark.parametrize(
    "data",
    ["", "nope", "human:urgent:x", "hcancel:x", "fb:+", "town", "e:a:b", "t:claim", "x" * (CALLBACK_LIMIT + 1)],
)
def test_unpack_refuses_what_no_button_of_ours_carries(data: str) -> None:
    assert unpack(data) is None


@pytest.mark.parametrize("sign", ["", "+-", "x"])
def test_a_vote_is_only_plus_or_minus(sign: str) -> None:
    assert Action(Kind.FEEDBACK, (sign, "kita")).vote() is None


def test_data_over_the_limit_is_refused_when_built() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        actions.entry("x" * CALLBACK_LIMIT)
