"""Settings from the environment, optionally extended by a YAML file (BOT_CONFIG). Secrets only from env."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.dialogue.engine import Retention
from bot.handoff.hours import OfficeHours, parse_closing_days, parse_ranges
from bot.languages import LANGUAGES

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
SECRET_KEYS = ("token", "telegram_bot_token", "webhook_secret", "log_key", "bot_log_key")
CLOSING_DAYS_KEYS = ("closing_days", "closed_days")  # "closed_days" is the first version's name; both still work


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable to fix."""


@dataclass(frozen=True)
class Counsellor:
    user_id: int
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    token: str | None = None
    api_base_url: str = DEFAULT_API_BASE_URL
    db_path: Path = Path("data/wegweiser.sqlite3")
    knowledge_dir: Path = Path("knowledge")
    counsellor_chat_id: int | None = None
    admin_ids: frozenset[int] = frozenset()
    counsellors: tuple[Counsellor, ...] = ()
    office_hours: OfficeHours = field(default_factory=OfficeHours)
    retention: Retention = field(default_factory=Retention)
    reminder_minutes: int = 30
    relays_per_minute: int = 8  # a newcomer's messages copied at once into the topic; more are batched
    tickets_per_day: int = 3  # requests for a person per newcomer and 24 hours
    rate_limit: bool = True  # PTB's AIORateLimiter with Telegram's limits; off only for local doubles/benchmarks
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "127.0.0.1"  # a proxy on the same host terminates TLS; 0.0.0.0 only when it must
    webhook_port: int = 8443
    log_key: str | None = None  # BOT_LOG_KEY: the secret behind log pseudonyms (else kept in the database)

    @property
    def handoff_enabled(self) -> bool:
        return self.counsellor_chat_id is not None


def _int(name: str, value: object) -> int:
    try:
        return int(str(value).strip())
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not '{value}'") from exc


def _ids(name: str, value: object) -> frozenset[int]:
    if isinstance(value, list):
        return frozenset(_int(name, v) for v in value)
    parts = [p for p in str(value).replace(";", ",").replace(" ", ",").split(",") if p]
    return frozenset(_int(name, p) for p in parts)


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Environment first; BOT_CONFIG may name a YAML file for the longer, non-secret settings."""
    env = os.environ if env is None else env
    file_values: dict[str, Any] = {}
    config_path = env.get("BOT_CONFIG")
    if config_path:
        file_values = _read_yaml(Path(config_path))

    def pick(env_name: str, key: str) -> Any:
        value = env.get(env_name)
        return value if value not in (None, "") else file_values.get(key)

    counsellor_chat = pick("COUNSELLOR_CHAT_ID", "counsellor_chat_id")
    admins = pick("ADMIN_IDS", "admin_ids")
    hours_spec = file_values.get("office_hours") or {}
    try:
        ranges = parse_ranges(hours_spec)
    except ValueError as exc:
        raise ConfigError(f"office_hours in {config_path}: {exc}") from exc
    closing_days: frozenset[dt.date] = frozenset()
    for key in CLOSING_DAYS_KEYS:
        try:
            closing_days |= parse_closing_days(file_values.get(key))
        except ValueError as exc:
            raise ConfigError(f"{key} in {config_path}: {exc}") from exc
    office_hours = OfficeHours(ranges, closing_days)
    retention_values = file_values.get("retention") or {}
    retention = Retention(
        question_days=_int("retention.question_days", retention_values.get("question_days", 90)),
        ticket_days=_int("retention.ticket_days", retention_values.get("ticket_days", 30)),
        inactive_user_days=_int("retention.inactive_user_days", retention_values.get("inactive_user_days", 365)),
    )
    counsellors = []
    for item in file_values.get("counsellors") or []:
        languages = tuple(str(lang) for lang in item.get("languages", []) if str(lang) in LANGUAGES)
        counsellors.append(Counsellor(_int("counsellors.user_id", item.get("user_id")), languages))
    token = env.get("TELEGRAM_BOT_TOKEN") or None
    return Settings(
        token=token.strip() if token else None,
        api_base_url=str(pick("TELEGRAM_API_BASE_URL", "api_base_url") or DEFAULT_API_BASE_URL),
        db_path=Path(str(pick("BOT_DB_PATH", "db_path") or "data/wegweiser.sqlite3")),
        knowledge_dir=Path(str(pick("BOT_KNOWLEDGE_DIR", "knowledge_dir") or "knowledge")),
        counsellor_chat_id=_int("COUNSELLOR_CHAT_ID", counsellor_chat) if counsellor_chat else None,
        admin_ids=_ids("ADMIN_IDS", admins) if admins else frozenset(),
        counsellors=tuple(counsellors),
        office_hours=office_hours,
        retention=retention,
        reminder_minutes=_int("reminder_minutes", file_values.get("reminder_minutes", 30)),
        relays_per_minute=_int("relays_per_minute", pick("BOT_RELAYS_PER_MINUTE", "relays_per_minute") or 8),
        tickets_per_day=_int("tickets_per_day", pick("BOT_TICKETS_PER_DAY", "tickets_per_day") or 3),
        rate_limit=str(
            pick("BOT_RATE_LIMIT", "rate_limit") if pick("BOT_RATE_LIMIT", "rate_limit") is not None else "on"
        )
        .strip()
        .lower()
        not in ("0", "false", "off", "no"),
        webhook_url=pick("WEBHOOK_URL", "webhook_url") or None,
        webhook_secret=env.get("WEBHOOK_SECRET") or None,
        webhook_listen=str(pick("WEBHOOK_LISTEN", "webhook_listen") or "127.0.0.1"),
        webhook_port=_int("WEBHOOK_PORT", pick("WEBHOOK_PORT", "webhook_port") or 8443),
        log_key=env.get("BOT_LOG_KEY") or None,
    )


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read BOT_CONFIG file {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"BOT_CONFIG file {path} must contain 'key: value' lines")
    for key in SECRET_KEYS:
        if key in data:
            raise ConfigError(f"'{key}' must not be in {path}: secrets come only from environment variables")
    return data
