"""Import a unit's register from the spreadsheet its office keeps (``.xlsx`` or ``.csv``).

One row per CĐCS with its current chairperson; the header row (found in the first 10 rows, so a
title above it is fine) is matched folded against ``register_columns.yaml``. All or nothing:
every row is read and checked first, then written in one transaction; a file with any refused
row writes nothing, and the report lists every refused row (row, column, reason), so the office
fixes its file and imports it again whole. A re-import matches CĐCS by folded name within the
unit and records each changed field as history (source "import"). A blank cell leaves the
stored value as it is (a value is cleared on the web page), and CĐCS missing from the file stay
in the register: an import never deletes.

Several trainings fit one row: dates, topics and organisers separated by ``;`` in their three
cells, matched in order (one topic or organiser may stand for all). Years of information work:
``2024; 2025``. Commendations: ``Bằng khen LĐLĐ tỉnh (15/01/2025); Giấy khen 2024``.
Party: ``giới thiệu`` or ``kết nạp``, with its date if known."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from results import register as reg
from results import register_texts as t
from results import register_values as values
from results.models import (
    RegisterChair,
    RegisterChange,
    RegisterCommendation,
    RegisterInfoWork,
    RegisterTraining,
    RegisterUnion,
)
from storage.db import Database
from storage.models import utcnow

ROW_CAP = 20_000
HEADER_ROWS = 10  # the header is looked for this far down (titles and dates may sit above it)
_COLUMN_FIELDS = {"union_name": "name", "enterprise": "enterprise", "enterprise_type": "enterprise_type",
                  "workers": "workers", "members": "members", "chair_name": "full_name", "phone": "phone",
                  "birth_year": "birth_year", "full_time": "full_time", "term_start": "term_start",
                  "term_end": "term_end", "elected_how": "elected_how"}
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+)(\d+):([A-Z]+)(\d+)\"")
_ROW = re.compile(rb"<(?:\w+:)?row(?=[\s>/])(?:[^>]*?\sr=\"(\d+)\")?")


class FileRefused(Exception):
    """The file as a whole cannot be read as a register (its message says why)."""


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    reason: str

    def text(self) -> str:
        if self.column:
            return t.PROBLEM.format(row=self.row, column=self.column, reason=self.reason)
        return t.PROBLEM_ROW.format(row=self.row, reason=self.reason)


@dataclass
class ImportReport:
    unit: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[Problem] = field(default_factory=list)
    file_problem: str = ""
    ignored: list[str] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False

    @property
    def refused_rows(self) -> int:
        return len({problem.row for problem in self.refused})

    def lines(self) -> list[str]:
        if self.file_problem:
            return [self.file_problem]
        head = [t.SUMMARY.format(created=self.created, updated=self.updated, unchanged=self.unchanged,
                                 refused=self.refused_rows)]
        if self.refused:
            head.append(t.REFUSED_FILE.format(count=self.refused_rows))
        elif self.dry_run:
            head.append(t.DRY_RUN)
        if self.ignored:
            head.append(t.IGNORED_COLUMNS.format(columns=", ".join(self.ignored)))
        return head + [problem.text() for problem in self.refused]

    def as_json(self) -> dict[str, Any]:
        return {"unit": self.unit, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "refused_rows": self.refused_rows,
                "problems": [{"row": p.row, "column": p.column, "reason": p.reason} for p in self.refused],
                "file_problem": self.file_problem, "ignored_columns": self.ignored,
                "dry_run": self.dry_run, "written": self.written}


@dataclass
class Entry:
    """One row, read and checked, before it meets the database."""

    row: int
    key: str
    fields: dict[str, Any]  # register field → value (only the cells that were filled)
    trainings: list[tuple[Any, str, str]] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    commendations: list[tuple[str, Any]] = field(default_factory=list)


class _Rollback(Exception):
    """Leave the transaction without writing (refused rows, or a dry run)."""


def import_register(db: Database, unit_code: str, source: Path | IO[bytes], *,
                    actor: reg.Actor | None = None, dry_run: bool = False, cap: int = ROW_CAP) -> ImportReport:
    actor = actor or reg.Actor.operator()
    report = ImportReport(unit=unit_code, dry_run=dry_run)
    unit_id = reg.RegisterDesk(db).unit_id(actor, unit_code, "import")
    try:
        entries = read(source, report, cap)
    except FileRefused as refused:
        report.file_problem = str(refused)
        return report
    try:
        with db.session() as session:
            _apply(session, unit_id, entries, report, actor)
            if report.refused or dry_run:
                raise _Rollback()
            report.written = True
    except _Rollback:
        pass
    return report


# ---- reading ---------------------------------------------------------------------------------
def read(source: Path | IO[bytes], report: ImportReport, cap: int = ROW_CAP) -> list[Entry]:
    """Every row read and checked (problems go to ``report.refused``); FileRefused when the
    file as a whole is not a register."""
    with _opened(source) as stream:
        start = stream.read(8)
        stream.seek(0)
        if start.startswith(b"\xd0\xcf\x11\xe0"):
            raise FileRefused(t.OLD_XLS)
        if start.startswith(b"PK\x03\x04"):
            sheet: _Xlsx | _Csv = _Xlsx(stream, cap)
        else:
            sheet = _Csv(stream, cap)
        try:
            return _entries(sheet, report, cap)
        finally:
            sheet.close()


class _opened:
    """A path opened (and closed) here, or the caller's binary stream used as it is."""

    def __init__(self, source: Path | IO[bytes]) -> None:
        self.source, self.handle = source, None

    def __enter__(self) -> IO[bytes]:
        if isinstance(self.source, (str, Path)):
            try:
                self.handle = open(self.source, "rb")  # noqa: SIM115 — closed in __exit__
            except OSError as error:
                raise FileRefused(f"Không mở được tệp: {error.strerror}.") from error
            return self.handle
        return self.source

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()


