"""The reminder service: an APScheduler interval tick that plans and sends what is due.

Reminders are not jobs: each tick reads the deadlines and claims its sends (see ``sender``),
which is what makes them exactly-once, and after downtime the planner sends the latest useful
reminder once. So the tick job needs no persistence: it lives in APScheduler's memory store, is
added at start with its first run at once, and coalesces (a slow tick never piles up runs). On PostgreSQL only the replica holding an advisory lock ticks; the others
stand by and take over when it goes away (the lock dies with its connection).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import text

from kernel.calendar import TZ, local_day
from scheduler import case_deadlines, messages, planner, store
from scheduler.models import DailyRun
from scheduler.planner import ESCALATION, Policy
from scheduler.sender import LEASE, CaseClaims, Claims, Fanout, FanoutReport, Pacer
from storage.db import Database

if TYPE_CHECKING:
    from bot.outbox import Outbox
    from cases.service import CaseDesk

log = logging.getLogger(__name__)

JOB_ID = "reminders-tick"
LOCK_KEY = 0x43_44_43_53  # "CDCS": the advisory lock of the active scheduler
# The lock's second key is the schema, so two deployments (or test runs) that share one
# PostgreSQL server in different schemas do not block each other's schedulers.
_LOCK = "pg_try_advisory_lock(:key, hashtext(current_schema()))"
_UNLOCK = "pg_advisory_unlock(:key, hashtext(current_schema()))"
_services: dict[str, ReminderService] = {}  # job store entries point here by name
Broadcast = Callable[[datetime], Awaitable[FanoutReport]]  # e.g. reach.sender.AnnouncementSender.send_due


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
        got = connection.execute(text(f"select {_LOCK}"), {"key": LOCK_KEY}).scalar()
        connection.commit()
        if got:
            self._connection = connection  # held open: the lock lives as long as this connection
        else:
            connection.close()
        return bool(got)

    def resign(self) -> None:
        if self._connection is not None:
            # A pooled connection outlives close(), and the lock with it: unlock explicitly, and
            # if that fails drop the connection for good, which ends the session and its lock.
            try:
                self._connection.execute(text(f"select {_UNLOCK}"), {"key": LOCK_KEY})
                self._connection.commit()
                self._connection.close()
            except Exception:  # noqa: BLE001 — already broken: invalidating closes it for real
                self._connection.invalidate()
            self._connection = None


@dataclass
class TickReport:
    planned: int = 0
    fanout: FanoutReport | None = None
    leader: bool = True
    cases: FanoutReport | None = None  # case response reminders and escalations
    purged: list[str] | None = None  # case codes purged by today's retention run (None: not run)
    broadcasts: list[FanoutReport] | None = None  # the announcements' sends, when wired


class ReminderService:
    def __init__(self, db: Database, outbox: Outbox, *, policy: Policy | None = None,
                 pacer: Pacer | None = None, rate_per_second: float = 25.0,
                 tick_seconds: int = 300, name: str = "default", desk: CaseDesk | None = None,
                 channels: frozenset[str] | None = None, clock=None,
                 lease: timedelta = LEASE, broadcasts: Sequence[Broadcast] = ()) -> None:
        self.db, self.outbox = db, outbox
        # Other claimed sends that run where the reminders run (announcements): after them, under
        # the same lock and leadership, so one replica sends and never two ticks at once.
        self.broadcasts = tuple(broadcasts)
        # The case desk unseals the enterprise for case reminders and runs the daily purge;
        # without one (no key) case reminders still go out, without the enterprise, and no purge.
        self.desk = desk
        self.channels = channels  # None: every channel; else others are left unclaimed
        self.clock = clock or (lambda: datetime.now(TZ))
        self._noted_skips = False
        self.policy = policy or Policy()
        # A fresh pace per tick (one pace for both ledgers: the bot's limit is shared); tests pass
        # a pacer of their own with a virtual clock.
        self.pacer_factory = (lambda: pacer) if pacer else (lambda: Pacer(rate=rate_per_second))
        self.tick_seconds, self.name = tick_seconds, name
        self.leadership = Leadership(db)
        # Claims pending longer than the lease are sent again (see ``sender``).
        self.claims = Claims(db, lease)
        self.case_claims = CaseClaims(db, lease)
        self._lock = asyncio.Lock()
        self.scheduler: AsyncIOScheduler | None = None

    async def tick(self, now: datetime | None = None) -> TickReport:
        """Plan and send everything due at ``now`` (default: the current instant)."""
        now = now or self.clock()
        async with self._lock:  # one tick at a time in this process
            if not await asyncio.to_thread(self.leadership.try_lead):
                return TickReport(leader=False)
            jobs, case_jobs = await asyncio.to_thread(self._plan, now)
            pacer = self.pacer_factory()  # one pace for both ledgers: the bot's limit is shared
            report = TickReport(planned=len(jobs) + len(case_jobs),
                                fanout=await Fanout(self.claims, self.outbox, pacer).run(jobs, now),
                                cases=await Fanout(self.case_claims, self.outbox, pacer).run(case_jobs, now))
            report.purged = await asyncio.to_thread(self._daily_purge, now)
            report.broadcasts = [await send(now) for send in self.broadcasts]
        log.info("reminder tick: jobs=%d sent=%d skipped=%d failed=%d case_sent=%d", report.planned,
                 report.fanout.sent, report.fanout.skipped, report.fanout.failed, report.cases.sent)
        return report

    def _plan(self, now: datetime):
        today = local_day(now)
        with self.db.session() as session:
            first, last = store.window(today, self.policy)
            infos, details = store.deadlines(session, first=first, last=last)
            sent = self._unfinished_left_out(session, store.sent(session, [info.id for info in infos], today),
                                             infos, now)
            items = planner.due(now, infos, sent, self.policy)
            store.record_escalations(session, [i for i in items if i.kind == ESCALATION], today)
            officers, staff = store.officers(session), store.staff(session)
            blocked = store.blocked_officers(session) if any(i.kind == ESCALATION for i in items) else []
            jobs = messages.jobs(items, details, officers, staff, today, blocked=blocked)
            return self._reachable(jobs), self._reachable(self._case_jobs(session, now))

    def _unfinished_left_out(self, session, sent: planner.Sent, infos, now: datetime) -> planner.Sent:
        """What was sent, less claims pending past the lease (their tick died before sending):
        the planner plans those keys again and the claim takes the pending rows over. An
        escalation pending so does not count as the unit's alert of the day either."""
        stale = self.claims.stale_keys(session, now)
        if not stale:
            return sent
        units = {info.id: info.unit_id for info in infos}
        escalated = {units.get(deadline) for deadline, _, kind in stale if kind.startswith(ESCALATION)}
        return planner.Sent(sent.keys - stale, sent.units_escalated_today - escalated)

    def _case_jobs(self, session, now: datetime):
        cases = case_deadlines.open_cases(session)
        sent = case_deadlines.sent(session, [case.id for case in cases]) - self.case_claims.stale_keys(session, now)
        items = case_deadlines.due(now, cases, sent, self.policy)
        config = getattr(self.desk, "config", None)
        return case_deadlines.jobs(session, items, sealer=getattr(self.desk, "sealer", None),
                                   alert_chat_id=getattr(config, "alert_chat_id", None))

    def _reachable(self, jobs):
        """Jobs for channels this process can send on; the rest stay unclaimed for one that can."""
        if self.channels is None:
            return jobs
        kept = [job for job in jobs if job.channel in self.channels]
        if len(kept) < len(jobs):
            # Loud once (the console hides INFO), then quiet: they wait, unclaimed, for a bot.
            level = logging.INFO if self._noted_skips else logging.WARNING
            missing = sorted({job.channel for job in jobs} - set(self.channels))
            log.log(level, "reminders not sent here: %d for channels without a sender (%s; "
                    "Telegram needs TELEGRAM_BOT_TOKEN, Zalo needs ZALO_BOT_TOKEN)",
                    len(jobs) - len(kept), ", ".join(missing))
            self._noted_skips = True
        return kept

    def _daily_purge(self, now: datetime) -> list[str] | None:
        """The retention purge of closed cases, claimed once per local day across replicas."""
        if self.desk is None:
            return None
        with self.db.session() as session:
            claimed = session.execute(self.db.insert(DailyRun).values(
                task="cases-purge", on_day=local_day(now), result="").on_conflict_do_nothing()
                .returning(DailyRun.id)).scalar()
        if claimed is None:
            return None  # already run today (here or by another replica)
        codes = self.desk.purge()
        with self.db.session() as session:
            session.get(DailyRun, claimed).result = f"{len(codes)}: {', '.join(codes)}"[:300]
        log.info("retention purge: %d cases %s", len(codes), ", ".join(codes))
        return codes

    # ---- APScheduler wiring ------------------------------------------------------------------
    def start(self) -> AsyncIOScheduler:
        """Start the interval tick on the running event loop."""
        _services[self.name] = self
        self.scheduler = AsyncIOScheduler(
            timezone=TZ, job_defaults={"coalesce": True, "max_instances": 1,
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
    """The tick job: the service is found by name, so the job holds no live object."""
    service = _services.get(name)
    if service is None:
        log.warning("reminder tick without a running service: %s", name)
        return
    try:
        await service.tick()
    except asyncio.CancelledError:
        # The process is stopping (/thoat, Ctrl-C) while a tick plans: nothing was claimed that
        # the next start will not see, and the user must not get a traceback on the way out.
        log.info("reminder tick stopped by shutdown")
    except Exception:  # a failed tick is logged; the next one tries again
        log.exception("reminder tick failed")
