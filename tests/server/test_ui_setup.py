"""The window's way to a township server: the 镇（街道）服务器设置 wizard on an empty database,
then the connection dialog and a sign-in through the saved connection, the window saying which
township and server it works on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableWidgetItem, QWizard

from models.accounts.service import login
from models.core.db import Database
from models.server import connection
from tests.pgserver import PostgresServer
from tests.server.conftest import OWNER, OWNER_PASSWORD
from ui.context import AppContext
from ui.dialogs.connection import ConnectionDialog
from ui.dialogs.server_setup import ServerSetupWizard
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
# CUNZHI_SCREENSHOTS=1 also saves what the wizard and the dialog look like into docs/screenshots.
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _shoot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if os.environ.get("CUNZHI_SCREENSHOTS"):
        widget.grab().save(str(SHOTS / name))


def test_the_wizard_sets_up_a_township_and_this_pc_signs_in_through_it(
        secured: PostgresServer, township_database: str, qtbot, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "home" / "pgpass"))
    config = tmp_path / "config"
    wizard = ServerSetupWizard(config)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.port.setValue(secured.port)
    wizard.database.setText(township_database)
    wizard.owner.setText(OWNER)
    wizard.owner_password.setText(OWNER_PASSWORD)
    wizard.tls.setChecked(False)
    _shoot(wizard, "server-setup-1-server.png")
    wizard.next()
    wizard.township.setText("示范镇")
    wizard.admin_name.setText("周镇长")
    wizard.next()
    for column, value in enumerate(("韩家村", "韩书记", "hanjia")):
        wizard.villages.setItem(0, column, QTableWidgetItem(value))
    wizard.add_village("李家村", "李书记", "lijia")
    _shoot(wizard, "server-setup-2-villages.png")
    wizard.next()
    assert wizard.currentPage() is wizard.run_page
    assert "李家村：书记 李书记    登录名 lijia" in wizard.run_page.summary.toPlainText()
    assert [wizard.buttonText(QWizard.WizardButton.CommitButton)] == ["开始设置"]
    wizard.next()                                        # 开始设置
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=30000)
    _shoot(wizard, "server-setup-3-done.png")
    assert wizard.done_setup.usernames == ("zhen-admin", "hanjia", "lijia")
    saved = connection.load(config)
    assert saved.user == f"{township_database}_app" and saved.port == secured.port
    assert wizard.run_page.everyday_password in (tmp_path / "home" / "pgpass").read_text()
    assert wizard.run_page.everyday_password not in (config / "connection.json").read_text()

    dialog = ConnectionDialog(config)
    qtbot.addWidget(dialog)
    dialog.show()
    assert (dialog.host.text(), dialog.user.text()) == ("127.0.0.1", saved.user)
    dialog.test_button.click()                           # no password typed: the passfile's
    qtbot.waitUntil(lambda: "连接成功" in dialog.result.text(), timeout=15000)
    assert "未加密" in dialog.result.text() and "村治通数据库版本" in dialog.result.text()
    _shoot(dialog, "connection.png")
    dialog.password.setText("wrong password")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: "拒绝了本机的数据库登录" in dialog.error.text(), timeout=15000)

    db = Database(saved.url())
    try:
        admin = login(db, "zhen-admin", wizard.admin_password.text())
        window = MainWindow(AppContext(db, admin, tmp_path))
        qtbot.addWidget(window)
        title = window.windowTitle()
        assert "示范镇" in title and f"127.0.0.1:{secured.port}" in title and township_database in title
        assert "周镇长（镇级管理员）已登录" in window.statusBar().currentMessage()
        village = login(db, "hanjia", wizard.villages.item(0, 3).text())
        window = MainWindow(AppContext(db, village, tmp_path))
        qtbot.addWidget(window)
        assert window.windowTitle().startswith("村治通 — 示范镇 韩家村 — 服务器 127.0.0.1")
    finally:
        db.dispose()