class _Xlsx:
    """The first sheet of a workbook, streamed (openpyxl read-only: rows are not kept)."""

    def __init__(self, stream: IO[bytes], cap: int) -> None:
        from openpyxl import load_workbook  # only when a workbook is imported

        # Before openpyxl opens it (which reads every shared string): the rows the first sheet
        # holds and its merged ranges, from its XML in chunks (constant memory; read-only
        # openpyxl reports neither reliably). A file far over the cap is refused here.
        self.stream = stream
        self.last_row, self.merges = _scan(stream, _first_sheet(stream), cap + HEADER_ROWS)
        if self.last_row > cap + HEADER_ROWS:
            raise FileRefused(t.TOO_MANY_ROWS.format(cap=cap))
        try:
            self.book = load_workbook(stream, read_only=True, data_only=True)
            self.sheet = self.book.worksheets[0]
        except Exception as error:  # noqa: BLE001 — a broken zip, a missing part: not a workbook
            raise FileRefused(t.NOT_A_WORKBOOK) from error

    def rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        try:
            yield from enumerate(self.sheet.iter_rows(values_only=True), start=1)
        except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as error:
            raise FileRefused(t.NOT_A_WORKBOOK) from error

    def merged(self, row: int) -> list[str]:
        return sorted(f"{a}{top}:{b}{bottom}" for a, top, b, bottom in self.merges if top <= row <= bottom)

    def close(self) -> None:
        self.book.close()


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _first_sheet(stream: IO[bytes]) -> str:
    """The zip path of the workbook's first sheet (what openpyxl's ``worksheets[0]`` is)."""
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        first = book.find(f"{_MAIN}sheets/{_MAIN}sheet")
        target = next(rel.get("Target", "") for rel in rels if rel.get("Id") == first.get(f"{_REL}id"))
    except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError, AttributeError,
            StopIteration) as error:
        raise FileRefused(t.NOT_A_WORKBOOK) from error
    finally:
        stream.seek(0)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _scan(stream: IO[bytes], part: str, limit: int) -> tuple[int, list[tuple[str, int, str, int]]]:
    """(the last row number, the merged ranges) of a sheet, from its XML read in chunks; it
    stops as soon as the rows pass ``limit`` (the file is refused then, merges or not)."""
    last, rows, merges = 0, 0, []
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive, archive.open(part) as xml:
            tail = b""
            while chunk := xml.read(1 << 20):
                text = tail + chunk
                # Matches ending inside the carried tail were counted with the previous chunk.
                for match in _ROW.finditer(text):
                    if match.end() > len(tail):
                        rows += 1
                        last = max(last, int(match[1] or 0))
                merges += [(m[1].decode(), int(m[2]), m[3].decode(), int(m[4])) for m in _MERGE.finditer(text)
                           if m.end() > len(tail)]
                if max(last, rows) > limit:
                    break
                tail = text[-200:]
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise FileRefused(t.NOT_A_WORKBOOK) from error
    finally:
        stream.seek(0)
    return max(last, rows), merges


