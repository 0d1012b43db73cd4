"""Knowledge at the desk: search the corpus as the bot does, and upload a document to ingest.

The upload is checked (type, size), written into the user corpus by ``knowledge.ingest``, and
the index is brought up to date in a background thread — only changed chunks are embedded.
The outcome is shown on the page the upload answers with (not a redirect): its words are the
ingest's own, which an address must never carry, and sending the same file again only
replaces the same document."""

from __future__ import annotations

import asyncio
import logging
import tempfile
import threading
from datetime import datetime
from pathlib import Path

from fastapi import APIRouter, File, Form, Request, UploadFile

from kernel.calendar import TZ
from knowledge.ingest import MAX_BYTES, IngestError, ingest_file
from webapp.staff.web import Wiring, check_csrf, page

log = logging.getLogger(__name__)

ALLOWED = (".txt", ".docx", ".pdf")
LONGEST_NAME = 120  # characters of an uploaded file's name kept (a file system takes 255 bytes)
STATUS_CHOICES = {"in_force": "đang có hiệu lực", "superseded": "hết hiệu lực",
                  "partly_superseded": "hết hiệu lực một phần"}


class Reindexer:
    """One index build at a time per process; what the page shows about the last one."""

    def __init__(self, build) -> None:
        self.build, self.lock = build, threading.Lock()
        self.state = {"status": "idle", "doc_id": "", "at": None, "error": ""}

    def start(self, doc_id: str) -> None:
        self.state = {"status": "running", "doc_id": doc_id, "at": datetime.now(TZ), "error": ""}
        threading.Thread(target=self._run, name=f"reindex-{doc_id}", daemon=True).start()

    def _run(self) -> None:
        with self.lock:  # a second upload waits for the first build, then brings in its own change
            try:
                self.build()
                self.state = {**self.state, "status": "done", "at": datetime.now(TZ)}
            except Exception as error:
                log.exception("reindex after upload failed")
                self.state = {**self.state, "status": "failed", "error": type(error).__name__}


def routes(wiring: Wiring) -> APIRouter:
    router = APIRouter(route_class=wiring.route)
    reindexer = Reindexer(wiring.deps.reindex or (lambda: _rebuild(wiring)))
    wiring.deps.extra["reindexer"] = reindexer  # the questions page re-indexes after a link too

    @router.get("/knowledge")
    def knowledge(request: Request, q: str = ""):
        current = wiring.staff(request)
        answer = wiring.kb(request).answer(q.strip()[:1000]) if q.strip() else None
        return _page(request, current, "", q=q, answer=answer)

    def _page(request: Request, current, said: str, http_status: int = 200, **search):
        return page(request, "knowledge.html", current, http_status=http_status,
                    **{"q": "", "answer": None, **search}, msg=said, job=reindexer.state,
                    statuses=STATUS_CHOICES, max_mb=MAX_BYTES // (1024 * 1024))

    @router.post("/knowledge/upload")
    async def upload(request: Request, csrf: str = Form(""), file: UploadFile = File(...),
                     doc_id: str = Form(""), title: str = Form(""), number: str = Form(""),
                     status: str = Form("in_force")):
        current = wiring.staff(request)
        check_csrf(current, csrf)
        suffix = Path(file.filename or "").suffix.lower()
        if suffix not in ALLOWED:
            return _page(request, current, "Chỉ nhận tệp .txt, .docx hoặc .pdf.", 400)
        data = await file.read(MAX_BYTES + 1)  # never more than the limit in memory
        if len(data) > MAX_BYTES:
            return _page(request, current, f"Tệp vượt giới hạn {MAX_BYTES // (1024 * 1024)} MB.", 413)
        try:
            # Parsing a PDF or a long .docx takes seconds: not on the event loop.
            summary = await asyncio.to_thread(_ingest, wiring, data, suffix, file.filename or "",
                                              doc_id.strip(), title, number, status)
        except IngestError as error:
            return _page(request, current, str(error).split(" / ")[0], 400)
        wiring.deps.extra.setdefault("kb", wiring.kb(request))  # reloaded when the build is done
        reindexer.start(doc_id.strip())
        return _page(request, current, summary + " Đang cập nhật chỉ mục tìm kiếm.")

    return router


def _ingest(wiring: Wiring, data: bytes, suffix: str, original: str, doc_id: str, title: str,
            number: str, status: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        # The original name is kept (the manifest records it); only its last part, never a
        # path, and short enough for the file system (its end, the type, is what counts).
        name = Path(original).name
        if len(name) > LONGEST_NAME:
            name = name[:LONGEST_NAME - len(suffix)] + suffix
        path = Path(folder) / (name or f"upload{suffix}")
        path.write_bytes(data)
        result = ingest_file(path, doc_id=doc_id, title=title, number=number, status=status,
                             user_corpus_dir=wiring.settings.user_corpus_dir)
    return result.summary().split(" → ")[0] + "."


def _rebuild(wiring: Wiring) -> None:
    """Update the index, then let this worker answer from it (the others reload it at their next
    look, within ``knowledge.service.FOLLOW_SECONDS``)."""
    from knowledge.lexicon import vocabulary
    from knowledge.service import build_index

    vocabulary.cache_clear()  # staff may have linked new phrasings since the last build
    build_index(wiring.settings, progress=False)
    kb = wiring.deps.extra.get("kb")
    if hasattr(kb, "reload"):
        kb.reload(wiring.settings)
