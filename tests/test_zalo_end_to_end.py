"""Issue 5, "done when", on Zalo: a chairperson on the fake Zalo Bot API asks a question, files a
report with /baocao by numbered choices, and receives a deadline reminder whose "1" records the
submission. The ASGI app as ``cdcs run`` serves it (Zalo only, no Telegram token), with its
reminder service over the shared outbox; a SQLite file, the real dialog core and knowledge base."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from cases_fixtures import desk_for
from scheduler_fixtures import at, seed
from sqlalchemy import select
from test_zalo import ZaloUser, answering, zalo_settings

from bot.channels.zalo import CHOOSE_HINT
from bot.core import DialogCore
from cases.models import Case
from cdcs.wiring import asgi_app
from devtools.fake_zalo import FakeZalo
from scheduler.models import Deadline, Delivery
from storage.models import ChannelAccount, Person, Role, Unit

CHAIR = "zu-chair-1"  # the chairperson: unit officer of LĐLĐ huyện 1 for reminders
STAFF = "zu-staff-9"  # a provincial staff member, also on Zalo
NOW = "2026-05-18T08:30"  # a week before the first half-year report of 25/05/2026 is due


def zalo_person(db, user: str, name: str, role: str, unit_code: str | None = None) -> None:
    with db.session() as session:
        unit = session.scalars(select(Unit).filter_by(code=unit_code)).one() if unit_code else None
        account = ChannelAccount(channel="zalo", external_id=user, chat_id=user,
                                 person=Person(display_name=name))
        session.add(account)
        session.flush()
        session.add(Role(person_id=account.person_id, role=role, unit_id=unit.id if unit else None))


def number_of(message: str, label_start: str) -> str:
    """The number a Zalo user types to pick the choice whose label starts so."""
    for line in message.split(CHOOSE_HINT, 1)[1].splitlines():
        number, _, label = line.partition(". ")
        if number.isdigit() and label.startswith(label_start):
            return number
    raise AssertionError(f"no choice {label_start!r} in: {message[-400:]}")


class Chairperson(ZaloUser):
    async def say(self, text: str, user: str = CHAIR) -> list[str]:
        return await super().say(text, user)

    async def choose(self, label_start: str, user: str = CHAIR) -> list[str]:
        last = next(text for text in reversed(self.api.texts(user)) if CHOOSE_HINT in text)
        return await self.say(number_of(last, label_start), user)

    async def wait_for(self, user: str, needle: str, timeout: float = 15.0) -> str:
        for _ in range(int(timeout / 0.02)):
            found = [text for text in self.api.texts(user) if needle in text]
            if found:
                return found[-1]
            await asyncio.sleep(0.02)
        raise AssertionError(f"{user} never got {needle!r}: {self.api.texts(user)[-3:]}")


@pytest.fixture
def world(bot_db, tmp_path):
    seed(bot_db, units=1)  # LĐLĐ huyện 1 (its Telegram officer 1001), staff 9001 on Telegram
    zalo_person(bot_db, CHAIR, "Chị Lan", "unit_officer", "LDLD-1")
    zalo_person(bot_db, STAFF, "Anh Tùng", "provincial_staff")
    return bot_db


async def serving(core: DialogCore, api: FakeZalo, *, now: str = NOW, routers=(), **settings):
    app = asgi_app(zalo_settings(reminders_enabled=True, reminder_tick_seconds=3600, **settings),
                   core, staff_page=False, zalo_transport=api.transport(), extra_routers=routers)
    app.state.channels.zalo.ready = answering(app)
    service = app.state.channels.reminders
    service.clock = lambda: at(now)  # its first tick runs as the app starts
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://test") as http:
            yield Chairperson(app, http, api), service


async def test_a_zalo_only_deployment_reminds_a_zalo_officer_who_answers_1(world, real_kb):
    api = FakeZalo()
    async for chair, service in serving(DialogCore(world, real_kb), api):
        reminder = await chair.wait_for(CHAIR, "Nhắc hạn báo cáo")
        assert "LĐLĐ huyện 1" in reminder and "Hạn nộp: 25/05/2026" in reminder
        assert number_of(reminder, "✅ Đã nộp") == "1"
        assert service.channels == frozenset({"zalo"})

        again = await service.tick(at(NOW))  # another tick (or worker) sends nothing twice
        assert again.fanout.sent == 0
        assert len([t for t in api.texts(CHAIR) if "Nhắc hạn báo cáo" in t]) == 1

        [done, *_] = await chair.say("1", CHAIR)
        assert "Đã ghi nhận: LĐLĐ huyện 1 đã nộp" in done
    with world.session() as session:
        assert session.scalars(select(Deadline.status).order_by(Deadline.due_on)).first() == "submitted"
        claimed = session.execute(select(ChannelAccount.channel).join(
            Delivery, Delivery.account_id == ChannelAccount.id)).scalars().all()
    assert "zalo" in claimed and "telegram" not in claimed  # Telegram's wait for a Telegram bot


async def test_a_chairperson_on_zalo_asks_files_a_report_and_gets_a_reminder(world, real_kb, tmp_path):
    desk = desk_for(world, tmp_path)
    api = FakeZalo()
    # A quiet day first: the conversation, then the reminder when its day comes.
    async for chair, service in serving(DialogCore(world, real_kb, cases=desk), api,
                                        now="2026-04-01T08:30"):
        assert [t for t in api.texts(CHAIR) if "Nhắc hạn" in t] == []

        [answer] = await chair.say("điều 36 blld")  # a question: a cited answer, numbered choices
        assert "Điều 36" in answer and CHOOSE_HINT in answer and "Bộ luật Lao động" in answer
        article = await chair.choose("📖 Đọc toàn văn Điều 36")
        assert article[0].startswith("Điều 36. Quyền đơn phương")

        start = await chair.say("/baocao")  # a report: choices by number, fields typed
        assert CHOOSE_HINT in start[-1]
        await chair.choose("Cán bộ công đoàn bị sa thải")
        for typed in ("Công ty TNHH May Hoa Lư", "KCN Gián Khẩu, Gia Viễn", "12/11/2026", "120"):
            await chair.say(typed)
        await chair.choose("Chính tôi")
        await chair.say("Công ty đuổi việc tôi vì tôi đòi trả lương đúng hạn")
        await chair.say("xong")
        await chair.choose("Bỏ qua")
        summary = "\n".join(await chair.choose("Không cần"))
        assert "Công ty TNHH May Hoa Lư" in summary, summary
        done = "\n".join(await chair.choose("✅ Gửi"))
        with world.session() as session:
            case = session.scalars(select(Case)).one()
        assert case.code.startswith("BV-") and case.code in done
        alert = await chair.wait_for(STAFF, case.code)  # staff on Zalo get the alert there
        assert "đuổi việc tôi" in alert

        service.clock = lambda: at(NOW)  # the reminder's day
        report = await service.tick()
        assert report.fanout.sent >= 1
        reminder = await chair.wait_for(CHAIR, "Nhắc hạn báo cáo")
        assert "Hạn nộp: 25/05/2026" in reminder
        [recorded, *_] = await chair.choose("✅ Đã nộp")
        assert "Đã ghi nhận: LĐLĐ huyện 1 đã nộp" in recorded


def test_the_operator_adds_a_zalo_officer_and_ticks_from_the_command_line(tmp_path, monkeypatch,
                                                                          capsys):
    """``cdcs units officer add --zalo-id`` and ``cdcs reminders tick`` with only a Zalo token:
    the Zalo officer's reminder goes out, the Telegram officer's waits for a Telegram bot."""
    import functools

    from cdcs import cli, wiring
    from storage.db import Database

    api = FakeZalo()
    monkeypatch.setattr(cli, "get_settings", lambda: zalo_settings(
        data_dir=tmp_path, zalo_webhook_url=None, zalo_webhook_secret=None))
    monkeypatch.setattr(wiring, "operator_outbox",
                        functools.partial(wiring.operator_outbox, zalo_transport=api.transport()))
    assert cli.main(["units", "import", "scheduler/units_sample.yaml"]) == 0
    assert cli.main(["deadlines", "generate", "--year", "2026"]) == 0
    assert cli.main(["units", "officer", "add", "--unit", "LDLD-KIM-SON", "--zalo-id", "zu-77",
                     "--name", "Chị Mai"]) == 0
    assert cli.main(["units", "officer", "add", "--unit", "LDLD-KIM-SON", "--telegram-id", "77"]) == 0
    assert "Đã gán Chị Mai" in capsys.readouterr().out
    assert cli.main(["reminders", "tick", "--now", "2026-05-18T08:30+07:00"]) == 0
    assert "Đã gửi 1," in capsys.readouterr().out
    [reminder] = api.texts("zu-77")
    assert "Nhắc hạn báo cáo" in reminder and number_of(reminder, "✅ Đã nộp") == "1"
    database = Database(cli.get_settings().sqlalchemy_url)
    with database.session() as session:
        claimed = session.execute(select(ChannelAccount.channel).join(
            Delivery, Delivery.account_id == ChannelAccount.id)).scalars().all()
    database.dispose()
    assert claimed == ["zalo"]


async def test_an_extension_asked_and_approved_by_numbers_on_zalo(world, real_kb):
    """"2" on the reminder asks for a new date and a reason; the staff member on Zalo gets the
    request with numbered choices and approves it with its number; the officer hears back."""
    api = FakeZalo()
    async for chair, service in serving(DialogCore(world, real_kb), api):
        reminder = await chair.wait_for(CHAIR, "Nhắc hạn báo cáo")
        assert number_of(reminder, "📅 Xin gia hạn") == "2"
        await chair.say("2")
        await chair.say("05/06/2026")
        await chair.say("Chờ số liệu của các CĐCS")
        request = await chair.wait_for(STAFF, "Chờ số liệu của các CĐCS")
        assert "05/06/2026" in request
        await chair.say(number_of(request, "✅ Đồng ý"), STAFF)
        decided = await chair.wait_for(CHAIR, "hạn mới 05/06/2026")
        assert "LĐLĐ huyện 1" in decided
    with world.session() as session:
        moved = session.scalars(select(Deadline).order_by(Deadline.due_on)).first()
    assert moved.due_on.isoformat() == "2026-06-05" and moved.revision == 1


def test_several_workers_need_the_zalo_webhook(tmp_path):
    """Long polling in each of N workers would split one user's messages between them."""
    from cdcs import cli

    settings = zalo_settings(zalo_webhook_url=None, zalo_webhook_secret=None, web_workers=2,
                             data_dir=tmp_path)
    with pytest.raises(cli.UserError, match="ZALO_WEBHOOK_URL"):
        cli._serve(settings, None)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


