"""The Telegram adapter: PTB updates → ``InboundEvent``; ``Reply`` → HTML messages with inline
keyboards, split under 4096 characters.

Commands are parsed by the core (as on the console), so one text handler serves "/hoi …",
unknown commands and plain questions alike. Private chats only: a chairperson's questions are
their own, and answering every line of a group chat would flood it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatType, MessageLimit, ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import texts
from bot.channels.inbox import InboxDrainer
from bot.core import DialogCore
from bot.messages import Attachment, InboundEvent, OutgoingFile, Reply
from bot.outbox import DeliveryError
from bot.render import escape_html, html_length, split_text
from kernel.settings import Settings

log = logging.getLogger(__name__)

CHANNEL = "telegram"
# Non-text kinds the core can name for the user, in the order PTB's Message has them.
_KINDS = ("sticker", "photo", "document", "voice", "audio", "video", "video_note", "animation",
          "location", "contact")
# Different users are served concurrently; the core keeps each user's messages in order.
_CONCURRENT_UPDATES = 32


def build_application(settings: Settings, core: DialogCore, request: BaseRequest | None = None,
                      get_updates_request: BaseRequest | None = None, *,
                      webhook: bool = False) -> Application:
    """The bot's Application; ``webhook=True`` leaves out the poller (the web app feeds updates).
    Its bot sends the core's notices once the wiring adds ``TelegramSender(application.bot)``."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    builder = (ApplicationBuilder()
               .token(settings.telegram_bot_token.get_secret_value())
               .rate_limiter(_pace(settings))
               .concurrent_updates(_CONCURRENT_UPDATES)
               .post_init(_set_commands))
    if settings.telegram_base_url:
        builder.base_url(settings.telegram_base_url)
    if settings.telegram_base_file_url:
        builder.base_file_url(settings.telegram_base_file_url)
    if webhook:
        builder.updater(None)
    if request is not None:  # tests inject a fake Bot API here
        builder.request(request)
        if not webhook:
            builder.get_updates_request(get_updates_request or request)
    application = builder.build()
    _add_handlers(application, TelegramAdapter(core))
    return application


def _pace(settings: Settings) -> AIORateLimiter:
    """Sends paced to this worker's share of the bot's limit; a 429 is waited out, not dropped.
    The pace, not the code, is what bounds answers per second (benchmarks/webhooks.py)."""
    share = settings.telegram_send_rate / max(1, settings.web_workers)
    return AIORateLimiter(overall_max_rate=share, overall_time_period=1, max_retries=3)


def _add_handlers(application: Application, adapter: TelegramAdapter) -> None:
    # New messages in private chats (edits are not re-asked), text or not: the core routes
    # both, and tells the user when it cannot read a sticker, a photo or a file.
    incoming = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL
    application.add_handler(MessageHandler(incoming, adapter.on_message))
    application.add_handler(CallbackQueryHandler(adapter.on_button))
    application.add_error_handler(adapter.on_error)


async def _set_commands(application: Application) -> None:
    await application.bot.set_my_commands(
        [BotCommand(name, description) for name, description in texts.COMMANDS.items()])


class TelegramAdapter:
    def __init__(self, core: DialogCore) -> None:
        self.core = core

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        event = InboundEvent(
            channel=CHANNEL, external_id=str(user.id), chat_id=str(message.chat_id),
            kind="text" if message.text is not None else _kind(message), text=message.text or "",
            display_name=user.full_name or "", username=user.username or "",
            message_id=str(message.message_id), update_id=str(update.update_id),
            attachment=_attachment(context.bot, message), private=message.chat.type == ChatType.PRIVATE)
        await send_replies(context.bot, message.chat_id, await self.core.handle(event))

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        try:
            await query.answer()  # always, or the client keeps a spinner on the button
        except TelegramError as error:  # e.g. the query is too old: still handle the press
            log.warning("answerCallbackQuery failed: update=%s %s", update.update_id,
                        type(error).__name__)
        chat_id = query.message.chat.id if query.message else query.from_user.id
        event = InboundEvent(
            channel=CHANNEL, external_id=str(query.from_user.id), chat_id=str(chat_id),
            kind="button", payload=query.data or "", display_name=query.from_user.full_name or "",
            username=query.from_user.username or "",
            message_id=str(query.message.message_id) if query.message else None,
            update_id=str(update.update_id),
            # A press under a message in a group (a staff alert): the core must not answer
            # there with anything confidential, nor take the group for the user's own chat.
            private=query.message is None or query.message.chat.type == ChatType.PRIVATE)
        await send_replies(context.bot, chat_id, await self.core.handle(event))

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # Ids only: never the message text (personal data) or a URL with the token.
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("telegram update failed: update=%s", update_id, exc_info=context.error)
        if not isinstance(update, Update):
            return
        if isinstance(context.error, Forbidden):  # blocked by the user: nobody to tell
            await self._mark_blocked(update, context.error)
            return
        if update.effective_chat is not None:
            try:
                await context.bot.send_message(update.effective_chat.id, escape_html(texts.ERROR),
                                               parse_mode=ParseMode.HTML)
            except TelegramError:
                log.warning("could not send the error notice: update=%s", update_id)

    async def _mark_blocked(self, update: Update, error: Forbidden) -> None:
        if update.effective_user is not None:
            await asyncio.to_thread(self.core.store.mark_blocked, channel=CHANNEL,
                                    external_id=str(update.effective_user.id), error=error.message)


