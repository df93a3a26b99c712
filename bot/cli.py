"""`python -m bot ...`: run the bot, the console chat, the editors' checker and the matcher tools."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.config import ConfigError, load_settings


def _knowledge_dir(args: argparse.Namespace) -> Path:
    return Path(args.knowledge) if args.knowledge else load_settings().knowledge_dir


def cmd_check(args: argparse.Namespace) -> int:
    from bot.knowledge.checker import check_knowledge

    report = check_knowledge(_knowledge_dir(args), stale_days=args.stale_days)
    print(report.format())
    return 1 if report.errors else 0


def _load_matcher(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from bot.knowledge.loader import KnowledgeError, load_knowledge
    from bot.matching.matcher import Matcher

    try:
        knowledge, _ = load_knowledge(_knowledge_dir(args))
    except KnowledgeError as exc:
        print(exc, file=sys.stderr)
        print("Run `python -m bot check` for details.", file=sys.stderr)
        return None
    return Matcher(knowledge)


def cmd_ask(args: argparse.Namespace) -> int:
    matcher = _load_matcher(args)
    if matcher is None:
        return 1
    questions = args.questions or [line.rstrip("\n") for line in sys.stdin if line.strip()]
    for question in questions:
        result = matcher.match(question, args.lang)
        if args.json:
            print(
                json.dumps(
                    {
                        "question": question,
                        "language": result.language,
                        "decision": result.decision.value,
                        "entry": result.entry_id,
                        "score": result.score,
                        "candidates": [{"entry": c.entry_id, "score": c.score} for c in result.candidates],
                    },
                    ensure_ascii=False,
                )
            )
        else:
            found = result.entry_id or ", ".join(c.entry_id for c in result.candidates[:3]) or "-"
            print(f"{result.decision.value:8} {result.score:.2f}  {found}  <- {question}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.matching.evaluation import evaluate_file

    matcher = _load_matcher(args)
    if matcher is None:
        return 1
    report = evaluate_file(matcher, Path(args.file), baseline=not args.no_baseline)
    print(report.format())
    if args.errors:
        for line in report.mistakes:
            print(line)
    return 0


def cmd_console(args: argparse.Namespace) -> int:
    from bot.console import run_console
    from bot.knowledge.loader import KnowledgeError

    try:
        run_console(_knowledge_dir(args), args.lang)
    except KnowledgeError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    settings = load_settings()
    if not settings.token:
        print("TELEGRAM_BOT_TOKEN is not set: starting the console chat instead (no network).\n")
        return cmd_console(args)
    from bot.telegram.app import run_bot

    return int(run_bot(settings))


def cmd_health(args: argparse.Namespace) -> int:
    """For the container's health check: the bot polled Telegram recently."""
    import asyncio
    import datetime as dt

    from bot.clock import from_text
    from bot.storage.db import Database
    from bot.storage.inbox import InboxStore
    from bot.telegram.polling import HEARTBEAT_KEY

    async def last_poll() -> str | None:
        db = Database(load_settings().db_path)
        await db.open()
        try:
            return await InboxStore(db).get_value(HEARTBEAT_KEY)
        finally:
            await db.close()

    value = asyncio.run(last_poll())
    if value is None:
        print("unhealthy: the bot has not polled yet")
        return 1
    age = (dt.datetime.now(dt.UTC) - from_text(value)).total_seconds()
    if age > args.max_age:
        print(f"unhealthy: last poll {age:.0f}s ago")
        return 1
    print(f"healthy: last poll {age:.0f}s ago")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Wegweiser – FAQ bot of the KI Kreis Heinsberg")
    parser.set_defaults(func=cmd_run, knowledge=None, lang=None)
    sub = parser.add_subparsers(dest="command")

    def knowledge_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--knowledge", help="knowledge folder (default: BOT_KNOWLEDGE_DIR or ./knowledge)")

    p = sub.add_parser("run", help="run the Telegram bot (console chat if no token is set)")
    knowledge_option(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("console", help="chat with the bot in this terminal, no token needed")
    knowledge_option(p)
    p.add_argument("--lang", help="language code to start with (de, en, ar, uk, ru, tr, fa)")
    p.set_defaults(func=cmd_console)

    p = sub.add_parser("check", help="check the knowledge files and list what editors should fix")
    knowledge_option(p)
    p.add_argument("--stale-days", type=int, default=365, help="warn when a review is older (default 365)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("ask", help="show what the bot decides for questions (arguments or stdin)")
    knowledge_option(p)
    p.add_argument("questions", nargs="*")
    p.add_argument("--lang", help="the user's language, if known")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("eval", help="measure the matcher on a labelled question file")
    knowledge_option(p)
    p.add_argument("file")
    p.add_argument("--no-baseline", action="store_true", help="skip the naive rapidfuzz baseline")
    p.add_argument("--errors", action="store_true", help="list every miss")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("health", help="exit 0 if the running bot polled Telegram recently (container health check)")
    p.add_argument("--max-age", type=int, default=180, help="seconds since the last poll (default 180)")
    p.set_defaults(func=cmd_health)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