async def test_a_photo_sent_on_zalo_is_kept_as_evidence_of_the_report(world, real_kb, tmp_path):
    """The photo is fetched through the bot's client (the fake serves it), checked and stored."""
    import hashlib

    from cases.models import CaseAttachment

    desk = desk_for(world, tmp_path)
    api = FakeZalo()
    async for chair, _ in serving(DialogCore(world, real_kb, cases=desk), api,
                                  now="2026-04-01T08:30"):
        await chair.say("/baocao")
        await chair.choose("Nợ lương")
        for typed in ("Công ty TNHH May Hoa Lư", "KCN Gián Khẩu, Gia Viễn", "12/11/2026", "120"):
            await chair.say(typed)
        await chair.choose("Chính tôi")
        await chair.say("Công ty nợ lương ba tháng")
        await chair.say("xong")
        [kept] = await chair.send(api.photo_update(CHAIR, PNG), CHAIR)
        assert kept.startswith("Đã nhận tệp anh.jpg")
        await chair.choose("Xong")
        await chair.choose("Không cần")
        done = "\n".join(await chair.choose("✅ Gửi"))
    with world.session() as session:
        case = session.scalars(select(Case)).one()
        [attachment] = session.scalars(select(CaseAttachment)).all()
    assert case.code in done
    assert desk.sealer.open(attachment.sha256_sealed) == hashlib.sha256(PNG).hexdigest()


