"""The reminder service: an APScheduler interval tick that plans and sends what is due.

The job lives in a SQLAlchemy job store in the same database, with coalescing and a misfire grace
time, so a restart neither loses the schedule nor replays a burst of missed ticks. Reminders are
not jobs: each tick reads the deadlines and claims its sends (see ``sender``), which is what makes
them exactly-once. On PostgreSQL only the replica holding an advisory lock ticks; the others
stand by and take over when it goes away (the lock dies with its connection).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import text

from scheduler import messages, planner, store
from scheduler.calendar import TZ, local_day
from scheduler.planner import ESCALATION, Policy
from scheduler.sender import Claims, Fanout, FanoutReport, Pacer
from storage.db import Database

log = logging.getLogger(__name__)

JOB_ID = "reminders-tick"
LOCK_KEY = 0x43_44_43_53_52  # "CDCSR": the advisory lock of the active scheduler
_services: dict[str, ReminderService] = {}  # job store entries point here by name


class Leadership:
    """Who may tick: always this process on SQLite; on PostgreSQL whoever holds the lock."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._connection = None

    def try_lead(self) -> bool:
        if self.db.engine.dialect.name != "postgresql":
            return True
        if self._connection is not None:
            try:
                self._connection.execute(text("select 1"))
                return True
            except Exception:  # noqa: BLE001 — the connection died, and the lock with it
                self.resign()
        connection = self.db.engine.connect()
        got = connection.execute(text("select pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}).scalar()
        connection.commit()
        if got:
            self._connection = connection  # held open: the lock lives as long as this connection
        else:
            connection.close()
        return bool(got)

    def resign(self) -> None:
        if self._connection is not None:
            self._connection.close()  # closing the session releases the advisory lock
            self._connection = None


@dataclass
class TickReport:
    planned: int = 0
    fanout: FanoutReport | None = None
    leader: bool = True


class ReminderService:
    def __init__(self, db: Database, outbox, *, policy: Policy | None = None,
                 pacer: Pacer | None = None, tick_seconds: int = 300, name: str = "default") -> None:
        self.db, self.outbox = db, outbox
        self.policy = policy or Policy()
        self.pacer_factory = (lambda: pacer) if pacer else Pacer
        self.tick_seconds, self.name = tick_seconds, name
        self.leadership = Leadership(db)
        self.claims = Claims(db)
        self._lock = asyncio.Lock()
        self.scheduler: AsyncIOScheduler | None = None

    async def tick(self, now: datetime | None = None) -> TickReport:
        """Plan and send everything due at ``now`` (default: the current instant)."""
        now = now or datetime.now(TZ)
        async with self._lock:  # one tick at a time in this process
            if not await asyncio.to_thread(self.leadership.try_lead):
                return TickReport(leader=False)
            jobs = await asyncio.to_thread(self._plan, now)
            fanout = Fanout(self.claims, self.outbox, self.pacer_factory())
            report = TickReport(planned=len(jobs), fanout=await fanout.run(jobs))
        log.info("reminder tick: jobs=%d sent=%d skipped=%d failed=%d", report.planned,
                 report.fanout.sent, report.fanout.skipped, report.fanout.failed)
        return report

    def _plan(self, now: datetime):
        today = local_day(now)
        with self.db.session() as session:
            first, last = store.window(today, self.policy)
            infos, details = store.deadlines(session, first=first, last=last)
            sent = store.sent(session, [info.id for info in infos], today)
            items = planner.due(now, infos, sent, self.policy)
            store.record_escalations(session, [i for i in items if i.kind == ESCALATION], today)
            officers, staff = store.officers(session), store.staff(session)
        return messages.jobs(items, details, officers, staff, today)

    # ---- APScheduler wiring ------------------------------------------------------------------
    def start(self) -> AsyncIOScheduler:
        """Start the interval tick on the running event loop."""
        _services[self.name] = self
        self.scheduler = AsyncIOScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=self.db.engine)}, timezone=TZ,
            job_defaults={"coalesce": True, "max_instances": 1,
                          "misfire_grace_time": self.tick_seconds})
        self.scheduler.add_job(run_tick, "interval", seconds=self.tick_seconds, args=[self.name],
                               id=f"{JOB_ID}-{self.name}", replace_existing=True,
                               next_run_time=datetime.now(TZ))
        self.scheduler.start()
        return self.scheduler

    def stop(self) -> None:
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        _services.pop(self.name, None)
        self.leadership.resign()


async def run_tick(name: str) -> None:
    """The job the store persists: a reference by name, as live objects cannot be pickled."""
    service = _services.get(name)
    if service is None:
        log.warning("reminder tick without a running service: %s", name)
        return
    try:
        await service.tick()
    except Exception:  # a failed tick is logged; the next one tries again
        log.exception("reminder tick failed")


def attach(application, db: Database, settings) -> None:
    """Run the reminder service inside a PTB application: started by its ``post_init`` hook on
    PTB's event loop, sending through the application's bot, stopped by ``post_shutdown``."""
    from bot.outbound import Outbox, TelegramSender
    from scheduler.commands import policy

    service = ReminderService(db, Outbox(TelegramSender(application.bot)), policy=policy(settings),
                              tick_seconds=settings.reminder_tick_seconds)
    service.pacer_factory = lambda: Pacer(rate=settings.reminder_rate_per_second)  # fresh per tick
    before_init, before_shutdown = application.post_init, application.post_shutdown

    async def post_init(app) -> None:
        if before_init is not None:
            await before_init(app)
        service.start()

    async def post_shutdown(app) -> None:
        service.stop()
        if before_shutdown is not None:
            await before_shutdown(app)

    application.post_init, application.post_shutdown = post_init, post_shutdown


def run_telegram_with_reminders(settings, core, db: Database) -> None:
    """Long polling with the reminder service alongside (when enabled in the settings)."""
    from telegram import Update

    from bot.telegram import build_application

    application = build_application(settings, core)
    if settings.reminders_enabled:
        attach(application, db, settings)
    application.run_polling(allowed_updates=[Update.MESSAGE, Update.CALLBACK_QUERY])
