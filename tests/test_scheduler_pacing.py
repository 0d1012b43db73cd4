"""Pacing of the fan-out through the real PTB bot: ≤ 25 messages/s overall, 1/s per chat."""

from __future__ import annotations

from collections import defaultdict

from scheduler_fixtures import FakeClock, fast_pacer, seed, telegram_outbox

from bot.messages import Reply
from scheduler.sender import Claims, Fanout, Job, Pacer
from storage.models import ChannelAccount


class TimedPacer(Pacer):
    """Records when each send was let through (the virtual instant right after its wait)."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(rate=25, clock=clock, sleep=clock.sleep)
        self.times: list[tuple[float, str]] = []

    async def wait(self, chat: str) -> None:
        await super().wait(chat)
        self.times.append((self.clock(), chat))


async def test_it_paces_overall_and_per_chat(sqlite_db):
    seed(sqlite_db, units=60)
    clock = FakeClock()
    app, api, outbox = await telegram_outbox()
    pacer = TimedPacer(clock)
    with sqlite_db.session() as session:
        accounts = [(a.id, a.chat_id) for a in session.query(ChannelAccount).order_by(ChannelAccount.id)]
    busy_id, busy_chat = accounts[0]
    jobs = [Job(busy_id, "telegram", busy_chat, ((1, lead, "reminder"),), lambda keys: [Reply("x")])
            for lead in (14, 7, 3)]  # one chat with three messages, at the front
    jobs += [Job(a, "telegram", chat, ((1, 14, "reminder"),), lambda keys: [Reply("y")])
             for a, chat in accounts[1:]]
    report = await Fanout(Claims(sqlite_db), outbox, pacer).run(jobs)
    await app.shutdown()
    assert report.sent == 63 and len(api.sent()) == 63
    times = sorted(t for t, _ in pacer.times)
    assert all(b - a >= 1 / 25 - 1e-9 for a, b in zip(times, times[1:]))
    by_chat = defaultdict(list)
    for t, chat in pacer.times:
        by_chat[chat].append(t)
    busy = by_chat[busy_chat]
    assert len(busy) == 3 and all(b - a >= 1 - 1e-9 for a, b in zip(busy, busy[1:]))
    others = [t for chat, ts in by_chat.items() if chat != busy_chat for t in ts]
    assert max(others) < 63 / 25  # the busy chat delayed nobody


async def test_a_second_fanout_of_the_same_jobs_sends_nothing(sqlite_db):
    seed(sqlite_db, units=3)
    app, api, outbox = await telegram_outbox()
    with sqlite_db.session() as session:
        accounts = [(a.id, a.chat_id) for a in session.query(ChannelAccount)]
    jobs = [Job(a, "telegram", chat, ((1, 7, "reminder"),), lambda keys: [Reply("z")]) for a, chat in accounts]
    first = await Fanout(Claims(sqlite_db), outbox, fast_pacer()).run(jobs)
    second = await Fanout(Claims(sqlite_db), outbox, fast_pacer()).run(jobs)
    await app.shutdown()
    assert (first.sent, second.sent, second.skipped) == (4, 0, 4) and len(api.sent()) == 4
