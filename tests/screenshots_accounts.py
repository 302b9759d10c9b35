"""Renders the accounts issue's windows on the demo town into docs/screenshots/ (run by hand:
`PYTHONPATH=. QT_QPA_PLATFORM=offscreen python tests/screenshots_accounts.py`)."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QApplication

from models.accounts.service import AccountService, actor_for
from models.backup.files import BackupFile
from models.core.access import Role
from models.org.service import OrganisationService
from ui.context import AppContext
from ui.dialogs.damaged import DamagedDialog
from ui.dialogs.login import LoginDialog
from ui.main_window import MainWindow
from tests.screenshot_town import demo_town

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def shoot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    widget.show()
    QApplication.processEvents()
    widget.grab().save(str(OUT / name))


def main() -> int:
    _app, db, folder = demo_town()  # the application lives as long as main()
    OUT.mkdir(parents=True, exist_ok=True)
    secretary = actor_for(db, "hanjia")
    accounts = AccountService(db, secretary)
    clerk = accounts.create_account("hanjia-jizhang", "韩家村记账员", Role.CLERK,
                                    secretary.village_id, "记账员的口令")
    accounts.reset_password(clerk, "新的记账口令")
    OrganisationService(db, secretary).create_natural_village(secretary.village_id, "后屯")
    login = LoginDialog(db)
    login.username.setText("hanjia")
    login.password.setText("错误的密码")
    login.try_login()
    shoot(login, "login.png")
    newest = BackupFile(folder / "备份" / "cunzhi.db", datetime(2026, 11, 28, 17, 42), "退出")
    damaged = DamagedDialog(Path(r"C:\Users\村委会\AppData\Roaming\cunzhi\cunzhi.db"),
                            ["数据库文件中有损坏的部分（共发现 3 处问题）。"], newest)
    shoot(damaged, "damaged-database.png")
    for username, page, name in (("hanjia", "账号管理", "accounts.png"),
                                 ("jigongwei", "操作记录", "audit.png")):
        window = MainWindow(AppContext(db, actor_for(db, username), folder))
        window.resize(1100, 560)
        window.show_page(page)
        shoot(window, name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
