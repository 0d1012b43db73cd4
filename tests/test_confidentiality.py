"""Issue 9, confidentiality: the database alone (the raw SQLite file, its WAL, the data folder)
does not say who reported a case, nor which documents were submitted; files are 0600 in 0700
folders; the desk still finds a reporter's cases and reaches them, across a key rotation and
after migrating a database written before the link was sealed."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from cases_fixtures import KEY, draft, standing_people
from sqlalchemy import select

from cases.crypto import Sealer, new_key
from cases.models import Case, CaseAttachment
from cases.service import CaseDesk, DeskConfig
from scheduler.files import SubmissionFiles
from storage.db import Database, alembic_config
from storage.models import ChannelAccount

PDF = b"%PDF-1.4 quyet dinh cham dut hop dong so 17/QD"
DIGEST = hashlib.sha256(PDF).hexdigest()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"  # made by the code under test, as at a first start


@pytest.fixture
def world(data_dir):
    db = Database(f"sqlite:///{data_dir}/cdcs.sqlite3")
    db.upgrade()
    desk = CaseDesk(db, Sealer([KEY]), DeskConfig(evidence_dir=data_dir / "evidence"))
    people = standing_people(db, desk)
    yield db, desk, people
    db.dispose()


def file_a_withheld_case(desk: CaseDesk, people) -> str:
    chair = people.chair.person_id
    stored = desk.store_file(PDF, "quyet-dinh.pdf", person_id=chair)
    submitted = desk.submit(account_id=people.accounts["chair"], person_id=chair,
                            data=draft(withhold=True, evidence=[stored.as_dict()]),
                            identity={"name": "Chị Lan", "username": "", "channel": "console",
                                      "external_id": "chair"}, laws=[])
    code = submitted.row.code
    desk.view(people.chair, code)  # the reporter looks at it,
    desk.from_reporter(people.chair, code, "Tôi gửi thêm biên bản họp.", kind="info")  # adds to it,
    desk.view(people.staff, code)  # staff open it, download the file, write to the reporter
    assert desk.download(people.staff, code, 0)[2] == PDF
    desk.message_reporter(people.staff, code, "Chị gửi giúp hợp đồng lao động.")
    return code


def raw_rows(path: Path, sql: str) -> list[tuple]:
    """Read the file with plain sqlite3: no key, no application code."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_the_raw_database_does_not_link_a_withheld_case_to_its_reporter(world, data_dir):
    _, desk, people = world
    code = file_a_withheld_case(desk, people)
    path = data_dir / "cdcs.sqlite3"
    chair_person, chair_account = people.chair.person_id, people.accounts["chair"]
    [(case_id,)] = raw_rows(path, f"SELECT id FROM case_file WHERE code = '{code}'")

    # Every column of every row about the case that refers to a person or an account (by
    # foreign key), and every number stored in those rows: none is the reporter's.
    linked = {"case_file": f"id = {case_id}", "case_event": f"case_id = {case_id}",
              "case_attachment": f"case_id = {case_id}", "case_audit": f"case_code = '{code}'"}
    for table, where in linked.items():
        rows = raw_rows(path, f"SELECT * FROM {table} WHERE {where}")
        assert rows, table
        keys = raw_rows(path, f"PRAGMA foreign_key_list({table})")
        names = [column[1] for column in raw_rows(path, f"PRAGMA table_info({table})")]
        person_columns = [names.index(k[3]) for k in keys if k[2] in ("person", "channel_account")]
        for row in rows:
            for index in person_columns:
                assert row[index] not in (chair_person, chair_account), (table, names[index], row)
    # The one SQL join that named the reporter is gone, and no column can stand in for it.
    columns = [column[1] for column in raw_rows(path, "PRAGMA table_info(case_file)")]
    assert "reporter_person_id" not in columns and "reporter_account_id" not in columns
    [(organisation,)] = raw_rows(path, f"SELECT organisation_id FROM case_file WHERE id = {case_id}")
    assert organisation is None  # the CĐCS would name its chairperson

    # No checksum in clear: not in any table, nor anywhere in the file or its WAL.
    for name in (path, path.with_name(path.name + "-wal")):
        if name.exists():
            assert DIGEST.encode() not in name.read_bytes(), name

    # The desk, with the key, still knows: access, "my cases", relays to the reporter.
    assert desk.reporter_of(people.chair, code) and not desk.reporter_of(people.other_chair, code)
    assert [row.code for row in desk.list_cases(people.chair, open_only=False)] == [code]
    assert desk.list_cases(people.other_chair, open_only=False) == []
    assert desk.message_reporter(people.staff, code, "Chào chị").reporter == ("console", "chair")
    assert desk.view(people.staff, code).attachments[0]["sha256"] == DIGEST
    assert desk.view(people.staff, code).identity is None


