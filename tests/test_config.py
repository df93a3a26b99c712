"""Settings come from the environment, an optional YAML file adds to them, secrets only from the environment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.clock import LOCAL_TZ
from bot.config import ConfigError, load_settings
from tests.conftest import ROOT


def test_defaults_without_anything() -> None:
    settings = load_settings({})
    assert settings.token is None
    assert settings.api_base_url == "https://api.telegram.org/bot"
    assert settings.db_path == Path("data/wegweiser.sqlite3")
    assert not settings.handoff_enabled
    assert not settings.office_hours.configured
    assert settings.rate_limit


def test_environment_names() -> None:
    settings = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": " 1:abc ",
            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot",
            "BOT_DB_PATH": "/tmp/x.db",
            "BOT_KNOWLEDGE_DIR": "/k",
            "COUNSELLOR_CHAT_ID": "-100123",
            "ADMIN_IDS": "1, 2;3",
            "BOT_RATE_LIMIT": "off",
        }
    )
    assert settings.token == "1:abc"
    assert settings.api_base_url == "http://127.0.0.1:8081/bot"
    assert settings.counsellor_chat_id == -100123
    assert settings.admin_ids == frozenset({1, 2, 3})
    assert not settings.rate_limit


def test_example_config_file_is_valid() -> None:
    settings = load_settings({"BOT_CONFIG": str(ROOT / "config.example.yaml"), "COUNSELLOR_CHAT_ID": "-1"})
    assert settings.office_hours.configured
    monday_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)  # 11:00 in Heinsberg
    assert settings.office_hours.is_open(monday_10)
    christmas_eve = dt.datetime(2026, 12, 24, 9, 30, tzinfo=dt.UTC)
    assert not settings.office_hours.is_open(christmas_eve)
    between_the_years = dt.datetime(2026, 12, 29, 9, 30, tzinfo=dt.UTC)  # a Tuesday inside the closing range
    assert not settings.office_hours.is_open(between_the_years)
    assert settings.office_hours.is_open(between_the_years - dt.timedelta(weeks=1))
    assert settings.counsellors[1].languages == ("de", "uk", "ru")
    assert settings.retention.question_days == 90


def test_secrets_are_refused_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bot.yaml"
    path.write_text("token: 123:abc\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="secrets come only from environment"):
        load_settings({"BOT_CONFIG": str(path)})


def test_malformed_values_are_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="COUNSELLOR_CHAT_ID must be a whole number"):
        load_settings({"COUNSELLOR_CHAT_ID": "KI-Gruppe"})
    path = tmp_path / "bot.yaml"
    path.write_text('office_hours: {mon: ["9 bis 12"]}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="must look like 09:00-12:00"):
        load_settings({"BOT_CONFIG": str(path)})


def test_closing_days_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bot.yaml"
    path.write_text(
        'office_hours: {mon: ["09:00-12:00"], tue: ["09:00-12:00"]}\n'
        'closing_days: [2026-12-22, "2026-12-28..2027-01-05"]\n'
        "closed_days: [2026-11-30]\n",  # the older name still counts
        encoding="utf-8",
    )
    hours = load_settings({"BOT_CONFIG": str(path)}).office_hours
    monday = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
    assert not hours.is_open(monday)
    assert hours.is_open(monday + dt.timedelta(days=1))
    assert hours.next_open(dt.datetime(2026, 12, 21, 12, 0, tzinfo=dt.UTC)) == dt.datetime(
        2027, 1, 11, 9, 0, tzinfo=LOCAL_TZ
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('closing_days: ["2026-12-24", "Heiligabend"]', "closing_days in .*: closing day 'Heiligabend' must be a date"),
        ('closing_days: ["2027-01-02..2026-12-28"]', "closing_days in .*: closing days '2027-01-02..2026-12-28'"),
        ("closing_days: 2026-12-24 bis 2026-12-31", "closing day '2026-12-24 bis 2026-12-31' must be a date"),
    ],
)
def test_malformed_closing_days_are_named(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bot.yaml"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings({"BOT_CONFIG": str(path)})
