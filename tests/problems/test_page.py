"""The 问题整改 page on the demo town: the 台账 printed and exported lists exactly the rows the
page shows for its filter; fast entry with a dropped photo; the card offers only the steps that
may follow and this account may take; a 包村干部 sees only his pages and villages; the chart and
the pledge list agree with the services."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from models.accounts.service import actor_for
from models.org.pledges import PledgeService
from models.printing.service import PrintService
from models.problems.service import Assignment, ProblemFilter, ProblemInput, ProblemsService
from models.printing.scope import ScopeKind
from models.problems.tables import Responsible, Status
from reports.printing import print_document
from reports.problems.ledger_xlsx import write_problem_ledger
from tests.problems.photos import write_photo
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.pages.problems.entry import RegisterDialog
from ui.pages.problems.page import ProblemsPage


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):  # type: ignore[no-untyped-def]
    """A message box would wait for a click that never comes: fail with its text instead."""
    from PySide6.QtWidgets import QMessageBox

    def refuse(_parent, title, text, *_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError(f"message box “{title}”: {text}")

    for name in ("information", "warning", "question", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(refuse))


def page_for(qtbot, db, username: str, tmp_path: Path) -> ProblemsPage:  # type: ignore[no-untyped-def]
    page = ProblemsPage(AppContext(db, actor_for(db, username), tmp_path))
    qtbot.addWidget(page)
    return page


def test_the_ledger_prints_and_exports_exactly_the_rows_on_the_page(qtbot, demo_db, tmp_path):
    page = page_for(qtbot, demo_db, "xunchaban", tmp_path)  # every village
    page.year.setValue(2026)  # the demo's year, whatever day the suite runs on
    page.source.setCurrentIndex(page.source.findText("随手拍（拍客群）"))
    page.status.setCurrentIndex(page.status.findText("已销号"))
    shown = [(r.village, r.number) for r in page.ledger.model.rows]
    assert len(shown) >= 10 and len({v for v, _ in shown}) > 1
    service = PrintService(demo_db, page.context.actor)
    result = print_document(service, "problem-ledger", None, tmp_path / "台账.pdf",
                            problem_filter=page.criteria())
    text = "".join(p.extract_text() for p in PdfReader(result.path).pages).replace("\n", "")
    printed = [number for _, number in shown if number in text]
    assert len(printed) == len(shown) and text.count("ZG2026-") == len(shown)
    ledger = ProblemsService(demo_db, page.context.actor).ledger(page.criteria())
    sheet = load_workbook(write_problem_ledger(ledger, tmp_path / "台账.xlsx")).active
    exported = [(row[2].split(" ")[0], row[3].split(" ")[0])
                for row in sheet.iter_rows(min_row=4, max_row=3 + len(ledger.rows), values_only=True)]
    assert exported == shown
    assert [c.value for c in sheet[3]] == ["序号", "发现时间", "问题地点", "问题描述", "来源", "责任人",
                                           "整改时限", "整改情况", "复核人", "销号时间"]


def test_fast_entry_takes_a_dropped_photo_and_hands_the_problem_on(qtbot, demo_db, tmp_path):
    page = page_for(qtbot, demo_db, "baocun", tmp_path)
    villages = page.villages
    dialog = RegisterDialog(page.context, villages, villages[0][0], page)
    qtbot.addWidget(dialog)
    person = page.service.problems(ProblemFilter(village_id=villages[0][0]))[0].responsible
    dialog.picker.set_text(person)
    dialog.picker.chosen.emit(dialog.picker.hits()[0])
    dialog.description.setText("门前堆放废旧家具")
    photo = write_photo(tmp_path / "IMG_20261128_081500.jpg", 5, taken="2026:11:28 08:15:00")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    dialog.photos.dropEvent(QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime,
                                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    qtbot.waitUntil(lambda: len(dialog.photos.photos) == 1)
    assert dialog.found.date().toPython() == date(2026, 11, 28)  # the photo's time proposes it
    dialog.save()
    assert dialog.registered is not None, dialog.error.text()
    card = page.service.card(dialog.registered.problem_id)
    assert card.row.status is Status.ASSIGNED and len(card.before) == 1
    assert card.row.found_on == date(2026, 11, 28) and card.row.description == "门前堆放废旧家具"


def _visible(page: ProblemsPage) -> set[str]:
    return {text for text, button in page.ledger.card.buttons.items() if not button.isHidden()}


@pytest.mark.parametrize(("username", "expected"), [
    # The village still fixes it, but may not hand it back to itself.
    ("hanjia", {"记录整改…", "打印整改通知书", "打印督办单"}),
    ("baocun", {"记录整改…", "打印整改通知书", "打印督办单"}),
    ("xunchaban", {"督办退回…", "打印整改通知书", "打印督办单"}),  # the office does not fix
])
def test_the_card_offers_the_next_steps_this_account_may_take(qtbot, demo_db, tmp_path, username,
                                                              expected):
    home = actor_for(demo_db, "hanjia").village_id
    office = ProblemsService(demo_db, actor_for(demo_db, "xunchaban"))
    some = office.problems(ProblemFilter(village_id=home))[0]
    registered = office.register(ProblemInput(
        date(2026, 11, 20), some.source_id, some.category_id, "柴草堆占道",
        household_id=some.household_id), assign=Assignment(Responsible.HOUSEHOLD),
        on=date(2026, 11, 20))
    office.escalate(registered.problem_id, "户主拒不挪走", on=date(2026, 11, 25))
    page = page_for(qtbot, demo_db, username, tmp_path)
    page.ledger.card.load(registered.problem_id)
    assert _visible(page) == expected


def test_a_cadre_sees_only_the_problem_pages_and_his_villages(qtbot, demo_db, tmp_path):
    cadre = actor_for(demo_db, "baocun")
    window = MainWindow(AppContext(demo_db, cadre, tmp_path))
    qtbot.addWidget(window)
    shown = [window.nav.item(i).text() for i in range(window.nav.count())
             if not window.nav.item(i).isHidden()]
    assert shown == ["问题整改", "账号管理"]
    page = window.page("问题整改")
    assert {v for v, _ in page.villages} == cadre.village_ids
    assert {r.village_id for r in page.ledger.model.rows} <= cadre.village_ids
    page.statistics.year.setValue(2026)
    assert page.statistics.by_village.rows[-1].found == sum(
        1 for r in page.service.problems(ProblemFilter()) if r.found_on.year == 2026) > 0


def test_the_pledge_tab_lists_the_missing_households_and_records_a_return(qtbot, demo_db, tmp_path):
    page = page_for(qtbot, demo_db, "hanjia", tmp_path)
    tab = page.pledges
    tab.year.setValue(2026)
    village = page.villages[0][0]
    service = PledgeService(demo_db, page.context.actor)

    def missing() -> list[tuple[int, int]]:
        return [(a.alley_id, h.household_id) for a in service.missing(village, 2026)
                for h in a.households]

    before = missing()
    assert [(a.alley_id, h.household_id) for a in tab.missing.rows for h in a.households] == before
    tab.show_alley(before[0][0])
    tab.households_view.selectRow(next(i for i, r in enumerate(tab.households.rows)
                                       if r.household_id == before[0][1]))
    tab.record()
    assert missing() == before[1:]
    assert [(a.alley_id, h.household_id) for a in tab.missing.rows for h in a.households] == before[1:]


@pytest.mark.qt_log_ignore("propagateSizeHints")
@pytest.mark.parametrize("kind", ["problem-notice", "supervision-slip", "problem-ledger"])
def test_the_print_centre_prints_a_problems_paper(qtbot, demo_db, tmp_path, kind):
    from ui.pages.print_centre import PrintCentrePage

    patrol = actor_for(demo_db, "xunchaban")
    escalated = ProblemsService(demo_db, patrol).problems(ProblemFilter(status=Status.ESCALATED))[0]
    page = PrintCentrePage(AppContext(demo_db, patrol, tmp_path))
    qtbot.addWidget(page)
    page.kind.setCurrentIndex(page.kind.findData(kind))
    page.year.setValue(escalated.found_on.year)
    if kind == "problem-ledger":
        page.scope_kind.setCurrentIndex(page.scope_kind.findData(ScopeKind.VILLAGE))
        page.ledger_month.setCurrentIndex(page.ledger_month.findData(escalated.found_on.month))
    page.units[0].setCurrentIndex(page.units[0].findData(escalated.village_id))
    if kind != "problem-ledger":
        assert page.problems.isEnabled() and page.problems.count() >= 1
        page.problems.setCurrentIndex(page.problems.findData(escalated.id))
    page.make_preview()
    qtbot.waitUntil(lambda: page.result is not None, timeout=30000)
    assert page.result.pages >= 1 and escalated.village in page.result.scope
    text = "".join(p.extract_text() for p in PdfReader(page.result.path).pages)
    assert escalated.number in text
