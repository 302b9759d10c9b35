"""积分细则 tab: the secretary adds and edits rules; entries already posted keep theirs."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate
from sqlalchemy import select

from models.core.access import Actor, Role
from models.org.tables import AdminVillage
from models.points.service import PointsService
from models.points.tables import LimitPeriod
from tests.points.helpers import make_heads, recent_day, rule_id
from ui.context import AppContext
from ui.pages.points.page import PointsPage

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _village_id(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalar(select(AdminVillage.id))


def test_secretary_adds_and_edits_a_rule_entries_keep_theirs(db, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    head, = make_heads(db)
    secretary = Actor("韩书记", Role.SECRETARY, village_id=_village_id(db))
    service = PointsService(db, secretary)
    service.post(head, rule_id(db, "A05"), recent_day(), "调解邻里纠纷")
    page = PointsPage(AppContext(db, secretary, tmp_path))
    qtbot.addWidget(page)
    tab = page.rules_tab
    assert page.tabs.tabText(page.tabs.indexOf(tab)) == "积分细则"
    assert [r.code for r in tab.model.rows][:3] == ["A01", "A02", "A03"]
    a01 = next(r for r in tab.model.rows if r.code == "A01")
    assert (a01.points, a01.limit_label) == (1, "每天1次")

    dialog = tab.add_rule()
    dialog.code.setText("a10")
    dialog.text.setText("带头清理房前屋后杂物")
    dialog.points.setValue(2)
    dialog.category.setCurrentText("七个管理员")
    dialog.period.setCurrentIndex(dialog.period.findData(LimitPeriod.WEEK))
    dialog.count.setValue(2)
    dialog.save()
    assert not dialog.isVisible()
    added = next(r for r in tab.model.rows if r.code == "A10")
    assert (added.points, added.category, added.limit_label) == (2, "七个管理员", "每周2次")

    # a refusal stays in the dialog and saves nothing
    dialog = tab.add_rule()
    dialog.code.setText("A10")
    dialog.text.setText("重复的编号")
    dialog.save()
    assert "已被使用" in dialog.error.text() and dialog.isVisible()
    dialog.reject()

    # edit A05 (+3 → +4, stopped at the year's end): the entry posted before keeps +3
    tab.table.selectRow(next(i for i, r in enumerate(tab.model.rows) if r.code == "A05"))
    dialog = tab.edit_rule()
    assert dialog.code.text() == "A05" and dialog.points.value() == 3
    dialog.points.setValue(4)
    dialog.valid_to.box.setChecked(True)
    dialog.valid_to.edit.setDate(QDate(2025, 12, 31))
    dialog.save()
    a05 = next(r for r in tab.model.rows if r.code == "A05")
    assert a05.points == 4 and a05.valid_to == date(2025, 12, 31)
    posted = service.passbook(head, recent_day().year).entries[1]
    assert (posted.rule_code, posted.requested, posted.score_delta) == ("A05", 3, 3)
    assert "成功调解矛盾纠纷" in posted.text


def test_clerk_sees_rules_but_cannot_edit(db, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    make_heads(db)
    clerk = Actor("王文书", Role.CLERK, village_id=_village_id(db))
    page = PointsPage(AppContext(db, clerk, tmp_path))
    qtbot.addWidget(page)
    assert page.rules_tab.model.rows and not page.rules_tab.add_button.isEnabled()
    assert page.rules_tab.edit_rule() is None


def test_on_a_township_database_only_the_township_keeps_the_catalogue(demo_db):  # type: ignore[no-untyped-def]
    from models.accounts.service import actor_for
    from models.core.errors import PermissionDenied
    from models.points.service import RuleInput
    from models.points.tables import PointsRule

    secretary = PointsService(demo_db, actor_for(demo_db, "hanjia"))
    assert not secretary.may_edit_rules()
    with pytest.raises(PermissionDenied):
        secretary.save_rule(None, RuleInput("T-98", "协助检查", 2))
    township = PointsService(demo_db, actor_for(demo_db, "zhen-admin"))
    assert township.may_edit_rules()
    township.save_rule(None, RuleInput("T-98", "协助检查", 2))
    with demo_db.read() as s:
        assert s.scalar(select(PointsRule.points).where(PointsRule.code == "T-98")) == 2