def test_database_evidence_and_submission_files_are_for_the_service_user_only(world, data_dir, tmp_path):
    _, desk, people = world
    file_a_withheld_case(desk, people)
    SubmissionFiles(data_dir / "submissions").store(PDF, "bao-cao.pdf")
    database = data_dir / "cdcs.sqlite3"
    assert mode(data_dir) == 0o700
    for sidecar in ("", "-wal", "-shm"):
        path = database.with_name(database.name + sidecar)
        assert path.exists() and mode(path) == 0o600, path
    for folder in ("evidence", "submissions"):
        assert mode(data_dir / folder) == 0o700
        files = list((data_dir / folder).iterdir())
        assert files and all(mode(path) == 0o600 for path in files), folder
    # A database made before (0644, as the old code left it) is closed at the next start.
    old = tmp_path / "old" / "cdcs.sqlite3"
    old.parent.mkdir()
    old.touch(mode=0o644)
    old.chmod(0o644)
    Database(f"sqlite:///{old}").dispose()
    assert mode(old) == 0o600


def test_the_reporter_link_survives_a_key_rotation(world):
    _, desk, people = world
    code = file_a_withheld_case(desk, people)
    fresh = new_key()
    desk.sealer = Sealer([fresh, KEY])  # the new key in front, before rotate-key has run
    assert [row.code for row in desk.list_cases(people.chair, open_only=False)] == [code]
    assert desk.rotate_key() > 0
    desk.sealer = Sealer([fresh])  # the old key dropped
    assert [row.code for row in desk.list_cases(people.chair, open_only=False)] == [code]
    assert desk.reporter_of(people.chair, code)
    assert desk.message_reporter(people.staff, code, "Chào chị").reporter == ("console", "chair")
    assert desk.view(people.staff, code).attachments[0]["sha256"] == DIGEST
    assert desk.download(people.admin, code, 0)[2] == PDF


def _at(db: Database, revision: str, how) -> None:
    with db.engine.begin() as connection:
        config = alembic_config(db.url)
        config.attributes["connection"] = connection
        how(config, revision)


def test_a_database_from_before_the_sealed_link_is_sealed_at_first_use(database, tmp_path):
    """Migration 0008 has no key: it marks the old values; the desk seals them when first used."""
    desk = CaseDesk(database, Sealer([KEY]), DeskConfig(evidence_dir=tmp_path / "evidence"))
    people = standing_people(database, desk)
    chair, account = people.chair.person_id, people.accounts["chair"]
    _at(database, "0007", command.downgrade)
    with database.engine.begin() as connection:  # a case as the code of 0007 wrote it
        connection.execute(sa.text(
            "INSERT INTO case_file (code, category, protection, priority, status, verified, "
            "identity_withheld, reporter_person_id, reporter_account_id, laws, due_at, created_at) "
            "VALUES ('BV-2026-0001', 'officer_dismissed', :t, 'high', 'new', :t, :t, :p, :a, '[]', "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"), {"t": True, "p": chair, "a": account})
        case_id = connection.execute(sa.text("SELECT id FROM case_file")).scalar()
        connection.execute(sa.text(
            "INSERT INTO case_attachment (case_id, stored_name, sha256, size, mime_type, created_at) "
            "VALUES (:c, 'x.sealed', :d, 10, 'application/pdf', CURRENT_TIMESTAMP)"),
            {"c": case_id, "d": DIGEST})
        connection.execute(sa.text(
            "INSERT INTO case_event (case_id, kind, actor_person_id, created_at) "
            "VALUES (:c, 'created', :p, CURRENT_TIMESTAMP)"), {"c": case_id, "p": chair})
        connection.execute(sa.text(
            "INSERT INTO case_audit (case_code, actor_person_id, actor, action, allowed, detail, created_at) "
            "VALUES ('BV-2026-0001', :p, 'bot', 'submit', :t, '{}', CURRENT_TIMESTAMP), "
            "('BV-2026-0001', NULL, 'cli', 'download', :t, :detail, CURRENT_TIMESTAMP)"),
            {"p": chair, "t": True, "detail": json.dumps({"file": 0, "sha256": DIGEST})})
    database.upgrade()  # as at the next start

    def stored() -> str:
        with database.engine.connect() as connection:
            return " ".join(str(value) for table in ("case_file", "case_attachment", "case_event",
                                                      "case_audit")
                            for row in connection.execute(sa.text(f"SELECT * FROM {table}"))
                            for value in row)

    assert "legacy:" in stored()  # marked by the migration, waiting for the key
    fresh = CaseDesk(database, Sealer([KEY]), DeskConfig(evidence_dir=tmp_path / "evidence"))
    assert [row.code for row in fresh.list_cases(people.chair, open_only=False)] == ["BV-2026-0001"]
    text = stored()
    assert "legacy:" not in text and DIGEST not in text
    with database.session() as session:
        case = session.scalars(select(Case)).one()
        assert case.organisation_id is None and case.reporter_tag
        assert session.scalars(select(CaseAttachment)).one().sha256_sealed != DIGEST
        assert session.get(ChannelAccount, account).person_id == chair
    with database.engine.connect() as connection:
        actors = connection.execute(sa.text("SELECT actor_person_id FROM case_event")).scalars().all()
        audit = connection.execute(sa.text(
            "SELECT actor_person_id FROM case_audit WHERE case_code = 'BV-2026-0001'")).scalars().all()
    assert actors == [None] and chair not in audit
    assert fresh.reporter_of(people.chair, "BV-2026-0001")
    assert fresh.view(people.staff, "BV-2026-0001").attachments[0]["sha256"] == DIGEST
    assert fresh.message_reporter(people.staff, "BV-2026-0001", "x").reporter == ("console", "chair")
