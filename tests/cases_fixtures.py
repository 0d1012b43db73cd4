"""Standing people for the case tests: two chairpersons, a unit officer, staff, an admin, an
outsider — each with a console account — and a case desk over the given database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.store import Store
from cases.crypto import Sealer, new_key
from cases.people import Who, add_staff, create_invite, redeem
from cases.service import CaseDesk, DeskConfig
from storage.db import Database
from storage.models import Unit

KEY = new_key()
ACCOUNT_TEXT = "Giám đốc gọi tôi lên và nói sẽ chấm dứt hợp đồng vì tôi đòi tăng lương cho anh em"


def desk_for(db: Database, folder: Path, **config) -> CaseDesk:
    return CaseDesk(db, Sealer([KEY]), DeskConfig(evidence_dir=folder / "evidence", **config))


@dataclass
class People:
    chair: Who
    other_chair: Who
    officer: Who
    staff: Who
    admin: Who
    outsider: Who
    accounts: dict[str, int]


def enrol(db: Database, store: Store, name: str, role: str | None, org: str = "",
          unit: str | None = None) -> tuple[int, int]:
    account = store.open_account(channel="console", external_id=name, chat_id=name, display_name=name)
    if role:
        invite = create_invite(db, role=role, unit_code=unit, organisation=org)
        assert redeem(db, code=invite.code, person_id=account.person_id).outcome == "ok"
    return account.id, account.person_id


def standing_people(db: Database, desk: CaseDesk) -> People:
    with db.session() as session:
        session.add(Unit(code="kcn", name="Công đoàn các KCN"))
    store = Store(db)
    accounts, people = {}, {}
    for name, role, org in (("chair", "chairperson", "CĐCS Công ty May Hoa Lư"),
                            ("other_chair", "chairperson", "CĐCS Công ty Giày Tam Điệp"),
                            ("officer", "unit_officer", ""), ("outsider", None, "")):
        accounts[name], people[name] = enrol(db, store, name, role, org, "kcn" if role else None)
    for name, admin in (("staff", False), ("admin", True)):
        people[name] = add_staff(db, telegram_id=900 + admin, name=f"Cán bộ {name}", admin=admin)
    return People(**{name: desk.who(pid) for name, pid in people.items()}, accounts=accounts)


def draft(category: str = "officer_dismissed", **extra) -> dict:
    data = {"category": category, "enterprise": "Công ty May Hoa Lư", "place": "KCN Gián Khẩu",
            "when": "hôm qua", "workers": "120", "at_risk": "self", "parts": [ACCOUNT_TEXT],
            "evidence": [], "withhold": False}
    return {**data, **extra}
