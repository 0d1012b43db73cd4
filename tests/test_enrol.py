"""Enrolment by ``/start <invite code>`` through the dialog core."""

from __future__ import annotations

from bot_fixtures import event
from cases_fixtures import desk_for

from bot.flows import report_texts as t
from cases.people import create_invite, revoke_invite


async def test_it_enrols_a_chairperson_once(fake_core, bot_db, tmp_path):
    invite = create_invite(bot_db, role="chairperson", organisation="CĐCS Công ty Giày Tam Điệp")
    [reply] = await fake_core.handle(event(f"/start {invite.code}"))
    assert reply.text.startswith("Đăng ký thành công") and "Giày Tam Điệp" in reply.text
    who = desk_for(bot_db, tmp_path).who(1)
    assert who.roles == {"chairperson"} and len(who.organisation_ids) == 1
    [again] = await fake_core.handle(event(f"/start {invite.code}", user="u2"))
    assert again.text == t.INVITE_PROBLEMS["used"]


async def test_it_explains_expired_and_revoked_codes(fake_core, bot_db):
    expired = create_invite(bot_db, role="chairperson", days=-1)
    revoked = create_invite(bot_db, role="unit_officer")
    revoke_invite(bot_db, revoked.code)
    [first] = await fake_core.handle(event(f"/start {expired.code}"))
    [second] = await fake_core.handle(event(f"/start {revoked.code}"))
    assert (first.text, second.text) == (t.INVITE_PROBLEMS["expired"], t.INVITE_PROBLEMS["revoked"])


async def test_it_welcomes_with_a_note_for_an_unknown_code(fake_core):
    [reply] = await fake_core.handle(event("/start khong-phai-ma"))
    assert reply.text.startswith("Xin chào") and reply.text.endswith(t.INVITE_PROBLEMS["unknown"])
