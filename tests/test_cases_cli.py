"""``cdcs invite``, ``cdcs staff``, ``cdcs cases`` in-process, on a SQLite file."""

from __future__ import annotations

import json

import pytest
from cases_fixtures import KEY, draft

from cdcs import cli
from kernel.settings import Settings
from storage.db import Database


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    settings = Settings(data_dir=tmp_path, cases_key=KEY, telegram_bot_username="CdcsBot",
                        _env_file=None)
    monkeypatch.setattr(cli, "get_settings", lambda: settings)

    def run(*args: str, **changes) -> tuple[int, str]:
        for name, value in changes.items():
            setattr(settings, name, value)
        code = cli.main(list(args))
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    run.settings = settings
    return run


def test_it_prints_a_one_time_code_and_deep_link(run):
    code, out = run("invite", "create", "--role", "chairperson", "--org", "CĐCS May Hoa Lư")
    assert code == 0 and "https://t.me/CdcsBot?start=" in out
    invite = out.split("Mã mời: ")[1].split()[0]
    assert run("invite", "revoke", invite)[0] == 0 and run("invite", "revoke", invite)[0] == 1


def test_it_refuses_an_unknown_unit(run):
    code, out = run("invite", "create", "--role", "chairperson", "--unit", "khong-co")
    assert code == 2 and "không có đơn vị" in out


def test_it_lists_and_shows_cases_without_a_withheld_identity(run, tmp_path):
    from cdcs.wiring import open_desk

    run("staff", "add", "--telegram-id", "42", "--name", "Chị Hà", "--admin")
    db = Database(run.settings.sqlalchemy_url)
    desk = open_desk(run.settings, db)
    submitted = desk.submit(account_id=1, person_id=1, data=draft(withhold=True),
                            identity={"name": "Người báo bí mật"}, laws=[])
    code, out = run("cases", "list", "--json")
    assert code == 0 and json.loads(out)[0]["code"] == submitted.row.code
    code, out = run("cases", "show", submitted.row.code, "--json")
    shown = json.loads(out)
    assert shown["identity"] is None and shown["identity_withheld"] and "Người báo bí mật" not in out
    db.dispose()


def test_it_refuses_to_work_on_cases_without_a_key(run):
    code, out = run("cases", "list", cases_key=None)
    assert code == 2 and "CASES_KEY" in out
    code, out = run("cases", "list", cases_key=None, dev_mode=True)
    assert code == 0 and (run.settings.data_dir / "cases-dev.key").exists()
