"""Odd text through every mutating service call (tests/operations.py), on both engines: each
text argument in turn, alone, becomes 10,000 characters or gains a NUL character. The call is
accepted (the column has room) or refused with a DomainError naming the field — never a raw
database error, never a difference between SQLite and PostgreSQL.

The texts are swapped at the service's door: each public method of every Service under models/
is wrapped for the test, and the n-th text found in the arguments of the calls the operation
makes (dataclass inputs, lists and dicts included) is replaced, for n = 0, 1, 2 … until the
operation has no n-th text."""

from __future__ import annotations

import dataclasses
import enum
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import models
from models.accounts.demo import DEMO_PASSWORD, DEMO_SECRETARY
from models.accounts.service import AccountService, LoginFailed, login
from models.core.db import Database
from models.core.errors import DomainError
from models.core.service import Service
from tests.operations import ACTORS, OPERATIONS, Operation, fixture_data

LONG = "长" * 10_000
ODD_TEXTS = {"10,000 characters": lambda _text: LONG, "a NUL": lambda text: text + "\x00"}


def service_methods() -> Iterator[tuple[type, str]]:
    """(class, name) of every public method of every Service under models/: the texts are
    swapped in whichever of them the operation calls first."""
    for info in pkgutil.walk_packages(models.__path__, "models."):
        if info.ispkg or info.name.startswith("models.migrations"):
            continue
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if inspect.isclass(cls) and issubclass(cls, Service) and cls is not Service \
                    and cls.__module__ == module.__name__:
                for name, method in vars(cls).items():
                    if not name.startswith("_") and inspect.isfunction(method):
                        yield cls, name


class Swapper:
    """Replaces the `target`-th text of the arguments of the outermost service call."""

    def __init__(self, make: Callable[[str], str]):
        self.make, self.target, self.seen, self.depth = make, 0, 0, 0

    def swap(self, value: Any) -> Any:
        if isinstance(value, enum.Enum | bool | int | float | Path) or value is None:
            return value
        if isinstance(value, str):
            index, self.seen = self.seen, self.seen + 1
            return self.make(value) if index == self.target else value
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return dataclasses.replace(value, **{f.name: self.swap(getattr(value, f.name))
                                                 for f in dataclasses.fields(value) if f.init})
        if isinstance(value, list | tuple):
            return type(value)(self.swap(v) for v in value)
        if isinstance(value, dict):
            return {key: self.swap(v) for key, v in value.items()}
        return value

    def wrap(self, method: Callable) -> Callable:  # type: ignore[type-arg]
        def wrapped(service: Service, *args: Any, **kwargs: Any) -> Any:
            if self.depth == 0:
                args, kwargs = self.swap(args), self.swap(kwargs)
            self.depth += 1
            try:
                return method(service, *args, **kwargs)
            finally:
                self.depth -= 1
        return wrapped


def _refused_or_done(call: Callable[[], object]) -> str:
    try:
        call()
    except DomainError as refusal:
        return str(refusal)
    return ""


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name)
def test_odd_text_is_accepted_or_refused_in_chinese(demo_db: Database, operation: Operation,
                                                    tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    if operation.sqlite_only and demo_db.path is None:
        pytest.skip("只在 SQLite 上进行。")
    fx = fixture_data(demo_db) | {"folder": tmp_path}
    fx |= operation.prepare(demo_db, fx) if operation.prepare else {}
    actor = ACTORS["township_admin"](fx)
    for make in ODD_TEXTS.values():
        swapper = Swapper(make)
        for cls, name in service_methods():
            monkeypatch.setattr(cls, name, swapper.wrap(getattr(cls, name)))
        while True:
            swapper.seen = 0
            said = _refused_or_done(lambda: operation.call(demo_db, actor, fx))
            assert "\x00" not in said and LONG not in said, said
            if swapper.target >= swapper.seen:
                break  # the call had no such text: every one has been tried
            swapper.target += 1
        monkeypatch.undo()


@pytest.mark.parametrize("how", ODD_TEXTS)
def test_odd_text_at_the_login_and_own_password(demo_db: Database, how: str) -> None:
    make = ODD_TEXTS[how]
    with pytest.raises(LoginFailed):
        login(demo_db, make(DEMO_SECRETARY), DEMO_PASSWORD)
    actor = login(demo_db, DEMO_SECRETARY, DEMO_PASSWORD)
    with pytest.raises(DomainError):
        AccountService(demo_db, actor).change_own_password(make(DEMO_PASSWORD), "新的密码456")
    with pytest.raises(DomainError):
        AccountService(demo_db, actor).change_own_password(DEMO_PASSWORD, make("新的密码456"))


# ---- the roster import: cells by row and column, hidden sheets -----------------------------
def _roster(path: Path, **cells: object) -> Path:
    from models.org.roster_sheet import COLUMNS
    from reports.org.roster_xlsx import write_roster

    person = {"township": "示范镇", "village": "韩家村", "natural": "韩家村", "zone": "南片区",
              "alley": "一胡同", "household": "新-1", "name": "新来户", "relation": "户主"} | cells
    write_roster(path, [[person.get(field, "") for _, field in COLUMNS]])
    return path


def test_the_roster_names_each_cell_too_long(tmp_path: Path) -> None:
    from models.org.roster_sheet import read_roster

    roster = read_roster(_roster(tmp_path / "名单.xlsx", address="门牌" * 100, zone="片" * 21,
                                 proposer="推" * 61))
    found = {(p.row, p.column): p.reason for p in roster.problems}
    assert "最多 120 个字" in found[(2, "门牌地址")] and "200 个字" in found[(2, "门牌地址")]
    # A zone's name has its level's limit (models.org.naming.NAME_LIMITS), a column its length.
    assert "最多20个字" in found[(2, "片区")] and "最多 60 个字" in found[(2, "推荐人")]
    assert not roster.households


def test_the_roster_refuses_a_hidden_roster_sheet_and_warns_of_other_hidden_sheets(
        tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from models.org.roster_sheet import FileRefused, read_roster

    path = _roster(tmp_path / "名单.xlsx")
    book = load_workbook(path)
    book.create_sheet("草稿").append(["不要导入的东西"])
    book["草稿"].sheet_state = "hidden"
    book.save(path)
    assert read_roster(path).warnings == ["文件中还有隐藏的工作表“草稿”，其中的内容不会导入，请核对。"]
    book["农户名单"].sheet_state = "hidden"
    book["草稿"].sheet_state = "visible"
    book.active = 1
    book.save(path)
    with pytest.raises(FileRefused, match="隐藏"):
        read_roster(path)
