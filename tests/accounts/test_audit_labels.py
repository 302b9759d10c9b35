"""The audit page speaks Chinese: every entity and every value name written to the trail, by the
demo town and by each mutating operation (the permission registry run as the township
administrator), has a Chinese label."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from models.accounts.audit_log import AuditService, entity_label, key_label, readable
from models.accounts.service import LoginFailed, login
from models.core.access import Actor, Role
from tests.operations import ACTORS, OPERATIONS, fixture_data

ASCII_LETTERS = re.compile(r"[A-Za-z]")


def _keys(stored: str) -> set[str]:
    values = json.loads(stored) if stored else {}
    return set(values) if isinstance(values, dict) else set()


def _unlabelled(rows) -> set[str]:  # type: ignore[no-untyped-def]
    names = {row.entity for row in rows}
    for row in rows:
        names |= {key_label(k) for k in _keys(row.before) | _keys(row.after)}
    return {name for name in names if ASCII_LETTERS.search(name)}


@pytest.fixture
def fresh_demo(templates, tmp_path: Path):  # type: ignore[no-untyped-def]
    """SQLite copies of the demo town: the labels do not depend on the engine."""
    made = []

    def fresh():  # type: ignore[no-untyped-def]
        folder = tmp_path / f"copy{len(made)}"
        folder.mkdir()
        made.append(templates.fresh("sqlite", "demo", folder))
        return made[-1], folder

    yield fresh
    for db in made:
        db.dispose()


def test_the_demo_towns_trail_and_every_operation_read_in_chinese(fresh_demo):
    admin = Actor("镇管理员", Role.TOWNSHIP_ADMIN)
    db, _ = fresh_demo()
    unlabelled = {"demo town": _unlabelled(AuditService(db, admin).entries())}
    for operation in OPERATIONS:
        db, folder = fresh_demo()
        fx = fixture_data(db) | {"folder": folder}
        fx |= operation.prepare(db, fx) if operation.prepare else {}
        operation.call(db, ACTORS["township_admin"](fx), fx)
        unlabelled[operation.name] = _unlabelled(AuditService(db, admin).entries(limit=20))
    assert not {name: found for name, found in unlabelled.items() if found}


def test_signing_in_and_locking_read_in_chinese(fresh_demo):
    db, _ = fresh_demo()
    for _ in range(6):
        with pytest.raises(LoginFailed):
            login(db, "hanjia", "不对的密码")
    with pytest.raises(LoginFailed):
        login(db, "nobody", "x")
    rows = AuditService(db, Actor("镇管理员", Role.TOWNSHIP_ADMIN)).entries(limit=20)
    assert {r.action for r in rows} >= {"登录失败", "账号锁定"}
    assert not _unlabelled(rows)


def test_a_setting_is_named_by_its_label_and_unknown_keys_are_shown_as_they_are():
    assert key_label("zone_household_cap") == "每个片区最多户数"
    assert key_label("南片区") == "南片区"
    assert entity_label("ranking_pay_deduction") == "扣发绩效补贴"


def test_a_basket_and_a_list_read_as_words_not_as_python():
    assert readable('{"goods": {"大米": 2, "食用油": 1}}') == "物品：大米 × 2、食用油 × 1"
    assert readable('{"entries": ["红榜:北片区", "黑榜:南片区"]}') == "上榜单位：红榜:北片区、黑榜:南片区"


def test_missing_values_read_as_empty_not_as_blanks():
    assert readable('{"month": "2024-01", "一片区": [null, null, null], "备注": ""}') == \
        "月份：2024-01；一片区：（空）；备注：（空）"
    assert readable('{"reason": null, "entries": ["91.5", null]}') == "原因：（空）；上榜单位：91.5、（空）"