# Telegram file ids of files already uploaded by this process (path → id): an announcement's
# file is uploaded once, then sent to every other recipient by its id.
_uploaded: dict[str, str] = {}


async def send_replies(bot: Bot, chat_id: int | str, replies: list[Reply]) -> None:
    """Each reply as one or more HTML messages, after its file if it has one; its buttons go
    under the last part."""
    for reply in replies:
        if reply.file is not None:
            await _send_file(bot, chat_id, reply.file)
        parts = split_text(reply.text, MessageLimit.MAX_TEXT_LENGTH, html_length)
        for number, part in enumerate(parts, start=1):
            markup = _keyboard(reply) if number == len(parts) else None
            await bot.send_message(chat_id, escape_html(part), parse_mode=ParseMode.HTML,
                                   reply_markup=markup,
                                   link_preview_options=LinkPreviewOptions(is_disabled=True))


_uploading: dict[str, asyncio.Lock] = {}


async def _send_file(bot: Bot, chat_id: int | str, file: OutgoingFile) -> None:
    send = bot.send_photo if file.photo else bot.send_document
    # Sends run side by side: the first uploads, the others wait for its id instead of uploading too.
    async with _uploading.setdefault(file.path, asyncio.Lock()):
        known = _uploaded.get(file.path)
        if known is None:
            # Read off the event loop: a 20 MB file must not hold up every other chat.
            data = await asyncio.to_thread(Path(file.path).read_bytes)
            message = await send(chat_id, InputFile(data, filename=file.name))
            sent = message.photo[-1] if file.photo and message.photo else message.document
            if sent is not None:
                _uploaded[file.path] = sent.file_id
            return
    await send(chat_id, known)


def _keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.payload) for b in row] for row in reply.buttons])


def _attachment(bot: Bot, message: Message) -> Attachment | None:
    """A photo (its largest size) or a document; the bytes are fetched only if a flow asks."""
    if message.photo:
        photo = message.photo[-1]
        file_id, name, mime, size = photo.file_id, "anh.jpg", "image/jpeg", photo.file_size
    elif message.document:
        doc = message.document
        file_id, name, mime, size = doc.file_id, doc.file_name or "tep", doc.mime_type or "", doc.file_size
    else:
        return None

    async def fetch() -> bytes:
        return bytes(await (await bot.get_file(file_id)).download_as_bytearray())

    return Attachment(file_id=file_id, name=name, mime_type=mime, size=size, fetch=fetch)


def _kind(message: Message) -> str:
    return next((kind for kind in _KINDS if getattr(message, kind)), "other")


# ---- Outbound: the Outbox's sender ---------------------------------------------------------

class TelegramSender:
    channel = "telegram"

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: str, replies: list[Reply]) -> None:
        try:
            await send_replies(self.bot, chat_id, replies)
        except RetryAfter as error:
            seconds = error.retry_after
            wait = seconds.total_seconds() if hasattr(seconds, "total_seconds") else float(seconds)
            raise DeliveryError("rate limited", permanent=False, retry_after=wait) from error
        except Forbidden as error:  # blocked by the user, or kicked from the group
            raise DeliveryError(error.message, permanent=True) from error
        except BadRequest as error:  # "chat not found" and the like will not heal by retrying
            raise DeliveryError(error.message, permanent=_is_gone(error.message)) from error
        except (NetworkError, TelegramError) as error:
            raise DeliveryError(type(error).__name__, permanent=False) from error