class _Csv:
    """A CSV file in UTF-8 (a BOM is fine), ``,`` or ``;`` between cells, streamed.

    A first pass only counts rows (the C csv reader, no cells kept), so a file over the cap is
    refused before any row is checked; the second pass reads the rows."""

    def __init__(self, stream: IO[bytes], cap: int) -> None:
        self.stream = stream
        text = self._wrap()
        try:
            # The delimiter is the one the first lines use more (a title line may have neither).
            sample = "".join(text.readline() for _ in range(HEADER_ROWS))
            if "\x00" in sample:
                raise FileRefused(t.NOT_A_WORKBOOK)
            self.delimiter = ";" if sample.count(";") > sample.count(",") else ","
            text.seek(0)
            for count, _ in enumerate(csv.reader(text, delimiter=self.delimiter), start=1):
                if count > cap + HEADER_ROWS:
                    raise FileRefused(t.TOO_MANY_ROWS.format(cap=cap))
        except (UnicodeDecodeError, csv.Error) as error:
            raise FileRefused(t.NOT_A_WORKBOOK) from error
        finally:
            text.detach()
            stream.seek(0)
        self.text = self._wrap()

    def _wrap(self) -> io.TextIOWrapper:
        return io.TextIOWrapper(self.stream, encoding="utf-8-sig", newline="")

    def rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        try:
            lines = _lines(self.text)
            for number, row in enumerate(csv.reader(lines, delimiter=self.delimiter), start=1):
                yield number, tuple(row)
        except (UnicodeDecodeError, csv.Error) as error:
            raise FileRefused(t.NOT_A_WORKBOOK) from error

    def merged(self, row: int) -> list[str]:
        return []

    def close(self) -> None:
        self.text.detach()  # the caller's stream stays theirs to close


def _lines(text: IO[str]) -> Iterator[str]:
    for line in text:  # not ``yield from``: closing this generator would close the file too
        yield line


@dataclass(frozen=True)
class _Columns:
    row: int
    at: dict[str, tuple[int, str]]  # column key → (index in the row, header as written)

    def cell(self, row: tuple[Any, ...], key: str) -> Any:
        index = self.at[key][0]
        return row[index] if index < len(row) else None

    def name(self, key: str) -> str:
        return self.at[key][1]


def _entries(sheet: _Xlsx | _Csv, report: ImportReport, cap: int) -> list[Entry]:
    vocabulary = values.vocabulary()
    columns: _Columns | None = None
    seen: list[tuple[int, tuple[Any, ...]]] = []
    entries: list[Entry] = []
    for number, row in sheet.rows():
        if columns is None:
            seen.append((number, row))
            columns = _header(number, row, vocabulary, report)
            if columns is not None:
                merged = sheet.merged(number)
                if merged:
                    raise FileRefused(t.MERGED_HEADER.format(ranges=", ".join(merged)))
            elif number >= HEADER_ROWS:
                break
            continue
        if number - columns.row > cap:
            raise FileRefused(t.TOO_MANY_ROWS.format(cap=cap))
        if all(values.blank(cell) for cell in row):
            continue
        entries.append(_entry(number, row, columns, report))
    if columns is None:
        raise FileRefused(_no_header(seen, vocabulary))
    if not entries:
        raise FileRefused(t.EMPTY_FILE)
    _duplicates(entries, columns, report)  # refused rows too: a duplicate of one is still one
    refused = {problem.row for problem in report.refused}
    return [entry for entry in entries if entry.row not in refused]


