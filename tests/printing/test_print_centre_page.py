"""The 打印中心 page: pick a document and a scope, preview it in the program, save it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from models.accounts.service import actor_for
from models.org.directory import DirectoryService, Level
from models.printing.scope import ScopeKind
from ui.context import AppContext
from ui.pages.print_centre import PrintCentrePage
from ui.pdf_output import print_pdf, save_copy

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_preview_print_and_save_an_alleys_pledges(demo_db, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    page = PrintCentrePage(AppContext(demo_db, actor_for(demo_db, "hanjia"), tmp_path))
    qtbot.addWidget(page)
    page.show()
    page.kind.setCurrentIndex(page.kind.findData("pledges"))
    page.scope_kind.setCurrentIndex(page.scope_kind.findData(ScopeKind.ALLEY))
    assert page.units[0].currentText() == "韩家村" and page.units[3].isEnabled()
    alley = page.units[3].currentText()
    page.make_preview()
    qtbot.waitUntil(lambda: page.result is not None, timeout=30000)
    households = next(u.households for u in page.context.service(DirectoryService)
                      .children(Level.ZONE, page.units[2].currentData()) if u.name == alley)
    assert page.document.pageCount() == households == page.result.pages
    assert f"共 {households} 页" in page.status.text() and page.print_button.isEnabled()

    saved = tmp_path / "责任书.pdf"
    save_copy(page.preview_file, saved)
    assert saved.read_bytes() == page.preview_file.read_bytes()

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(72)
    print_pdf(page.document, printer)
    printed = QPdfDocument()
    printed.load(str(tmp_path / "printed.pdf"))
    assert printed.pageCount() == households


def test_a_head_is_found_by_name(demo_db, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    page = PrintCentrePage(AppContext(demo_db, actor_for(demo_db, "hanjia"), tmp_path))
    qtbot.addWidget(page)
    page.kind.setCurrentIndex(page.kind.findData("passbook"))
    assert page.head_search.isEnabled() and not page.units[0].isEnabled()
    page.head_search.setText("林金")
    assert page.heads.count() >= 1 and "林金" in page.heads.currentText()
    page.make_preview()
    qtbot.waitUntil(lambda: page.result is not None, timeout=30000)
    assert page.result.scope == "林金" and Path(page.result.path).exists()


def test_a_secretary_previews_work_ids_of_his_village_at_once(demo_db, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    page = PrintCentrePage(AppContext(demo_db, actor_for(demo_db, "hanjia"), tmp_path))
    qtbot.addWidget(page)
    scopes = [page.scope_kind.itemText(i) for i in range(page.scope_kind.count())]
    assert "全镇" not in scopes and page.scope_kind.currentText() == "行政村"
    assert [page.units[0].itemText(i) for i in range(page.units[0].count())] == ["韩家村"]
    page.kind.setCurrentIndex(page.kind.findData("work-ids"))
    assert page.scope_kind.currentText() == "行政村"
    page.scope_kind.setCurrentIndex(page.scope_kind.findData(ScopeKind.ZONE))
    page.kind.setCurrentIndex(page.kind.findData("passbook"))
    page.kind.setCurrentIndex(page.kind.findData("roster"))
    assert page.scope_kind.currentText() == "片区"  # kept across document changes
    page.kind.setCurrentIndex(page.kind.findData("work-ids"))
    page.scope_kind.setCurrentIndex(page.scope_kind.findData(ScopeKind.VILLAGE))
    page.make_preview()
    qtbot.waitUntil(lambda: page.result is not None, timeout=60000)
    assert page.result.pages > 0 and "韩家村" in page.status.text()
    assert page.pane.currentWidget() is page.view