def _is_gone(message: str) -> bool:
    lowered = message.lower()
    return any(sign in lowered for sign in ("chat not found", "user is deactivated", "bot was kicked"))


# ---- Running: PTB's Application fed by the webhook, or by its own poller --------------------

class TelegramChannel:
    """PTB's Application fed by our webhook (or by its own poller when no URL is set)."""

    def __init__(self, application: Application, *, url: str | None = None,
                 secret: str | None = None) -> None:
        self.application, self.url, self.secret = application, url, secret

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        app = self.application
        await app.initialize()
        if app.post_init is not None:  # run_polling would call it; here nobody else does
            await app.post_init(app)
        await app.start()
        try:
            await self._receive()
            yield
        finally:
            await self._stop_receiving()
            await app.stop()
            if app.post_shutdown is not None:
                await app.post_shutdown(app)
            await app.shutdown()

    async def _receive(self) -> None:
        allowed = [Update.MESSAGE, Update.CALLBACK_QUERY]
        if self.url:
            await self.application.bot.set_webhook(self.url, secret_token=self.secret,
                                                   allowed_updates=allowed)
        else:
            await self.application.updater.start_polling(allowed_updates=allowed)

    async def _stop_receiving(self) -> None:
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()

    async def feed(self, data: Any, inbox: InboxDrainer | None = None) -> None:
        """One update from the webhook (already checked for its secret): stored in the durable
        ``inbox`` (which hands it to ``handle``) before the webhook answers, else queued for PTB.
        An unreadable update is logged and dropped here, never stored."""
        update = self._update(data)
        if update is None:
            return
        if inbox is not None:
            await inbox.accept(CHANNEL, data)
        else:
            await self.application.update_queue.put(update)

    async def handle(self, data: Any) -> None:
        """One stored update processed now (the inbox's drainer awaits it); a handler's error
        goes to the error handler, as for queued updates."""
        update = self._update(data) if _well_formed(data) else None
        if update is not None:
            await self.application.process_update(update)

    def _update(self, data: Any) -> Update | None:
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            log.warning("telegram webhook: not an update, ignored")
            return None
        try:
            return Update.de_json(data, self.application.bot)
        except Exception as error:  # noqa: BLE001 — any malformed field: log, answer 200
            log.warning("telegram webhook: bad update=%s ignored: %s", data["update_id"],
                        type(error).__name__)
            return None


def _well_formed(data: Any) -> bool:
    """The parts the handlers read have the shapes Telegram sends: integer ids (PTB reads any
    JSON into an id, then hashes it, and a list raises outside every handler), a message's
    ``chat``, a sender's name, a press's sender, a message's text as a string. An update that
    breaks one is not one Telegram sends: logged and dropped, nobody to answer reliably."""
    if not isinstance(data, dict) or not _integer(data.get("update_id")):
        return False
    problem = _shape_problem(data)
    if problem:
        log.warning("telegram webhook: bad update=%s ignored: %s", data.get("update_id"), problem)
        return False
    return True


def _shape_problem(data: dict) -> str:
    message, query = data.get("message"), data.get("callback_query")
    if "message" in data:
        problem = _message_problem("message", message) or _sender_problem("message", message)
        if problem:
            return problem
    if "callback_query" in data:
        if not isinstance(query, dict) or not isinstance(query.get("from"), dict):
            return "callback_query from"
        if "data" in query and not isinstance(query["data"], str):
            return "callback_query data"
        # A press under an inline-mode message has no message: its sender is enough.
        inner = query.get("message")
        return ((_message_problem("callback_query", inner) if inner is not None else "")
                or _sender_problem("callback_query", query)
                or (_sender_problem("callback_query", inner) if inner is not None else ""))
    return ""


def _message_problem(kind: str, message: Any) -> str:
    if not isinstance(message, dict):
        return f"{kind} message"
    chat = message.get("chat")
    if not isinstance(chat, dict) or not _integer(chat.get("id")) or not isinstance(chat.get("type"), str):
        return f"{kind} chat"
    for name in ("text", "caption"):
        if name in message and not isinstance(message[name], str):
            return f"{kind} {name}"
    return ""


def _sender_problem(kind: str, holder: dict) -> str:
    who = holder.get("from")
    if who is not None and (not isinstance(who, dict) or not _integer(who.get("id"))
                            or not isinstance(who.get("first_name"), str)):
        return f"{kind} from"
    return ""


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