def _header(number: int, row: tuple[Any, ...], vocabulary: values.Vocabulary,
            report: ImportReport) -> _Columns | None:
    at: dict[str, tuple[int, str]] = {}
    ignored = []
    for index, cell in enumerate(row):
        if values.blank(cell):
            continue
        key = vocabulary.by_alias.get(values.fold(cell))
        if key is None:
            ignored.append(str(cell).strip())
        elif key in at:
            raise FileRefused(t.DUPLICATE_COLUMN.format(label=vocabulary.column(key).label,
                                                        first=at[key][0] + 1, second=index + 1))
        else:
            at[key] = (index, str(cell).strip())
    if any(column.required and column.key not in at for column in vocabulary.columns):
        return None
    report.ignored = ignored
    return _Columns(number, at)


def _no_header(seen: list[tuple[int, tuple[Any, ...]]], vocabulary: values.Vocabulary) -> str:
    required = [column for column in vocabulary.columns if column.required]
    best, best_row, best_found = -1, 0, set()
    for number, row in seen:
        found = {vocabulary.by_alias.get(values.fold(cell)) for cell in row if not values.blank(cell)} - {None}
        if len(found) > best:
            best, best_row, best_found = len(found), number, found
    if best > 0:
        missing = [f"«{column.label}»" for column in required if column.key not in best_found]
        return t.MISSING_COLUMNS.format(missing=", ".join(missing), row=best_row)
    if not any(not values.blank(cell) for _, row in seen for cell in row):
        return t.EMPTY_FILE
    first = next(row for _, row in seen if any(not values.blank(cell) for cell in row))
    shown = ", ".join(f"«{str(cell).strip()[:40]}»" for cell in first if not values.blank(cell))
    return t.NO_HEADER.format(required=", ".join(f"«{c.label}»" for c in required), found=shown)


def _entry(number: int, row: tuple[Any, ...], columns: _Columns, report: ImportReport) -> Entry:
    problems: list[Problem] = []
    fields: dict[str, Any] = {}
    for key, name in _COLUMN_FIELDS.items():
        if key not in columns.at:
            continue
        raw = columns.cell(row, key)
        try:
            if values.blank(raw):
                if key in ("union_name", "chair_name"):
                    raise ValueError(t.REQUIRED_VALUE)
                continue
            fields[name] = reg.parse(name, raw)
        except ValueError as error:
            problems.append(Problem(number, columns.name(key), str(error)))
    entry = Entry(number, values.fold(fields.get("name", "")), fields)
    _facts(entry, row, columns, problems)
    _totals(entry, columns, problems)
    report.refused.extend(problems)
    return entry


def _facts(entry: Entry, row: tuple[Any, ...], columns: _Columns, problems: list[Problem]) -> None:
    """The party, trainings, information work and commendations of a row."""
    readers = (("party", _party), ("info_years", lambda e, raw: e.years.extend(values.years(raw))),
               ("commendations", _commendations))
    for key, reader in readers:
        raw = columns.cell(row, key) if key in columns.at else None
        if values.blank(raw):
            continue
        try:
            reader(entry, raw)
        except ValueError as error:
            problems.append(Problem(entry.row, columns.name(key), str(error)))
    try:
        entry.trainings.extend(_trainings(row, columns))
    except _CellError as error:
        problems.append(Problem(entry.row, columns.name(error.key), error.reason))


def _party(entry: Entry, raw: Any) -> None:
    status, on = values.party(raw)
    entry.fields["party_status"] = status
    if on is not None:
        entry.fields["party_on"] = on


def _commendations(entry: Entry, raw: Any) -> None:
    for item in str(raw).split(";"):
        if item.strip():
            entry.commendations.append(values.dated_title(item.strip()))


class _CellError(Exception):
    def __init__(self, key: str, reason: str) -> None:
        super().__init__(reason)
        self.key, self.reason = key, reason


