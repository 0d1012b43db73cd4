"""Attach a unit officer (a Telegram account) to a unit, until enrolment by invite covers it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.units import unit_by_code
from storage.models import ChannelAccount, Person, Role


def add_officer(session: Session, *, unit_code: str, telegram_id: int, name: str = "") -> str:
    unit = unit_by_code(session, unit_code)
    if unit is None:
        raise LookupError(f"không có đơn vị mã '{unit_code}'")
    account = session.scalars(select(ChannelAccount).filter_by(
        channel="telegram", external_id=str(telegram_id))).one_or_none()
    if account is None:  # their first message to the bot will find this account
        account = ChannelAccount(channel="telegram", external_id=str(telegram_id), chat_id=str(telegram_id),
                                 person=Person(display_name=name))
        session.add(account)
        session.flush()
    role = session.scalars(select(Role).filter_by(person_id=account.person_id, role="unit_officer",
                                                  unit_id=unit.id)).one_or_none()
    if role is None:
        session.add(Role(person_id=account.person_id, role="unit_officer", unit_id=unit.id))
    else:
        role.revoked_at = None
    return f"Đã gán {name or telegram_id} làm cán bộ nhận nhắc hạn của {unit.name}."
