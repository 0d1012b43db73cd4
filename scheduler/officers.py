"""Attach a unit officer (a Telegram or Zalo account) to a unit, until enrolment by invite covers it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.units import unit_by_code
from storage.models import ChannelAccount, Person, Role


def add_officer(session: Session, *, unit_code: str, telegram_id: int | None = None,
                zalo_id: str | None = None, name: str = "") -> str:
    """One of ``telegram_id`` / ``zalo_id`` (the Zalo user id, ``from.id`` of their updates,
    which is also their private chat's id)."""
    if (telegram_id is None) == (zalo_id is None):
        raise ValueError("give exactly one of telegram_id, zalo_id")
    channel, external = ("telegram", str(telegram_id)) if zalo_id is None else ("zalo", str(zalo_id))
    unit = unit_by_code(session, unit_code)
    if unit is None:
        raise LookupError(f"không có đơn vị mã '{unit_code}'")
    account = session.scalars(select(ChannelAccount).filter_by(
        channel=channel, external_id=external)).one_or_none()
    if account is None:  # their first message to the bot will find this account
        account = ChannelAccount(channel=channel, external_id=external, chat_id=external,
                                 person=Person(display_name=name))
        session.add(account)
        session.flush()
    role = session.scalars(select(Role).filter_by(person_id=account.person_id, role="unit_officer",
                                                  unit_id=unit.id)).one_or_none()
    if role is None:
        session.add(Role(person_id=account.person_id, role="unit_officer", unit_id=unit.id))
    else:
        role.revoked_at = None
    return f"Đã gán {name or external} làm cán bộ nhận nhắc hạn của {unit.name}."