def _trainings(row: tuple[Any, ...], columns: _Columns) -> list[tuple[Any, str, str]]:
    def parts(key: str) -> list[Any]:
        raw = columns.cell(row, key) if key in columns.at else None
        if values.blank(raw):
            return []
        return [part.strip() for part in str(raw).split(";") if part.strip()] if isinstance(raw, str) else [raw]

    dates, topics, organisers = parts("training_on"), parts("training_topic"), parts("training_organiser")
    if not dates:
        if topics or organisers:
            raise _CellError("training_topic" if topics else "training_organiser",
                             t.TRAININGS_MISMATCH.format(dates=0, other=len(topics or organisers),
                                                         column=columns.name("training_topic" if topics
                                                                             else "training_organiser")))
        return []
    try:
        days = [values.day(part) for part in dates]
    except ValueError as error:
        raise _CellError("training_on", str(error)) from error
    for key, items in (("training_topic", topics), ("training_organiser", organisers)):
        if len(items) not in (0, 1, len(days)):
            raise _CellError(key, t.TRAININGS_MISMATCH.format(dates=len(days), other=len(items),
                                                              column=columns.name(key)))
    def nth(items: list[Any], index: int) -> str:
        return values.text(items[index if len(items) > 1 else 0]) if items else ""

    return [(on, nth(topics, index), nth(organisers, index)) for index, on in enumerate(days)]


def _totals(entry: Entry, columns: _Columns, problems: list[Problem]) -> None:
    fields = entry.fields
    if "members" in fields and "workers" in fields and fields["members"] > fields["workers"]:
        problems.append(Problem(entry.row, columns.name("members"), t.MEMBERS_OVER_WORKERS.format(
            members=fields["members"], workers=fields["workers"])))
    start, end = fields.get("term_start"), fields.get("term_end")
    if start and end and end < start:
        problems.append(Problem(entry.row, columns.name("term_end"), t.TERM_BACKWARDS.format(
            start=reg.show("term_start", start), end=reg.show("term_end", end))))


def _duplicates(entries: list[Entry], columns: _Columns, report: ImportReport) -> None:
    """The same CĐCS twice, or the same chairperson twice (same name and phone, or same name
    and birth year when there is no phone): every later row is refused, naming the first."""
    unions: dict[str, int] = {}
    chairs: dict[tuple[str, str], tuple[int, str]] = {}
    for entry in entries:
        first = unions.setdefault(entry.key, entry.row) if entry.key else entry.row
        if first != entry.row:
            report.refused.append(Problem(entry.row, columns.name("union_name"),
                                          t.DUPLICATE_UNION.format(first=first)))
        fields = entry.fields
        tell = ((str(fields["phone"]), t.BY_PHONE) if fields.get("phone") else
                (str(fields["birth_year"]), t.BY_YEAR) if fields.get("birth_year") else None)
        if tell is None:
            continue
        if not fields.get("full_name"):
            continue
        who = (values.fold(fields["full_name"]), tell[0])
        first_chair, _ = chairs.setdefault(who, (entry.row, tell[1]))
        if first_chair != entry.row:
            report.refused.append(Problem(entry.row, columns.name("chair_name"),
                                          t.DUPLICATE_CHAIR.format(first=first_chair, by=tell[1])))
    report.refused.sort(key=lambda problem: problem.row)


# ---- writing ---------------------------------------------------------------------------------
# New CĐCS (the whole register, the first time) are written with bulk INSERTs: one statement per
# table rather than one object per row, so 5,000 rows take seconds. A new record's history is
# one row for the CĐCS and one for its chairperson; its trainings and other facts came with it.
# Rows already in the register go through ``register.set_field``, one history row per change.

