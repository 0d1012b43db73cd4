"""An update id is recorded with the state its handling saved, in one transaction: an update
whose handling was cut short (a crash, a kill -9 between the two) is handled again when it comes
back, and one handled to the end is never handled twice."""

from __future__ import annotations

import pytest
from bot_fixtures import count, event

from bot import texts
from bot.channels.zalo import MenuStore, ZaloAdapter, ZaloApiError, ZaloBot
from bot.core import DialogCore
from bot.messages import State
from bot.store import Store
from devtools.fake_zalo import FakeZalo
from storage.models import ProcessedUpdate, Question


class Crash(Exception):
    """Stands for the process dying between the handling and the saving of its result."""


@pytest.fixture
def core(database, fake_kb) -> DialogCore:
    return DialogCore(database, fake_kb)


def crash_once_before_saving(core: DialogCore, monkeypatch) -> None:
    finish = core.store.finish_update
    calls = {"n": 0}

    def crashing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise Crash
        return finish(*args, **kwargs)

    monkeypatch.setattr(core.store, "finish_update", crashing)


async def test_an_update_cut_short_before_saving_is_answered_when_it_comes_again(
        core, database, monkeypatch):
    crash_once_before_saving(core, monkeypatch)
    [cut_short] = await core.handle(event("điều 36", update_id="700", channel="telegram"))
    assert cut_short.text == texts.ERROR
    assert count(database, ProcessedUpdate) == 0  # not taken for handled

    again = await core.handle(event("điều 36", update_id="700", channel="telegram"))
    assert "Điều 36" in again[0].text  # the answer the user never got
    assert count(database, ProcessedUpdate) == 1

    assert await core.handle(event("điều 36", update_id="700", channel="telegram")) == []
    assert count(database, ProcessedUpdate) == 1


async def test_a_menu_cut_short_is_shown_and_saved_when_the_update_comes_again(
        core, database, monkeypatch):
    def menu_version() -> int:
        account = core.store.open_account(channel="telegram", external_id="u1", chat_id="u1")
        return core.store.load_state(account.id).menu_version

    await core.handle(event("điều 36", update_id="1", channel="telegram"))
    shown = menu_version()
    crash_once_before_saving(core, monkeypatch)
    await core.handle(event("điều 37", update_id="2", channel="telegram"))
    assert menu_version() == shown  # the menu it would have shown was not saved
    [answer] = await core.handle(event("điều 37", update_id="2", channel="telegram"))
    assert answer.buttons and menu_version() == shown + 1
    assert count(database, ProcessedUpdate) == 2


async def test_a_handled_update_delivered_again_is_dropped(core, database, fake_kb):
    first = await core.handle(event("điều 36", update_id="42", channel="zalo"))
    assert first and await core.handle(event("điều 36", update_id="42", channel="zalo")) == []
    assert fake_kb.asked == ["điều 36"] and count(database, Question) == 1


async def test_the_same_id_on_two_channels_is_two_updates(core, database):
    assert await core.handle(event("điều 36", update_id="5", channel="telegram"))
    assert await core.handle(event("điều 36", update_id="5", channel="zalo"))
    assert count(database, ProcessedUpdate) == 2


def test_a_second_worker_finishing_the_same_update_saves_nothing(database):
    """Two workers handled one update at once (it cannot happen through the inbox, which hands an
    update to one worker; it can through two polling loops): the first to record it wins, and
    the second's state is not written over the first's."""
    store = Store(database)
    account = store.open_account(channel="telegram", external_id="9", chat_id="9")
    assert store.finish_update(account.id, State(flow="report", step="place"),
                               channel="telegram", update_id="77")
    assert not store.finish_update(account.id, State(flow="ask", step="other"),
                                   channel="telegram", update_id="77")
    assert store.load_state(account.id).step == "place"
    assert store.seen_update(channel="telegram", update_id="77")
    assert not store.seen_update(channel="zalo", update_id="77")


async def test_a_zalo_notice_that_did_not_go_out_is_sent_when_the_update_comes_again(core, database):
    """The adapter's own notice (here: a protected account) is recorded once sent, not before:
    a worker that died (here: a send that failed) before sending leaves it to the next try."""
    fake = FakeZalo()
    bot = ZaloBot("1234:zalo-fake-token", "https://bot-api.zapps.me", fake.transport())
    adapter = ZaloAdapter(core, bot, MenuStore(database))
    update = fake.unsupported_update("zu1")
    fake.fail("sendMessage", status=400, description="Bad Request")
    try:
        with pytest.raises(ZaloApiError):
            await adapter.handle(update)
        assert count(database, ProcessedUpdate) == 0  # the fake lists the refused attempt too
        await adapter.handle(update)
        await adapter.handle(update)  # delivered once more: answered once
    finally:
        await bot.aclose()
    assert fake.texts("zu1") == [texts.ZALO_PROTECTED] * 2  # refused once, then sent once
    assert count(database, ProcessedUpdate) == 1
