"""Build and run the PTB Application around the core service (ordered handler groups, one lifecycle)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import signal
import sqlite3
from dataclasses import dataclass
from urllib.parse import urlsplit

from telegram import BotCommand, BotCommandScopeAllPrivateChats, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot.config import ConfigError, Settings
from bot.languages import LANGUAGES
from bot.service import CoreService
from bot.storage.db import StorageError
from bot.storage.inbox import InboxStore
from bot.telegram.counsellors import CounsellorDesk
from bot.telegram.handlers import ButtonGate, NewcomerHandlers, for_newcomers
from bot.telegram.lanes import LaneRateLimiter
from bot.telegram.polling import AnyApplication, DurablePoller
from bot.telegram.render import to_html
from bot.telegram.send_gate import GatedRequest, SendGate
from bot.telegram.sender import Sender, pseudonym
from bot.telegram.topic_cleanup import delete_queued_topics
from bot.telegram.webhook import WebhookServer

log = logging.getLogger(__name__)

# Opt in to PTB's timedelta durations now (RetryAfter.retry_after etc.); otherwise PTB 22 warns on every 429.
os.environ.setdefault("PTB_TIMEDELTA", "true")

CONNECTION_POOL_SIZE = 4
# Telegram usually answers within 0.1-1 s, but under load it has answered after 7 s *after* delivering the
# message: with PTB's 5 s read timeout the bot resent it and the user saw it twice. A resend is only safe
# when Telegram did not get the request, so wait long for an answer (30 s, like the long poll itself); a
# dead connection still fails fast through the 5 s connect timeout.
SEND_READ_TIMEOUT = 30.0
SEND_WRITE_TIMEOUT = 30.0
NEWCOMER_COMMANDS = ("start", "menu", "language", "town", "human", "help", "privacy", "mydata")
GROUP_GATE, GROUP_COUNSELLORS, GROUP_PRIVATE, GROUP_MEMBERSHIP, GROUP_OTHER_CHATS = -1, 0, 1, 2, 3


def _not_a_proxy_error_page(record: logging.LogRecord) -> bool:
    """PTB logs an ERROR with a traceback (and the whole HTML page) for every 502 page of a proxy, although
    the send is retried: the Sender's WARNING says enough."""
    return not str(record.msg).startswith("Can not load invalid JSON data")


def quiet_loggers() -> None:
    """httpx logs every request URL, and the URL carries the bot token; PTB's debug log carries the token
    and message texts, and aiosqlite logs every SQL parameter: none of that may reach a log."""
    for name in ("httpx", "httpcore", "apscheduler", "aiosqlite", "tornado"):
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in ("telegram", "telegram.ext", "telegram.Bot", "telegram.ext.ExtBot"):
        logging.getLogger(name).setLevel(logging.INFO)
    request_log = logging.getLogger("telegram.request.BaseRequest")
    if _not_a_proxy_error_page not in request_log.filters:
        request_log.addFilter(_not_a_proxy_error_page)


@dataclass
class BotRuntime:
    """Everything one running bot consists of; tests and the benchmark build the same thing."""

    app: AnyApplication
    service: CoreService
    sender: Sender
    desk: CounsellorDesk | None
    poller: DurablePoller
    inbox: InboxStore


