"""The organisation page, the shared person picker and the head appointment dialog, on the demo
town (both engines)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import select

from models.core.access import SYSTEM
from models.org.directory import DirectoryService, Level
from models.org.roster_sheet import Problem
from models.org.service import ResidentInput, village_of_alley
from models.org.tables import AdminVillage, Alley
from ui.context import AppContext
from ui.dialogs.heads import AppointDialog, HeadsRosterDialog
from ui.dialogs.members import MembersDialog
from ui.dialogs.roster import ProblemsDialog
from ui.pages.organisation import OrganisationPage
from ui.widgets_search import PersonPicker


def context(db) -> AppContext:  # type: ignore[no-untyped-def]
    return AppContext(db, SYSTEM, Path("."))


def test_picker_finds_while_typing_and_emits_the_chosen_person(qtbot, demo_db):
    with demo_db.read() as s:
        village = s.scalars(select(AdminVillage.id).order_by(AdminVillage.id)).first()
    picker = PersonPicker(context(demo_db), village)
    qtbot.addWidget(picker)
    picker.set_text("zeng")
    hits = picker.hits()
    assert hits and all(h.name.startswith("曾") and h.village_id == village for h in hits)
    with qtbot.waitSignal(picker.chosen) as chosen:
        qtbot.keyClick(picker.box, Qt.Key.Key_Return)
    assert chosen.args[0] == hits[0]
    picker.everywhere.setChecked(True)
    picker.set_text("zeng")
    assert len({h.village_id for h in picker.hits()}) > 1


def test_appointing_a_head_from_the_dialog_replaces_the_old_one(qtbot, demo_db):
    with demo_db.read() as s:
        alley = s.scalar(select(Alley.id).order_by(Alley.id))
        village = village_of_alley(s, alley)
    ctx = context(demo_db)
    before = DirectoryService(demo_db, SYSTEM).details(Level.ALLEY, alley).head
    dialog = AppointDialog(ctx, Level.ALLEY, alley, "南一胡同", village)
    qtbot.addWidget(dialog)
    dialog.accept()
    assert "请先" in dialog.error.text()  # nobody chosen yet
    dialog.picker.set_text("w")
    newcomer = next(h for h in dialog.picker.hits() if h.resident_id != before.resident_id)
    dialog._chosen(newcomer)
    dialog.proposer.setText("村党支部")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    after = DirectoryService(demo_db, SYSTEM).details(Level.ALLEY, alley).head
    assert after.resident_id == newcomer.resident_id
    assert dialog.history.rowCount() == 1  # the history shown was the one before


def test_page_selects_units_and_shows_heads_roster_and_problems(qtbot, demo_db):
    ctx = context(demo_db)
    page = OrganisationPage(ctx)
    qtbot.addWidget(page)
    index = page.tree_model.index(0, 0)
    for _ in range(4):
        page.tree.expand(index)
        index = page.tree_model.index(0, 0, index)
    page.tree.setCurrentIndex(index)
    assert page.current.level == Level.ALLEY
    assert page.household_rows() and page.appoint_button.isEnabled()
    assert "胡同长" in page.head_label.text()
    roster = HeadsRosterDialog(ctx, page._village_of_selection(), "韩家村")
    qtbot.addWidget(roster)
    assert roster.model.rowCount() == len(roster.rows) > 0
    problems = ProblemsDialog("名单.xlsx", [Problem(3, "联系电话", "电话不对")])
    qtbot.addWidget(problems)
    assert problems.model.rowCount() == 1


def test_finder_opens_the_tree_at_the_person_and_members_can_be_added(qtbot, demo_db):
    page = OrganisationPage(context(demo_db))
    qtbot.addWidget(page)
    page.finder.set_text("zeng")
    person = page.finder.hits()[0]
    page.finder.chosen.emit(person)
    assert page.current.level == Level.ALLEY and page.current.id == person.alley_id
    assert person.household_id in [h.id for h in page.household_rows()]
    members = MembersDialog(page.context, person.household_id, person.name)
    qtbot.addWidget(members)
    count = members.model.rowCount()
    page.org.add_resident(person.household_id, ResidentInput("曾小明", relation="孙子"))
    members.reload()
    assert members.model.rowCount() == count + 1
