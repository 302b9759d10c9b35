"""Every command of the command line, given a database it cannot use or an argument it cannot
take, ends in plain Chinese with exit status ≠ 0: no traceback, no password, and no file in the
sandbox created, removed or changed (every file's SHA-256 before and after each case).

The commands come from commands.COMMANDS (the `print` kinds from its parser), so a new command is
tried too; the sample value of each required argument is taken from its name or choices. All
cases run in one child process (tests/cli_driver.py) and are reported one by one."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sqlite3
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from commands import COMMANDS
from models.org.roster_sheet import COLUMNS
from tests.pgserver import PASSWORD_USER

ROOT = Path(__file__).resolve().parent.parent
SECRET = "Secr3t-Pw9"  # in every database URL given: it must never be printed

# The --db values a command cannot use. PostgreSQL ones are filled in from the test server.
BAD_DATABASES = {
    "folder": "{sandbox}/folder.db",
    "text-file": "{sandbox}/notes.txt",
    "zero-bytes": "{sandbox}/empty.db",
    "png": "{sandbox}/picture.png",
    "other-program": "{sandbox}/other.db",
    "missing-folder": "{sandbox}/no-such-folder/cunzhi.db",
    "pg-wrong-password": f"postgresql://{PASSWORD_USER}:{SECRET}@127.0.0.1:{{port}}/postgres",
    "pg-server-down": f"postgresql://cunzhi:{SECRET}@127.0.0.1:{{closed_port}}/cunzhi",
    "pg-bad-port": f"postgresql://cunzhi:{SECRET}@127.0.0.1:99999/cunzhi",
    "pg-no-database": f"postgresql://cunzhi:{SECRET}@127.0.0.1:{{port}}/no_such_database",
    "pg-empty-database": f"postgresql://cunzhi:{SECRET}@127.0.0.1:{{port}}/cli_empty",
    "mysql": f"mysql://cunzhi:{SECRET}@127.0.0.1/cunzhi",
    "not-a-url": f"postgresql://cunzhi:{SECRET}@127.0.0.1:port/cunzhi",
}
# Starting something new in these is what the demo is for (and it takes seconds): not tried.
MAY_START_NEW = {("demo", "zero-bytes"), ("demo", "pg-empty-database")}
OUTPUT_SUFFIX = {"goods-report": ".xlsx", "export-roster": ".xlsx", "roster-template": ".xlsx"}
SAMPLES = {"scope": "all", "number": "DH2026-000001", "period": "2026-10", "year": "2026",
           "file": "{sandbox}/roster.xlsx"}

# Bad arguments, against a sound demo database: (id, argv without --db).
BAD_ARGUMENTS = [
    ("year-negative", ["year-close", "--year", "-1"]),
    ("year-huge", ["year-close", "--year", "99999"]),
    ("year-words", ["year-close", "--year", "去年"]),
    ("scope-superscript", ["print", "work-ids", "--scope", "head:⁹⁹⁹⁹⁹⁹", "-o", "{out}/x.pdf"]),
    ("scope-23-digits", ["print", "work-ids", "--scope", "head:12345678901234567890123",
                         "-o", "{out}/x.pdf"]),
    ("scope-10000-chars", ["print", "duty-cards", "--scope", "head:" + "张" * 10000,
                           "-o", "{out}/x.pdf"]),
    ("scope-unknown-kind", ["print", "roster", "--scope", "country:中国", "-o", "{out}/x.pdf"]),
    ("scope-wrong-for-kind", ["print", "passbook", "--scope", "all", "-o", "{out}/x.pdf"]),
    ("output-is-folder", ["print", "work-ids", "--scope", "all", "-o", "{sandbox}/folder.db"]),
    ("output-missing-folder", ["print", "work-ids", "--scope", "all",
                               "-o", "{sandbox}/no-such-folder/x.pdf"]),
    ("output-wrong-suffix", ["print", "work-ids", "--scope", "all", "-o", "{out}/x.docx"]),
    ("output-no-suffix", ["export-roster", "-o", "{out}/roster"]),
    ("notice-docx", ["print", "ranking-notice", "--period", "2026-10", "-o", "{out}/x.docx"]),
    ("notice-bad-period", ["print", "ranking-notice", "--period", "2026-13", "-o", "{out}/x.pdf"]),
    ("notice-no-list", ["print", "ranking-notice", "--period", "2031", "-o", "{out}/x.pdf"]),
    ("receipt-unknown", ["print", "receipt", "--number", "DH2026-999999", "-o", "{out}/x.pdf"]),
    ("receipt-huge-number", ["print", "receipt", "--number", "99999999999999999999",
                             "-o", "{out}/x.pdf"]),
    ("import-missing-file", ["import-roster", "{sandbox}/no-such.xlsx"]),
    ("import-folder", ["import-roster", "{sandbox}/folder.db"]),
    ("import-not-xlsx", ["import-roster", "{sandbox}/notes.txt"]),
    ("import-png-named-xlsx", ["import-roster", "{sandbox}/picture.xlsx"]),
    ("import-headers-only", ["import-roster", "{sandbox}/headers-only.xlsx"]),
    ("import-problems-to-folder", ["import-roster", "{sandbox}/headers-only.xlsx",
                                   "--problems", "{sandbox}/folder.db"]),
    ("export-no-output", ["export-roster"]),
    ("template-to-folder", ["roster-template", "-o", "{sandbox}/folder.db"]),
    ("goods-no-village", ["goods-report", "stock", "-o", "{out}/x.xlsx"]),
    ("goods-unknown-village", ["goods-report", "stock", "--village", "没有这个村",
                               "-o", "{out}/x.xlsx"]),
    ("goods-bad-date", ["goods-report", "daily", "--village", "韩家村", "--from", "2026-02-30",
                        "-o", "{out}/x.xlsx"]),
    ("goods-dates-reversed", ["goods-report", "daily", "--village", "韩家村", "--from",
                              "2026-12-01", "--to", "2026-01-01", "-o", "{out}/x.xlsx"]),
    ("goods-pdf", ["goods-report", "stock", "--village", "韩家村", "-o", "{out}/x.pdf"]),
    ("demo-scale-zero", ["demo", "--scale", "0"]),
    ("demo-scale-huge", ["demo", "--scale", "100000"]),
    ("backup-export-sqlite", ["backup", "--export", "{out}/copy.db"]),
    ("backup-export-txt", ["backup", "--export", "{out}/copy.txt"]),
    ("restore-missing-file", ["restore", "{sandbox}/no-such-backup.db"]),
    ("restore-text-file", ["restore", "{sandbox}/notes.txt"]),
    ("restore-folder", ["restore", "{sandbox}/folder.db"]),
    ("unknown-option", ["stats", "--verbose"]),
]


# ---- the commands and their sample arguments ----------------------------------------------
def leaf_commands() -> list[tuple[list[str], argparse.ArgumentParser]]:
    """Every command line a user can start (`print` once per kind), with its parser."""
    from main import build_parser

    found = []
    for name in COMMANDS:
        parser = build_parser([name])
        group = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        found += _leaves([name], group.choices[name])
    return found


def _leaves(words: list[str], parser: argparse.ArgumentParser) -> list:  # type: ignore[type-arg]
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not groups:
        return [(words, parser)]
    seen, found = set(), []
    for key, child in groups[0].choices.items():
        if id(child) not in seen:  # an alias names the same parser again
            seen.add(id(child))
            found += _leaves([*words, key], child)
    return found


def sample_argv(words: list[str], parser: argparse.ArgumentParser) -> list[str]:
    """The command with a plausible value for each argument it requires."""
    argv = list(words)
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or action.dest == "db":
            continue
        positional = not action.option_strings
        writes = action.dest in ("output", "out")  # given, so that the database is reached
        if not (action.required or writes or (positional and action.nargs not in ("?", "*"))):
            continue
        if action.dest in ("output", "out"):
            value = f"{{out}}/{words[-1]}{OUTPUT_SUFFIX.get(words[0], '.pdf')}"
        elif action.choices:
            value = next(iter(action.choices))
        else:
            value = SAMPLES.get(action.dest, "1")
        argv += [value] if positional else [action.option_strings[-1], value]
    return argv


COMMAND_LINES = {" ".join(words): sample_argv(words, parser) for words, parser in leaf_commands()}
CASES = [(f"{name} × {bad}", argv, bad) for name, argv in COMMAND_LINES.items()
         for bad in BAD_DATABASES if (name.split()[0], bad) not in MAY_START_NEW]
CASES += [(f"bad argument: {case}", argv, "demo") for case, argv in BAD_ARGUMENTS]


# ---- the sandbox --------------------------------------------------------------------------
def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def _make_sandbox(folder: Path, demo_template: str) -> None:
    from reports.org.roster_xlsx import write_roster

    (folder / "folder.db").mkdir()
    (folder / "out").mkdir()
    (folder / "notes.txt").write_text("这不是数据库。\n", encoding="utf-8")
    (folder / "empty.db").write_bytes(b"")
    (folder / "picture.png").write_bytes(_png())
    (folder / "picture.xlsx").write_bytes(_png())
    with sqlite3.connect(folder / "other.db") as other:
        other.execute("CREATE TABLE contacts (name TEXT)")
    other.close()
    shutil.copyfile(demo_template, folder / "demo.db")
    write_roster(folder / "headers-only.xlsx", [])
    person = {"township": "示范镇", "village": "韩家村", "natural": "韩家村", "zone": "南片区",
              "alley": "一胡同", "household": "新-1", "name": "新来户", "relation": "户主"}
    write_roster(folder / "roster.xlsx", [[person.get(field, "") for _, field in COLUMNS]])


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def results(tmp_path_factory, templates, postgres) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    if postgres is None:
        pytest.skip("未安装 PostgreSQL 服务器程序，跳过（CI 中不会跳过）。")
    sandbox = tmp_path_factory.mktemp("sandbox")
    _make_sandbox(sandbox, templates.template("sqlite", "demo"))
    postgres.admin("CREATE DATABASE cli_empty")
    values = {"sandbox": str(sandbox), "out": str(sandbox / "out"), "port": str(postgres.port),
              "closed_port": str(_closed_port())}
    databases = {bad: url.format(**values) for bad, url in BAD_DATABASES.items()}
    databases["demo"] = str(sandbox / "demo.db")
    cases = [{"id": case_id, "sandbox": str(sandbox),
              "argv": [word.format(**values) for word in argv] + ["--db", databases[db]]}
             for case_id, argv, db in CASES]
    work = tmp_path_factory.mktemp("driver")
    (work / "cases.json").write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    environment = os.environ | {"PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    environment.pop("CUNZHI_DEBUG", None)
    finished = subprocess.run(
        [sys.executable, "-m", "tests.cli_driver", str(work / "cases.json"),
         str(work / "results.json")], check=False, cwd=ROOT, env=environment, capture_output=True, text=True,
        timeout=600)
    assert finished.returncode == 0, finished.stderr[-3000:]
    return json.loads((work / "results.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case_id", [case[0] for case in CASES])
def test_bad_input_ends_in_one_plain_line(results: dict[str, dict], case_id: str) -> None:
    result = results[case_id]
    text = result["output"]
    assert result["code"] != 0, text
    assert "Traceback" not in text, text
    assert SECRET not in text, text
    assert not result["changed"], f"files created or changed: {result['changed']}\n{text}"
    said = [line for line in text.splitlines() if line.strip()]
    assert said and any("\u4e00" <= ch <= "\u9fff" for ch in said[-1]), text
    assert len(said[-1]) < 400, said[-1]


def test_every_command_is_tried() -> None:
    """Guards the introspection: every command of commands.COMMANDS and every print kind."""
    tried = {name.split()[0] for name in COMMAND_LINES}
    assert tried == set(COMMANDS)
    kinds = {name.split()[1] for name in COMMAND_LINES if name.startswith("print ")}
    assert {"work-ids", "passbook", "receipt", "talk-list", "ranking-notice"} <= kinds
    assert len(CASES) > 200


@pytest.mark.parametrize("bad", ["folder", "mysql"])
def test_a_real_process_says_one_line(tmp_path: Path, bad: str) -> None:
    """The same as a separate program: the exit status and the streams as a shell sees them."""
    (tmp_path / "folder.db").mkdir()
    target = BAD_DATABASES[bad].format(sandbox=tmp_path)
    finished = subprocess.run([sys.executable, str(ROOT / "main.py"), "stats", "--db", target],
                              check=False, capture_output=True, text=True, cwd=tmp_path,
                              env=os.environ | {"PYTHONPATH": str(ROOT)}, timeout=120)
    assert finished.returncode == 1
    assert finished.stdout == ""
    assert len(finished.stderr.strip().splitlines()) == 1, finished.stderr
    assert "Traceback" not in finished.stderr and SECRET not in finished.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.db"]
