"""The login dialog, the accounts, audit and backup pages, and the crash hook, on the demo town."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from models.accounts.demo import DEMO_PASSWORD
from models.accounts.service import actor_for
from models.core import logs
from ui import app as startup
from ui.context import AppContext
from ui.dialogs.crash import CrashDialog
from ui.dialogs.login import LoginDialog
from ui.pages.accounts.audit import AuditPage
from ui.pages.accounts.page import AccountsPage
from ui.pages.backup import BackupPage


@pytest.fixture
def sqlite_demo(templates, tmp_path):  # type: ignore[no-untyped-def]
    db = templates.fresh("sqlite", "demo", tmp_path)
    yield db
    db.dispose()


def page(cls, db, username, tmp_path):  # type: ignore[no-untyped-def]
    return cls(AppContext(db, actor_for(db, username), tmp_path))


def test_login_dialog_counts_down_then_signs_in(qtbot, sqlite_demo):
    dialog = LoginDialog(sqlite_demo)
    qtbot.addWidget(dialog)
    dialog.username.setText("hanjia")
    dialog.password.setText("不对的密码")
    dialog.try_login()
    assert "再错 4 次" in dialog.error.text() and dialog.password.text() == ""
    dialog.password.setText(DEMO_PASSWORD)
    dialog.try_login()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor.name == actor_for(sqlite_demo, "hanjia").name


def test_accounts_page_lists_the_village_for_the_secretary_only(qtbot, sqlite_demo, tmp_path):
    secretary_page = page(AccountsPage, sqlite_demo, "hanjia", tmp_path)
    qtbot.addWidget(secretary_page)
    assert [r.username for r in secretary_page.model.rows] == ["hanjia", "hanjia-wenshu"]
    clerk_page = page(AccountsPage, sqlite_demo, "hanjia-wenshu", tmp_path)
    qtbot.addWidget(clerk_page)
    assert clerk_page.table.isHidden() and clerk_page.model.rows == []


def test_audit_page_for_inspector_not_for_clerk(qtbot, sqlite_demo, tmp_path):
    inspector_page = page(AuditPage, sqlite_demo, "jigongwei", tmp_path)
    qtbot.addWidget(inspector_page)
    actions = [r.action for r in inspector_page.model.rows]
    assert "生成演示数据" in actions
    clerk_page = page(AuditPage, sqlite_demo, "hanjia-wenshu", tmp_path)
    qtbot.addWidget(clerk_page)
    assert "只有" in clerk_page.hint.text() and not hasattr(clerk_page, "table")


def test_backup_page_lists_backups(qtbot, sqlite_demo, tmp_path):
    backup_page = page(BackupPage, sqlite_demo, "hanjia", tmp_path)
    qtbot.addWidget(backup_page)
    assert backup_page.model.rows == []
    backup_page.service.backup_now()
    backup_page.reload()
    assert len(backup_page.model.rows) == 1


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_crash_hook_logs_a_scrubbed_report_and_shows_it(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    log_path = logs.configure(tmp_path / "data")
    startup.install_crash_hook(log_path)
    shown: list[str] = []

    def close_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, CrashDialog):
            QTimer.singleShot(20, close_dialog)
            return
        shown.append(dialog.report.toPlainText())
        dialog.copy()
        dialog.reject()

    QTimer.singleShot(20, close_dialog)
    try:
        raise RuntimeError("保存 11010519491231002X 时出错 password=村里的口令")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    logged = log_path.read_text(encoding="utf-8")
    for text in (shown[0], logged, QApplication.clipboard().text()):
        assert "RuntimeError" in text
        assert "11010519491231002X" not in text and "村里的口令" not in text
