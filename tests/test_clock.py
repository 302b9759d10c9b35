"""The program's day comes from one place (models/core/clock.py), so that the suite can run on
any day (CUNZHI_TODAY): no other module reads the system calendar."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

from models.core import clock

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("models", "ui", "reports", "commands", "tests")
CLOCK = ROOT / "models" / "core" / "clock.py"
# owner name → attributes that read the system's calendar or wall clock
CALENDAR = {
    "date": {"today"},
    "datetime": {"now", "today", "utcnow"},
    "QDate": {"currentDate"},
    "QDateTime": {"currentDateTime", "currentDateTimeUtc", "currentSecsSinceEpoch",
                  "currentMSecsSinceEpoch"},
}


def _owner(node: ast.expr) -> str:
    """`date` for `date.today`, `datetime` for `datetime.datetime.now` as for `datetime.now`."""
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def calendar_reads(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    found = [node for node in ast.walk(tree)
             if isinstance(node, ast.Attribute) and node.attr in CALENDAR.get(_owner(node.value), ())]
    return [f"{where}:{node.lineno} {_owner(node.value)}.{node.attr}"
            for node in sorted(found, key=lambda node: (node.lineno, node.col_offset))]


def sources() -> list[Path]:
    found = [ROOT / "main.py"]
    for folder in FOLDERS:
        found += sorted((ROOT / folder).rglob("*.py"))
    return [p for p in found if p != CLOCK]


def test_only_the_clock_module_reads_the_calendar():
    files = sources()
    assert len(files) > 150  # the walk itself found the program
    found = [line for path in files for line in calendar_reads(path)]
    assert not found, "use models.core.clock (clock.today(), clock.now(), clock.utcnow()):\n" + \
        "\n".join(found)


def test_the_guard_sees_each_way_of_reading_the_calendar(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import datetime\nfrom datetime import date\n"
                      "a = date.today()\nb = datetime.datetime.now()\n"
                      "c = datetime.datetime.utcnow\nd = QDate.currentDate()\n"
                      "e = clock.today()\n", encoding="utf-8")
    assert [line.split(" ")[1] for line in calendar_reads(sample)] == [
        "date.today", "datetime.now", "datetime.utcnow", "QDate.currentDate"]


def test_the_clock_follows_the_environment(monkeypatch):
    monkeypatch.setenv(clock.ENVIRONMENT_VARIABLE, "2027-01-01")
    assert clock.today() == date(2027, 1, 1) and clock.now().date() == date(2027, 1, 1)
    assert clock.utcnow().tzinfo is not None
