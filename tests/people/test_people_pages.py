"""The people pages on the demo town: what the secretary of 韩家村 and the township see, and the
refusals shown before anything is saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import text

from models.accounts.service import actor_for
from models.core.access import Actor, Role
from models.people.tables import Grade
from ui.context import AppContext
from ui.pages.people.assessment import AssessmentPage
from ui.pages.people.honours import HonoursPage, NominateDialog
from ui.pages.people.talent import EntryDialog, TalentPage


@pytest.fixture
def sqlite_demo(templates, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The pages do not depend on the engine: SQLite only, for speed."""
    db = templates.fresh("sqlite", "demo", tmp_path)
    yield db
    db.dispose()


def _year(page) -> None:  # type: ignore[no-untyped-def]
    page.header.year.setValue(2026)


def test_honours_page_shows_the_years_work(qtbot, sqlite_demo, tmp_path):  # type: ignore[no-untyped-def]
    context = AppContext(sqlite_demo, actor_for(sqlite_demo, "hanjia"), tmp_path)
    page = HonoursPage(context)
    qtbot.addWidget(page)
    _year(page)
    assert page.nominations.rowCount() > 0
    assert all(r.village == "韩家村" for r in page.nominations.rows)
    assert {r.status.label for r in page.nominations.rows} == {"已批准"}
    assert "韩家村2026年度积分最高" in page.village_top.text()
    assert "韩集镇2026年度积分最高" in page.town_top.text()
    assert "先达到最终得分者优先" in page.rule.text()
    assert page.barred.rowCount() > 0 and "约谈名单" in page.barred.rows[0].reason
    assert not any(b.isEnabled() for b in page.township_buttons)  # the township decides
    assert page.lists.rowCount() == 1


def test_nominating_someone_on_the_talk_list_is_refused_in_the_dialog(qtbot, sqlite_demo, tmp_path):  # type: ignore[no-untyped-def]
    context = AppContext(sqlite_demo, actor_for(sqlite_demo, "hanjia"), tmp_path)
    page = HonoursPage(context)
    qtbot.addWidget(page)
    _year(page)
    barred = page.barred.rows[0]
    dialog = NominateDialog(context, page.service, 2026, page.header.village_id, False, page)
    qtbot.addWidget(dialog)
    dialog.picker.set_text(barred.name)
    hit = next(h for h in dialog.picker.hits() if h.resident_id == barred.resident_id)
    dialog._chosen(hit)
    dialog.kind.setCurrentIndex(next(i for i in range(dialog.kind.count())
                                     if dialog.kind.itemText(i).startswith(f"年度优秀{barred.role}")))
    assert "不能提名" in dialog.chosen.text()
    dialog.deeds.setPlainText("表现好")
    dialog.accept()
    assert "本次没有保存任何内容" in dialog.error.text() and "约谈名单" in dialog.error.text()
    assert dialog.result() == 0


def test_assessment_page_shows_the_method_and_the_grades(qtbot, sqlite_demo, tmp_path):  # type: ignore[no-untyped-def]
    context = AppContext(sqlite_demo, actor_for(sqlite_demo, "hanjia"), tmp_path)
    page = AssessmentPage(context)
    qtbot.addWidget(page)
    _year(page)
    assert "民意调研20%" in page.method.text() and "只适用于胡同长" in page.method.text()
    assert "已于2026年11月28日" in page.status.text()
    assert not page.save_button.isEnabled() and not page.confirm_button.isEnabled()
    grades = page.sheet.confirmed.grades
    assert page.grid.rowCount() == len(grades)
    unfit = next(i for i, g in enumerate(grades) if g.grade is Grade.UNFIT)
    assert page.grid.item(unfit, page.grid.columnCount() - 1).text() == "待撤换"
    page.grid.selectRow(unfit)
    assert page.replace_button.isEnabled()
    page.grid.selectRow(next(i for i, g in enumerate(grades) if g.grade is not Grade.UNFIT))
    assert not page.replace_button.isEnabled()


def test_assessment_grid_enters_and_previews_a_new_year(qtbot, sqlite_demo, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    context = AppContext(sqlite_demo, actor_for(sqlite_demo, "hanjia"), tmp_path)
    page = AssessmentPage(context)
    qtbot.addWidget(page)
    page.header.year.setValue(2025)
    assert page.save_button.isEnabled() and "尚未确认" in page.status.text()
    for col, value in enumerate(["30", "8", "2", "20", "5", "1", "50", "4", "2"]):
        page.grid.item(0, 2 + col).setText(value)
    page.grid.item(1, 2).setText("12")  # one count alone: the method must be entered whole
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    page.save()
    assert shown and "三项票数都填写" in shown[0]
    page.grid.item(1, 2).setText("")
    monkeypatch.setattr(QMessageBox, "information", lambda *args: shown.append(args[2]))
    page.save()
    assert "1名负责人" in shown[-1]
    assert page.grid.item(0, page.grid.columnCount() - 1).text() in {g.value for g in Grade}
    assert page.grid.item(1, page.grid.columnCount() - 1).text() == "未录全"


def test_talent_page_counts_and_refuses_a_non_member_as_cadre(qtbot, sqlite_demo, tmp_path):  # type: ignore[no-untyped-def]
    context = AppContext(sqlite_demo, Actor("镇管理员", Role.TOWNSHIP_ADMIN), tmp_path)
    page = TalentPage(context)
    qtbot.addWidget(page)
    total = page.counts.rows[-1]
    assert (total.pool, total.cadres, total.candidates) == (108, 65, 90)
    page.header.village.setCurrentIndex(1)  # 韩家村
    assert {r.village for r in page.register.rows} == {"韩家村"}
    page.register_view.selectRow(0)
    assert page.history.rowCount() >= 1 and page.history.rows[0].status.label == "入库"
    with sqlite_demo.read() as s:
        villager = s.execute(text(
            "SELECT r.name, r.id FROM resident r JOIN household h ON h.id = r.household_id "
            "JOIN alley a ON a.id = h.alley_id JOIN zone z ON z.id = a.zone_id "
            "JOIN natural_village n ON n.id = z.natural_village_id WHERE n.admin_village_id = 1 "
            "AND NOT r.is_party_member AND r.id NOT IN (SELECT resident_id FROM talent_entry) "
            "ORDER BY r.id LIMIT 1")).one()
    dialog = EntryDialog(context, page.service, page.header.village_id, page)
    qtbot.addWidget(dialog)
    dialog.picker.set_text(villager.name)
    dialog._chosen(next(h for h in dialog.picker.hits() if h.resident_id == villager.id))
    dialog.category.setCurrentIndex(1)  # 后备干部
    dialog.evidence.setPlainText("积极参加义务劳动")
    dialog.accept()
    assert "不是党员，后备干部只从党员中储备" in dialog.error.text()


def test_the_pages_open_quietly_on_a_database_without_villages(qtbot, templates, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    db = templates.fresh("sqlite", "empty", tmp_path)
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    context = AppContext(db, Actor("镇管理员", Role.TOWNSHIP_ADMIN), tmp_path)
    for page_class in (HonoursPage, AssessmentPage, TalentPage):
        page = page_class(context)
        qtbot.addWidget(page)
    assert shown == []
    db.dispose()