def build_runtime(
    settings: Settings,
    service: CoreService,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    rate_limiter: bool = True,
    poll_timeout: int = 25,
    backoff: float = 0.5,
    max_retry_seconds: float = 600.0,
    retry_delay: float = 5.0,
) -> BotRuntime:
    """Sends always go through the lanes (crisis, private, group); `rate_limiter=True` adds Telegram's limits
    (30/s in all, 20/min per group), False leaves them out (the local double, benchmarks)."""
    assert settings.token, "TELEGRAM_BOT_TOKEN is required"
    quiet_loggers()
    builder = Application.builder().token(settings.token).base_url(settings.api_base_url).updater(None)
    builder = builder.base_file_url(settings.api_base_url.replace("/bot", "/file/bot"))
    # every text we send is HTML (render.py escapes it); the few plain sends say parse_mode=None themselves
    builder = builder.defaults(Defaults(parse_mode=ParseMode.HTML))
    # httpcore scans every pooled connection for every request: PTB's default of 256 connections costs more
    # CPU than it saves; Telegram allows 30 messages/s anyway
    if request is None:
        request = HTTPXRequest(
            connection_pool_size=CONNECTION_POOL_SIZE, read_timeout=SEND_READ_TIMEOUT, write_timeout=SEND_WRITE_TIMEOUT
        )
    gate = SendGate()
    builder = builder.request(GatedRequest(request, gate))
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    builder = builder.rate_limiter(LaneRateLimiter(limits=rate_limiter))  # type: ignore[arg-type]
    app = builder.build()
    inbox = InboxStore(service.db)
    sender = Sender(
        app.bot, inbox, service.users, service.clock, backoff=backoff, max_retry_seconds=max_retry_seconds, gate=gate
    )
    desk = CounsellorDesk(service, settings, sender) if settings.counsellor_chat_id is not None else None
    if service.queue is not None:
        service.queue.tickets_per_day = settings.tickets_per_day
    newcomers = NewcomerHandlers(service, sender, desk)
    poller = DurablePoller(app, inbox, service.clock, poll_timeout=poll_timeout)
    poller.retry_delay = retry_delay
    runtime = BotRuntime(app, service, sender, desk, poller, inbox)
    _register(app, settings, runtime, newcomers)
    return runtime


def _register(app: AnyApplication, settings: Settings, rt: BotRuntime, newcomers: NewcomerHandlers) -> None:
    """The routing table, in order. Within a group the first matching handler wins; every handler names
    the chat type it serves, and the gate (group -1) stops button presses outside their chat first."""
    private = filters.ChatType.PRIVATE
    fresh = ~filters.UpdateType.EDITED  # an edited message was handled when it was new: not again
    gate = ButtonGate(settings.counsellor_chat_id, rt.sender)
    app.add_handler(TypeHandler(Update, gate.check), GROUP_GATE)
    if rt.desk is not None:
        _register_counsellors(app, rt.desk, rt.sender, filters.Chat(rt.desk.chat_id) & fresh)
    # private chats: admin commands ahead of the newcomers' catch-all
    admins = filters.User(list(settings.admin_ids)) if settings.admin_ids else None
    if admins is not None:
        _register_admin(app, rt, private & fresh & admins)
    app.add_handler(MessageHandler(private & fresh & filters.COMMAND, newcomers.command), GROUP_PRIVATE)
    app.add_handler(CallbackQueryHandler(newcomers.button, pattern=for_newcomers), GROUP_PRIVATE)
    app.add_handler(MessageHandler(private & fresh & filters.TEXT & ~filters.COMMAND, newcomers.text), GROUP_PRIVATE)
    app.add_handler(
        MessageHandler(private & fresh & ~filters.TEXT & ~filters.StatusUpdate.ALL, newcomers.media), GROUP_PRIVATE
    )
    app.add_handler(MessageHandler(private & filters.UpdateType.EDITED_MESSAGE, newcomers.edited), GROUP_PRIVATE)
    app.add_handler(ChatMemberHandler(newcomers.chat_member, ChatMemberHandler.MY_CHAT_MEMBER), GROUP_MEMBERSHIP)
    other_groups: filters.BaseFilter = filters.ChatType.GROUPS & fresh
    if settings.counsellor_chat_id is not None:
        other_groups = other_groups & ~filters.Chat(settings.counsellor_chat_id)
    app.add_handler(MessageHandler(other_groups & filters.TEXT, newcomers.group), GROUP_OTHER_CHATS)

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        await _log_error(update, context)
        if isinstance(update, Update) and is_transient(context.error):
            rt.poller.retry_later(update.update_id)

    app.add_error_handler(on_error)


