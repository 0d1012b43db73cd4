"""Reporting units as data: a YAML file staff edit, imported into ``unit`` with its history.

A unit is never deleted. Renaming, merging and retiring each leave a ``UnitEvent``, so last
year's reports still point at the unit that made them (the 2025 reorganisation of local
government merged districts, and the next one will too).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kernel.calendar import TZ
from scheduler.models import Deadline
from storage.models import Unit, UnitEvent

KINDS = ("province", "district", "sector", "industrial_zone")
SAMPLE = Path(__file__).with_name("units_sample.yaml")


class UnitFileError(ValueError):
    """The YAML file is not what the importer expects; the message says where."""


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: int = 0
    obligations: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> str:
        return (f"Đơn vị: thêm {len(self.created)}, đổi tên {len(self.renamed)}, "
                f"sáp nhập {len(self.merged)}, giải thể {len(self.retired)}, "
                f"không đổi {self.unchanged}.")


def read_file(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise UnitFileError(f"không đọc được {path}: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        raise UnitFileError(f"{path}: cần một danh sách 'units:'")
    return data


def import_units(session: Session, data: dict[str, Any]) -> ImportReport:
    """Apply the file: new units are added, changed names renamed, merges and retirements
    recorded. Units missing from the file are left as they are (never deleted)."""
    report = ImportReport(obligations=list(data.get("obligations") or []))
    entries = [_entry(number, raw) for number, raw in enumerate(data["units"], start=1)]
    for entry in entries:  # first every unit exists, so merges can point at any of them
        _upsert(session, entry, report)
    for entry in entries:
        _apply_status(session, entry, report)
    return report


def _entry(number: int, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or not raw.get("code") or not raw.get("name"):
        raise UnitFileError(f"đơn vị thứ {number}: cần 'code' và 'name'")
    kind = raw.get("kind", "district")
    if kind not in KINDS:
        raise UnitFileError(f"đơn vị {raw['code']}: 'kind' phải là một trong {', '.join(KINDS)}")
    return {**raw, "code": str(raw["code"]).strip(), "name": str(raw["name"]).strip(), "kind": kind}


def _upsert(session: Session, entry: dict[str, Any], report: ImportReport) -> None:
    unit = unit_by_code(session, entry["code"])
    on = _day(entry.get("effective_on"))
    if unit is None:
        add_unit(session, code=entry["code"], name=entry["name"], kind=entry["kind"], on=on)
        report.created.append(entry["code"])
    elif unit.name != entry["name"]:
        rename_unit(session, unit, entry["name"], on=on)
        report.renamed.append(entry["code"])
    else:
        report.unchanged += 1


def _apply_status(session: Session, entry: dict[str, Any], report: ImportReport) -> None:
    unit = unit_by_code(session, entry["code"])
    on = _day(entry.get("effective_on"))
    target = entry.get("merged_into")
    if target and unit.status == "active":
        successor = unit_by_code(session, str(target))
        if successor is None:
            raise UnitFileError(f"đơn vị {unit.code}: không có đơn vị '{target}' để sáp nhập vào")
        merge_unit(session, unit, successor, on=on)
        report.merged.append(unit.code)
    elif entry.get("status") == "retired" and unit.status == "active":
        retire_unit(session, unit, on=on)
        report.retired.append(unit.code)


def unit_by_code(session: Session, code: str) -> Unit | None:
    return session.scalars(select(Unit).filter_by(code=code)).one_or_none()


def add_unit(session: Session, *, code: str, name: str, kind: str, on: datetime | None = None) -> Unit:
    unit = Unit(code=code, name=name, kind=kind, status="active")
    session.add(unit)
    session.flush()
    _event(session, unit, "created", {"name": name, "kind": kind}, on)
    return unit


def rename_unit(session: Session, unit: Unit, name: str, *, on: datetime | None = None) -> None:
    _event(session, unit, "renamed", {"from": unit.name, "to": name}, on)
    unit.name = name


def merge_unit(session: Session, unit: Unit, successor: Unit, *, on: datetime | None = None) -> None:
    """The successor reports from now on: the merged unit's open deadlines are cancelled."""
    unit.status, unit.merged_into_id = "merged", successor.id
    _event(session, unit, "merged", {"into": successor.code}, on)
    _cancel_open_deadlines(session, unit)


def retire_unit(session: Session, unit: Unit, *, on: datetime | None = None) -> None:
    unit.status = "retired"
    _event(session, unit, "retired", {}, on)
    _cancel_open_deadlines(session, unit)


def _cancel_open_deadlines(session: Session, unit: Unit) -> None:
    session.execute(update(Deadline).where(Deadline.unit_id == unit.id, Deadline.status == "open")
                    .values(status="cancelled"))


def _event(session: Session, unit: Unit, kind: str, detail: dict, on: datetime | None) -> None:
    session.add(UnitEvent(unit_id=unit.id, kind=kind, detail=detail, effective_on=on))


def _day(value: Any) -> datetime | None:
    # YAML gives a date for 2025-07-01; the event keeps the start of that local day.
    if isinstance(value, date):
        return datetime.combine(value, time(0), TZ)
    return None