async def test_a_photo_over_the_evidence_limit_is_refused(world, real_kb, tmp_path):
    from bot.flows import report_texts as t

    desk = desk_for(world, tmp_path, max_bytes=1024 * 1024)
    api = FakeZalo()
    async for chair, _ in serving(DialogCore(world, real_kb, cases=desk), api,
                                  now="2026-04-01T08:30", evidence_max_bytes=1024 * 1024):
        await chair.say("/baocao")
        await chair.choose("Nợ lương")
        for typed in ("Công ty TNHH May Hoa Lư", "KCN Gián Khẩu, Gia Viễn", "12/11/2026", "120"):
            await chair.say(typed)
        await chair.choose("Chính tôi")
        await chair.say("Công ty nợ lương ba tháng")
        await chair.say("xong")
        refused = await chair.send(api.photo_update(CHAIR, PNG + b"\x00" * (3 * 1024 * 1024)), CHAIR)
        assert t.EVIDENCE_TOO_BIG.format(limit=1) in "\n".join(refused)



async def test_staff_write_from_the_web_page_to_a_reporter_on_zalo(world, real_kb, tmp_path,
                                                                  monkeypatch):
    """The case filed on Zalo, the staff member logs in to the web page (the same app), writes
    to the reporter, and the message arrives on Zalo with its numbered «Trả lời»."""
    from argon2 import PasswordHasher
    from staff_web_helpers import PASSWORD, csrf_of

    from webapp import staff
    from webapp.staff import auth
    from webapp.staff.auth import set_password
    from webapp.staff.web import StaffDeps

    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    with world.session() as session:
        staff_person = session.scalars(select(ChannelAccount.person_id).filter_by(external_id=STAFF)).one()
    set_password(world, person_id=staff_person, password=PASSWORD, login="canbo")
    desk = desk_for(world, tmp_path)
    api = FakeZalo()
    settings = zalo_settings(data_dir=tmp_path / "data")
    web = staff.router(settings, StaffDeps(secret="test-secret"))
    async for chair, _ in serving(DialogCore(world, real_kb, cases=desk), api,
                                  now="2026-04-01T08:30", routers=[web]):
        await chair.say("/baocao")
        await chair.choose("Cán bộ công đoàn bị sa thải")
        for typed in ("Công ty TNHH May Hoa Lư", "KCN Gián Khẩu, Gia Viễn", "12/11/2026", "120"):
            await chair.say(typed)
        await chair.choose("Chính tôi")
        await chair.say("Công ty đuổi việc tôi vì tôi đòi trả lương đúng hạn")
        await chair.say("xong")
        await chair.choose("Bỏ qua")
        await chair.choose("Không cần")
        await chair.choose("✅ Gửi")
        with world.session() as session:
            code = session.scalars(select(Case.code)).one()

        http = chair.http
        form = await http.get("/staff/login")
        logged = await http.post("/staff/login", data={
            "login": "canbo", "password": PASSWORD, "csrf": csrf_of(form.text), "next": "/staff/cases"})
        assert logged.status_code == 303
        page = await http.get(f"/staff/cases/{code}")
        assert page.status_code == 200 and "Công ty TNHH May Hoa Lư" in page.text
        sent = await http.post(f"/staff/cases/{code}/message",
                               data={"csrf": csrf_of(page.text), "text": "Chị gửi thêm quyết định nhé"},
                               follow_redirects=True)
        assert "Đã chuyển tin nhắn" in sent.text
        relayed = await chair.wait_for(CHAIR, "Chị gửi thêm quyết định nhé")
        assert code in relayed and CHOOSE_HINT in relayed


async def test_a_zalo_user_enrols_as_unit_officer_by_invite_and_is_reminded(bot_db, real_kb):
    """No operator command: the invite code typed on Zalo (`/start CODE`) makes the Zalo account
    the unit's officer, and the next tick reminds it there."""
    from cases.people import create_invite

    seed(bot_db, units=1)
    invite = create_invite(bot_db, role="unit_officer", unit_code="LDLD-1")
    api = FakeZalo()
    async for chair, service in serving(DialogCore(bot_db, real_kb), api, now="2026-04-01T08:30"):
        [welcome] = await chair.say(f"/start {invite.code}", "zu-new-officer")
        assert welcome.startswith("Đăng ký thành công")
        service.clock = lambda: at(NOW)
        await service.tick()
        reminder = await chair.wait_for("zu-new-officer", "Nhắc hạn báo cáo")
        assert "LĐLĐ huyện 1" in reminder and number_of(reminder, "✅ Đã nộp") == "1"