def _apply(session: Session, unit_id: int, entries: list[Entry], report: ImportReport,
           actor: reg.Actor) -> None:
    """Create or update every row (nothing is committed here: the caller decides)."""
    unions = {u.key: u for u in session.scalars(select(RegisterUnion).filter_by(unit_id=unit_id))}
    fresh = [entry for entry in {e.key: e for e in entries if e.key not in unions}.values()]
    old = [entry for entry in entries if entry.key in unions]
    _create(session, unit_id, fresh, report, actor.person_id)
    chairs = _current_chairs(session, [unions[entry.key].id for entry in old])
    known = _known_facts(session, [chair.id for chair in chairs.values()])
    for entry in old:
        union = unions[entry.key]
        changed, chair = _chair_for(session, entry, union, chairs, actor.person_id)
        changed = _update(session, entry, union, chair, actor.person_id) or changed
        changed = _add_facts(session, entry, union, chair, known, actor.person_id) or changed
        problem = reg.check_totals(union, chair)
        if problem:
            report.refused.append(Problem(entry.row, "", problem))
        elif changed:
            report.updated += 1
        else:
            report.unchanged += 1


def _create(session: Session, unit_id: int, entries: list[Entry], report: ImportReport,
            by: int | None) -> None:
    if not entries:
        return
    now = utcnow()
    union_rows = [{"unit_id": unit_id, "key": e.key, "enterprise": "", "enterprise_type": "other",
                   "workers": 0, "members": 0, "active": True, "created_at": now, "updated_at": now,
                   **_defaults(e, reg.UNION_FIELDS)} for e in entries]
    for entry, values_ in zip(entries, union_rows, strict=True):
        if values_["members"] > values_["workers"]:
            report.refused.append(Problem(entry.row, "", t.MEMBERS_OVER_WORKERS.format(
                members=values_["members"], workers=values_["workers"])))
    if report.refused:
        report.created = len(entries) - len({p.row for p in report.refused} & {e.row for e in entries})
        return  # nothing will be written: no need to insert what is rolled back
    union_ids = _insert(session, RegisterUnion, union_rows, "key")
    chair_rows = [{"union_id": union_ids[e.key], "current": True, "phone": "", "full_time": False,
                   "elected_how": "", "party_status": "", "created_at": now, "updated_at": now,
                   **{"birth_year": None, "term_start": None, "term_end": None, "party_on": None},
                   **_defaults(e, reg.CHAIR_FIELDS)} for e in entries]
    chair_ids = _insert(session, RegisterChair, chair_rows, "union_id")
    changes, trainings, info, commendations = [], [], [], []
    for entry, union_row, chair_row in zip(entries, union_rows, chair_rows, strict=True):
        union_id = union_ids[entry.key]
        chair_id = chair_ids[union_id]
        changes.append(_change_row(union_id, "register_union", union_id, union_row["name"], by, now))
        changes.append(_change_row(union_id, "register_chair", chair_id, chair_row["full_name"], by, now))
        trainings += [{"chair_id": chair_id, "on": on, "topic": topic, "organiser": organiser,
                       "source": "import", "created_at": now} for on, topic, organiser in entry.trainings]
        info += [{"chair_id": chair_id, "year": year, "what": "", "source": "import", "created_at": now}
                 for year in entry.years]
        commendations += [{"chair_id": chair_id, "on": on, "title": title, "by": "", "created_at": now}
                          for title, on in entry.commendations]
    for model, rows in ((RegisterChange, changes), (RegisterTraining, trainings),
                        (RegisterInfoWork, info), (RegisterCommendation, commendations)):
        if rows:
            session.execute(insert(model), rows)
    report.created = len(entries)


def _insert(session: Session, model: Any, rows: list[dict[str, Any]], by: str) -> dict[Any, int]:
    """Insert the rows; their new ids by the value of column ``by`` (unique among them)."""
    ids: dict[Any, int] = {}
    for start in range(0, len(rows), 1000):
        result = session.execute(insert(model).returning(model.id, getattr(model, by)), rows[start:start + 1000])
        ids.update({value: row_id for row_id, value in result})
    return ids


def _change_row(union_id: int, table: str, row_id: int, new: str, by: int | None, now: Any) -> dict[str, Any]:
    return {"union_id": union_id, "table": table, "row_id": row_id, "field": "*", "old": "", "new": new,
            "by_person_id": by, "source": "import", "created_at": now}


