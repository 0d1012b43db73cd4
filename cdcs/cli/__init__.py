"""The ``cdcs`` command: run the bot, chat on the console, ask, index, ingest, migrate; the
operators' commands for cases, staff and reminders are in the modules beside this one.

The top of the house: it may import everything, and nothing imports it. Runtime objects come
from ``cdcs.wiring``; errors an operator can fix are ``kernel.errors.UserError``, one line each."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from cdcs import wiring
from cdcs.cli import announcements as announcement_commands
from cdcs.cli import cases as cases_commands
from cdcs.cli import register as register_commands
from cdcs.cli import reminders as reminder_commands
from cdcs.cli import reports as report_commands
from kernel.errors import UserError
from kernel.logs import configure_logging, quiet_for_chat
from kernel.settings import Settings, get_settings
from knowledge.lexicon import VocabularyError


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = get_settings()
    configure_logging(settings.log_level)
    try:
        return args.handler(args, settings) or 0
    except (UserError, VocabularyError) as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cdcs", description="Trợ lý CĐCS")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="start the bot (Telegram with a token, else the console)")
    run.add_argument("--console", action="store_true", help="use the console even with a token")
    run.set_defaults(handler=_run)

    chat = commands.add_parser("chat", help="chat with the bot on this console")
    chat.set_defaults(handler=lambda args, settings: _run(argparse.Namespace(console=True), settings))

    ask = commands.add_parser("ask", help="ask one question (or one per line on stdin with --jsonl)")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("--jsonl", action="store_true", help="read questions from stdin, print JSON lines")
    ask.set_defaults(handler=_ask)

    index = commands.add_parser("index", help="build or update the search index (only what changed)")
    index.add_argument("--quiet", action="store_true", help="no progress bar")
    index.set_defaults(handler=_index)

    ingest = commands.add_parser("ingest", help="add a document (.txt, .docx, .pdf) to the knowledge base")
    ingest.add_argument("file", type=Path)
    ingest.add_argument("--doc-id", required=True, help="short id, e.g. dieu-le-cd-2023")
    ingest.add_argument("--title", required=True)
    ingest.add_argument("--number", default="", help="the document's number, e.g. 01/HD-TLĐ")
    ingest.add_argument("--status", default="in_force", choices=["in_force", "superseded", "partly_superseded"])
    ingest.add_argument("--no-index", action="store_true", help="do not update the index now")
    ingest.set_defaults(handler=_ingest)

    db = commands.add_parser("db", help="database tasks")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="apply the migrations").set_defaults(handler=_db_upgrade)
    cases_commands.register(commands)
    reminder_commands.register(commands)
    register_commands.register(commands)
    report_commands.register(commands)
    announcement_commands.register(commands)
    return parser


def _db_upgrade(args, settings: Settings) -> int:
    wiring.open_database(settings).dispose()
    print("Cơ sở dữ liệu đã ở phiên bản mới nhất.")
    return 0


def _index(args, settings: Settings) -> int:
    from knowledge.service import build_index

    report = build_index(settings, progress=not args.quiet)
    print(report)
    return 0


def _ingest(args, settings: Settings) -> int:
    from knowledge.ingest import IngestError, ingest_file

    try:
        result = ingest_file(args.file, doc_id=args.doc_id, title=args.title, number=args.number,
                             status=args.status, user_corpus_dir=settings.user_corpus_dir)
    except IngestError as error:
        raise UserError(str(error)) from error
    print(result.summary() if hasattr(result, "summary") else result)
    if not args.no_index:
        return _index(argparse.Namespace(quiet=False), settings)
    return 0


def _ask(args, settings: Settings) -> int:
    if not args.jsonl and not args.question:
        raise UserError("hãy nêu câu hỏi, ví dụ: cdcs ask \"điều 36 blld\"")
    knowledge = wiring.open_knowledge(settings)
    if args.jsonl:
        for line in sys.stdin:
            if line.strip():
                print(json.dumps(knowledge.answer(line.strip()).as_json(), ensure_ascii=False), flush=True)
        return 0
    answer = knowledge.answer(args.question)
    print(json.dumps(answer.as_json(), ensure_ascii=False, indent=2) if args.json else answer.text)
    return 0


def _run(args, settings: Settings) -> int:
    database = wiring.open_database(settings)
    try:
        kb = wiring.open_knowledge(settings)
        if _serves_asgi(settings) and not args.console:
            _serve(settings, wiring.build_core(settings, database, kb))
        elif settings.telegram_bot_token and not args.console:
            wiring.run_telegram_polling(settings, wiring.build_core(settings, database, kb))
        else:
            core, screen = wiring.console_core(settings, database, kb)
            quiet_for_chat()
            asyncio.run(wiring.run_console_chat(settings, core, screen))
    finally:
        database.dispose()
    return 0


def _serves_asgi(settings: Settings) -> bool:
    """Webhooks (Telegram or Zalo) need the ASGI app; a Telegram-only bot without a webhook
    URL long-polls as before."""
    return bool(settings.telegram_webhook_url or settings.zalo_bot_token)


def _serve(settings: Settings, core) -> None:
    """The ASGI app under uvicorn; with several workers each process builds its own core."""
    import uvicorn

    if settings.web_workers > 1:
        if settings.telegram_bot_token and not settings.telegram_webhook_url:
            raise UserError("nhiều tiến trình (WEB_WORKERS > 1) cần TELEGRAM_WEBHOOK_URL: "
                            "Telegram chỉ cho một tiến trình long polling")
        if settings.zalo_bot_token and not settings.zalo_webhook_url:
            raise UserError("nhiều tiến trình (WEB_WORKERS > 1) cần ZALO_WEBHOOK_URL: "
                            "mỗi tiến trình long polling sẽ lấy mất tin nhắn của tiến trình khác")
        uvicorn.run("cdcs.wiring:asgi_from_environment", factory=True, host=settings.web_host,
                    port=settings.web_port, workers=settings.web_workers, proxy_headers=True)
        return
    uvicorn.run(wiring.asgi_app(settings, core), host=settings.web_host, port=settings.web_port, proxy_headers=True)


if __name__ == "__main__":
    sys.exit(main())