def _register_counsellors(
    app: AnyApplication, desk: CounsellorDesk, sender: Sender, group_chat: filters.BaseFilter
) -> None:
    async def queue_overview(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or update.effective_user is None:
            return
        if not await desk.is_counsellor(update.effective_user.id):
            return
        text = await desk.queue_overview()
        await sender.retrying(
            lambda: context.bot.send_message(
                message.chat_id,
                text,
                message_thread_id=message.message_thread_id if message.is_topic_message else None,
            )
        )

    app.add_handler(ChatMemberHandler(desk.on_member_change, ChatMemberHandler.CHAT_MEMBER), GROUP_COUNSELLORS)
    app.add_handler(
        MessageHandler(group_chat & filters.StatusUpdate.LEFT_CHAT_MEMBER, desk.on_member_left), GROUP_COUNSELLORS
    )
    app.add_handler(CallbackQueryHandler(desk.on_button, pattern=r"^t:"), GROUP_COUNSELLORS)
    app.add_handler(CommandHandler("queue", queue_overview, filters=group_chat), GROUP_COUNSELLORS)
    app.add_handler(
        MessageHandler(group_chat & ~filters.COMMAND & ~filters.StatusUpdate.ALL, desk.on_topic_message),
        GROUP_COUNSELLORS,
    )


def _register_admin(app: AnyApplication, rt: BotRuntime, admins: filters.BaseFilter) -> None:
    async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        result = await rt.service.reload()
        if result.ok:
            text = f"✅ Wissen neu geladen: Version {result.version}, {len(rt.service.knowledge.entries)} Einträge."
        else:
            shown = "\n".join(str(p) for p in result.problems if p.severity.value == "error")[:3500]
            text = f"❌ Nicht geladen, die Version {result.version} bleibt aktiv:\n{shown}"
        await rt.sender.retrying(
            lambda: context.bot.send_message(message.chat_id, to_html(text, markup=False))
        )

    async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The KI's figures of the last 12 weeks and the chart (see bot/telegram/admin_stats.py)."""
        from bot.telegram.admin_stats import send_stats

        message = update.effective_message
        if message is not None:
            await send_stats(context.bot, rt.sender, message.chat_id, rt.service)

    app.add_handler(CommandHandler("reload", reload_command, filters=admins), GROUP_PRIVATE)
    app.add_handler(CommandHandler("stats", stats_command, filters=admins), GROUP_PRIVATE)


def is_transient(error: BaseException | None) -> bool:
    """Telegram unreachable or the database busy: worth handling the update again later."""
    if isinstance(error, BadRequest | Forbidden | InvalidToken):
        return False
    return isinstance(error, NetworkError | TimedOut | RetryAfter | sqlite3.OperationalError | StorageError)


async def _log_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure without any message text; the bot goes on with the next update."""
    who = "-"
    if isinstance(update, Update) and update.effective_user is not None:
        who = pseudonym(update.effective_user.id)
    error = context.error
    log.error(
        "handler failed for update %s of %s: %s",
        getattr(update, "update_id", "?"),
        who,
        type(error).__name__,
        exc_info=(type(error), error, error.__traceback__) if error else None,
    )


async def set_commands(runtime: BotRuntime) -> None:
    """Command menus in each user's language (Telegram picks by the app's language)."""
    texts = runtime.service.knowledge.texts
    for lang in (None, *LANGUAGES):
        commands = [BotCommand(c, texts.get(lang or "de", f"cmd_{c}")[:256]) for c in NEWCOMER_COMMANDS]
        await runtime.sender.retrying(
            lambda commands=commands, lang=lang: runtime.app.bot.set_my_commands(  # type: ignore[misc]
                commands, scope=BotCommandScopeAllPrivateChats(), language_code=lang
            )
        )


async def start_runtime(runtime: BotRuntime, webhook: tuple[str, str] | None = None) -> None:
    """`webhook`: (public URL, secret token) to receive updates by webhook; None: long polling."""
    await runtime.app.initialize()
    if webhook is None:
        await runtime.sender.retrying(lambda: runtime.app.bot.delete_webhook(drop_pending_updates=False))
    else:
        url, secret = webhook
        await runtime.sender.retrying(
            lambda: runtime.app.bot.set_webhook(url, secret_token=secret, allowed_updates=Update.ALL_TYPES)
        )
    await set_commands(runtime)
    await runtime.app.start()
    _schedule_jobs(runtime)


def _schedule_jobs(runtime: BotRuntime) -> None:
    jobs = runtime.app.job_queue
    if jobs is None:
        return

    async def retention(context: ContextTypes.DEFAULT_TYPE) -> None:
        removed = await runtime.service.apply_retention()
        removed["inbox"] = await runtime.inbox.purge(runtime.service.clock.now() - dt.timedelta(days=1))
        log.info("retention job: %s", removed)
        await topics(context)

    async def reminders(context: ContextTypes.DEFAULT_TYPE) -> None:
        if runtime.desk is not None:
            await runtime.desk.flush_all()
            await runtime.desk.remind()

    async def topics(context: ContextTypes.DEFAULT_TYPE) -> None:
        """Forum topics of deleted data or expired tickets (also those a failed attempt left queued)."""
        if runtime.desk is not None:
            await delete_queued_topics(runtime.service.tickets, runtime.sender, runtime.desk.chat_id)

    jobs.run_repeating(retention, interval=24 * 3600, first=60, name="retention")
    if runtime.desk is not None:
        jobs.run_repeating(reminders, interval=60, first=60, name="reminders")
        jobs.run_repeating(topics, interval=300, first=30, name="topic cleanup")


async def stop_runtime(runtime: BotRuntime) -> None:
    await runtime.poller.stop()
    if runtime.app.running:
        await runtime.app.stop()
    await runtime.app.shutdown()


async def serve(settings: Settings) -> None:
    """Run until SIGTERM/SIGINT; SIGHUP reloads the knowledge."""
    service = CoreService(
        settings.knowledge_dir,
        settings.db_path,
        office_hours=settings.office_hours,
        retention=settings.retention,
        handoff=settings.handoff_enabled,
        log_key=settings.log_key,
    )
    await service.start()
    runtime = build_runtime(settings, service, rate_limiter=settings.rate_limit)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    with contextlib.suppress(NotImplementedError, AttributeError):
        loop.add_signal_handler(signal.SIGHUP, lambda: asyncio.ensure_future(service.reload()))
    webhook: WebhookServer | None = None
    try:
        if settings.webhook_url:
            if not settings.webhook_secret:
                raise ConfigError("WEBHOOK_URL needs WEBHOOK_SECRET (a random string Telegram sends back)")
            await start_runtime(runtime, (settings.webhook_url, settings.webhook_secret))
            path = urlsplit(settings.webhook_url).path or "/"
            webhook = WebhookServer(runtime.inbox, runtime.poller, service.clock, settings.webhook_secret, path)
            port = await webhook.start(settings.webhook_listen, settings.webhook_port)
            log.info("Wegweiser runs as @%s, webhook on port %d", runtime.app.bot.username, port)
            await runtime.poller.replay()
            await stop.wait()
            return
        await start_runtime(runtime)
        me = runtime.app.bot
        log.info("Wegweiser runs as @%s", me.username)
        polling = asyncio.create_task(runtime.poller.run())
        stopped = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait({polling, stopped}, return_when=asyncio.FIRST_COMPLETED)
        if polling in done:
            polling.result()  # raise what stopped polling (e.g. an invalid token)
        polling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await polling
    finally:
        if webhook is not None:
            await webhook.stop()
        await stop_runtime(runtime)
        await service.stop()
        log.info("Wegweiser stopped cleanly")


def run_bot(settings: Settings) -> int:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    quiet_loggers()
    try:
        asyncio.run(serve(settings))
    except KeyboardInterrupt:
        pass
    except InvalidToken:
        log.critical("Telegram refused TELEGRAM_BOT_TOKEN: check the token from @BotFather")
        return 3
    except (sqlite3.Error, StorageError) as exc:
        log.critical("the database %s cannot be used: %s (disk full? locked? permissions?)", settings.db_path, exc)
        return 4
    return 0


__all__ = ["BotRuntime", "build_runtime", "run_bot", "serve", "start_runtime", "stop_runtime"]