def _chair_for(session: Session, entry: Entry, union: RegisterUnion, chairs: dict[int, RegisterChair],
               by: int | None) -> tuple[bool, RegisterChair]:
    """The union's current chair, or a new one when the file names someone else (the old one
    leaves office and stays in the history)."""
    chair = chairs.get(union.id)
    if chair is not None and values.fold(chair.full_name) == values.fold(entry.fields["full_name"]):
        return False, chair
    if chair is not None:
        chair.current = False
        reg.change(session, union.id, chair, "current", chair.full_name, "", by=by, source="import")
    chair = RegisterChair(union_id=union.id, current=True, **_defaults(entry, reg.CHAIR_FIELDS))
    session.add(chair)
    session.flush()
    reg.change(session, union.id, chair, "*", "", chair.full_name, by=by, source="import")
    chairs[union.id] = chair
    return True, chair


def _defaults(entry: Entry, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: entry.fields[name] for name in names if name in entry.fields}


def _current_chairs(session: Session, union_ids: list[int]) -> dict[int, RegisterChair]:
    chairs: dict[int, RegisterChair] = {}
    for start in range(0, len(union_ids), 500):  # bounded IN lists
        for chair in session.scalars(select(RegisterChair).where(
                RegisterChair.union_id.in_(union_ids[start:start + 500]), RegisterChair.current.is_(True))
                .order_by(RegisterChair.id)):
            chairs[chair.union_id] = chair
    return chairs


def _known_facts(session: Session, chair_ids: list[int]) -> set[tuple]:
    """What the chairs already have, as plain tuples (no objects: thousands of rows)."""
    known: set[tuple] = set()
    for start in range(0, len(chair_ids), 500):
        ids = chair_ids[start:start + 500]
        known.update(("t", chair, on, values.fold(topic)) for chair, on, topic in session.execute(
            select(RegisterTraining.chair_id, RegisterTraining.on, RegisterTraining.topic)
            .where(RegisterTraining.chair_id.in_(ids))))
        known.update(("i", chair, year, what) for chair, year, what in session.execute(
            select(RegisterInfoWork.chair_id, RegisterInfoWork.year, RegisterInfoWork.what)
            .where(RegisterInfoWork.chair_id.in_(ids))))
        known.update(("c", chair, on, values.fold(title)) for chair, on, title in session.execute(
            select(RegisterCommendation.chair_id, RegisterCommendation.on, RegisterCommendation.title)
            .where(RegisterCommendation.chair_id.in_(ids))))
    return known


def _update(session: Session, entry: Entry, union: RegisterUnion, chair: RegisterChair, by: int | None) -> bool:
    changed = False
    for name, value in entry.fields.items():
        row = union if name in reg.UNION_FIELDS else chair
        if getattr(row, name) != value:
            changed = reg.set_field(session, union, chair, name, value, by=by, source="import") or changed
    return changed


def _add_facts(session: Session, entry: Entry, union: RegisterUnion, chair: RegisterChair,
               known: set[tuple], by: int | None) -> bool:
    """Add the row's facts the chair does not have yet (rows are made only for those: a
    re-import of the same file makes none)."""
    facts: list[tuple[tuple, Callable[[], Any], str]] = []
    for on, topic, organiser in entry.trainings:
        facts.append((("t", chair.id, on, values.fold(topic)),
                      lambda on=on, topic=topic, organiser=organiser: RegisterTraining(
                          chair_id=chair.id, on=on, topic=topic, organiser=organiser, source="import"),
                      f"{reg.show('on', on)} {topic}".strip()))
    for year in entry.years:
        facts.append((("i", chair.id, year, ""), lambda year=year: RegisterInfoWork(
            chair_id=chair.id, year=year, what="", source="import"), str(year)))
    for title, on in entry.commendations:
        facts.append((("c", chair.id, on, values.fold(title)), lambda title=title, on=on: RegisterCommendation(
            chair_id=chair.id, on=on, title=title), f"{reg.show('on', on)} {title}"))
    added = False
    for key, make, summary in facts:
        if key in known:
            continue
        known.add(key)
        row = make()
        session.add(row)
        reg.change(session, union.id, chair, reg.FACTS[row.__tablename__], "", summary, by=by, source="import")
        added = True
    return added
