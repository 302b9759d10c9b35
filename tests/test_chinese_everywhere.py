"""No English on screen: every page of the main window (each tab shown) as every role sees it,
every dialog, message box and menu its buttons and context menus open, and every dialog those
open in turn (tests/crawl.py), Qt's own standard buttons and the text fields' context menu. A
visible text with Latin words and no Chinese character fails the test; a dialog class under ui/
that no crawl reaches fails it too."""

from __future__ import annotations

import importlib
import pkgutil
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QFileInfo, QLocale, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileIconProvider,
    QLineEdit,
    QMessageBox,
    QWidget,
)
from sqlalchemy import select

import ui
from models.accounts.service import actor_for
from models.accounts.tables import Account
from models.core import clock
from models.core.access import SYSTEM, Role
from models.core.db import Database
from models.points.service import PointsService
from models.points.tables import LIST_RULE_CATEGORY
from models.store.counter import CounterService
from models.org.roster_sheet import Problem
from models.backup.start import start_problem
from tests.crawl import Crawler, english
from ui import style
from ui.context import AppContext
from ui.dialogs.connection import ConnectionDialog
from ui.dialogs.crash import CrashDialog
from ui.dialogs.damaged import DamagedDialog
from ui.dialogs.first_run import FirstRunDialog
from ui.dialogs.login import LoginDialog
from ui.dialogs.roster import ProblemsDialog
from ui.dialogs.start_problem import StartProblemDialog
from ui.main_window import PAGES, MainWindow
from ui.pages.problems.steps import AssignDialog
from ui.pages.worklog.grid import Cell
from ui.splash import Splash

# The offscreen platform's chatter when menus and dialogs open and close this fast.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise",
                                       "grabbing the keyboard")

ROLES = [role for role in Role if role is not Role.SYSTEM]
COUNTER_HEAD: list[str] = []  # the name of the head who redeems in the counter's crawl
# What each role's crawl reached: the dialog-class guard below reads every role's.
CRAWLS: dict[Role, Crawler] = {}


def wait_for(condition) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 10
    while not condition() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    assert condition()


def choose_a_head_to_credit(page: QWidget) -> None:
    """积分银行: a head found by name and clicked (his passbook, 加分 / 扣分 for him)."""
    page.search.setText("韩")
    wait_for(lambda: page.hit_model.rowCount() > 0)
    page.hits.clicked.emit(page.hit_model.index(0, 0))
    assert page.head is not None


def credit_a_head_for_the_counter(db: Database, village_id: int) -> None:
    """A head of the village with 20 points to spend, for the counter's crawl: one who has
    them, or else one with room under the cap credited by the demo catalogue's awards as the
    clerk would post them (on 1 January every passbook is back at its opening 30, of which
    nothing may be spent)."""
    points, counter = PointsService(db, SYSTEM), CounterService(db, SYSTEM)
    cards = [counter.head_card(hit.head_id) for hit in counter.find_heads(village_id, "")]
    cards = [card for card in cards if not card.standing.on_talk_list]
    ready = [card for card in cards if card.standing.spendable >= 20]
    if not ready:
        card = min(cards, key=lambda card: card.standing.score)
        today = clock.today()
        awards = sorted((r for r in points.rules() if r.points > 0 and r.in_force(today)
                         and not r.evidence_required and r.limit_count is None
                         and r.category != LIST_RULE_CATEGORY),
                        key=lambda r: -r.points)
        for rule in awards * 10:
            if counter.head_card(card.head_id).standing.spendable >= 20:
                break
            points.post(card.head_id, rule.id, today, "柜台试兑换")
        ready = [counter.head_card(card.head_id)]
    assert ready[0].standing.spendable >= 20 and not ready[0].refusal, ready[0]
    COUNTER_HEAD[:] = [ready[0].name]


def fill_a_basket(page: QWidget) -> None:
    """兑换柜台: the credited head found by name and a first goods in his basket."""
    page.search.setText(COUNTER_HEAD[0])
    wait_for(lambda: page.hits.count() > 0)
    QTest.keyClick(page.search, Qt.Key.Key_Return)
    assert page.card is not None and not page.card.refusal, page.message.text()
    page.add_goods(0)  # what F1 does
    assert page.basket, page.message.text()


def grid_keys(crawler: Crawler, page: QWidget, where: str) -> None:
    """三个一日志: the month grid opens its dialogs by keyboard only (F2 on a day for a
    finding, Enter on a week's summary and on the visits column)."""
    page.tabs.setCurrentWidget(page.grid_tab)
    view = page.grid_tab.view
    model = view.grid_model
    wanted = {Cell.DAY: Qt.Key.Key_F2, Cell.WEEK: Qt.Key.Key_Return, Cell.VISIT: Qt.Key.Key_Return}
    for column in range(model.columnCount()):
        kind, _number = model.kind(column)
        if kind in wanted and model.workable(0, column):
            view.setCurrentIndex(model.index(0, column))
            key = wanted.pop(kind)
            crawler.watch(lambda key=key: QTest.keyClick(view, key), f"{where} › 按键", 1)
    assert wanted == {}, wanted


def redeem_by_keyboard(crawler: Crawler, page: QWidget, where: str) -> None:
    """兑换柜台: a basket confirmed with Enter opens the receipt (the crawl's clicks empty the
    basket with 重新开始 before they reach 确认兑换)."""
    fill_a_basket(page)
    crawler.watch(lambda: QTest.keyClick(page, Qt.Key.Key_Return), f"{where} › 回车", 1)
    assert not page.basket, page.message.text()


# Pages whose buttons act on a choice made by typing, not by selecting a row (as the
# secretary, who may use them all).
CHOSEN_FIRST = {"积分银行": choose_a_head_to_credit, "兑换柜台": fill_a_basket}
# Dialogs a page opens by key presses only (as the secretary too).
BY_KEYBOARD = {"三个一日志": grid_keys, "兑换柜台": redeem_by_keyboard}


def crawl_as(role: Role, templates, tmp_path: Path) -> Crawler:  # type: ignore[no-untyped-def]
    """Signs in as the demo town's account of `role` on a fresh copy of the demo town and
    crawls every page the window shows it; once per role and session."""
    if role in CRAWLS:
        return CRAWLS[role]
    style.install_qt_translation(QApplication.instance())
    folder = tmp_path / role.value
    folder.mkdir()
    db = templates.fresh("sqlite", "demo", folder)
    with db.read() as s:
        username = s.scalars(select(Account.username).where(Account.role == role.value)
                             .order_by(Account.id)).first()
    assert username is not None, f"演示数据里没有“{role.label}”账号"
    actor = actor_for(db, username)
    if role is Role.SECRETARY:
        credit_a_head_for_the_counter(db, actor.village_id)
    window = MainWindow(AppContext(db, actor, folder))
    window.show()
    crawler = Crawler(window)
    try:
        for title in window.shown_titles:
            page = window.show_page(title)
            QApplication.processEvents()
            crawler.classes.add(type(page))
            crawler.opened.append((0, title))
            where = f"{role.label} › {title}"
            if title in CHOSEN_FIRST and role is Role.SECRETARY:
                CHOSEN_FIRST[title](page)
            crawler.inside(page, where, 0)
            if title in BY_KEYBOARD and role is Role.SECRETARY:
                BY_KEYBOARD[title](crawler, page, where)
    finally:
        crawler.stop()
        window.close()
        window.deleteLater()
        QApplication.processEvents()
        db.dispose()
    CRAWLS[role] = crawler
    return crawler


def test_qts_own_words_are_chinese(qtbot, tmp_path):
    style.install_qt_translation(QApplication.instance())
    everything = QDialogButtonBox.StandardButton(0)
    for button in QDialogButtonBox.StandardButton:
        if button not in (QDialogButtonBox.StandardButton.NoButton,):
            everything |= button
    box = QDialogButtonBox(everything)
    assert [b.text() for b in box.buttons() if english(b.text())] == []
    message = QMessageBox(QMessageBox.Icon.Question, "标题", "内容",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                          | QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    assert [b.text() for b in message.buttons() if english(b.text())] == []
    field = QLineEdit()
    qtbot.addWidget(field)
    menu = field.createStandardContextMenu()
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts and [t for t in texts if english(t)] == []
    menu.deleteLater()
    # The kind of a folder in the file dialog's list (its 类型 column), and a calendar's month.
    assert QFileIconProvider().type(QFileInfo(str(tmp_path))) == "文件夹"
    assert QLocale().monthName(12) == "十二月"


@pytest.mark.parametrize("role", ROLES, ids=[role.value for role in ROLES])
def test_no_page_dialog_or_menu_shows_english(role, qtbot, templates, tmp_path):
    crawler = crawl_as(role, templates, tmp_path)
    print(crawler.counts(), *crawler.opened, sep="\n")
    assert crawler.counts()[1] > 10, crawler.opened  # the crawl reached the dialogs
    assert crawler.found == [], "\n".join(sorted(set(crawler.found)))


def crawl_direct() -> Crawler:
    """The dialogs no click or key of the crawl reaches, opened here as the program opens them
    and crawled like the others:
    - ProblemsDialog: an Excel roster refused row by row (it needs a file chosen in the file
      dialog, which the crawl cancels);
    - AssignDialog: 交办 of a problem only registered, not yet assigned (the problem the crawl
      selects, the list's first, is further on)."""
    style.install_qt_translation(QApplication.instance())
    dialogs = [ProblemsDialog("农户名单.xlsx", [Problem(3, "身份证号", "重复")]),
               AssignDialog(lambda _dialog: None, lambda on: on)]
    host = QWidget()
    crawler = Crawler(host)
    for dialog in dialogs:
        crawler.watch(dialog.exec, f"直接打开 › {type(dialog).__name__}", 1)
        dialog.deleteLater()
    crawler.stop()
    host.deleteLater()
    QApplication.processEvents()
    return crawler


def test_dialogs_no_click_reaches_are_chinese(qtbot):
    crawler = crawl_direct()
    assert crawler.counts()[1] >= 2, crawler.opened
    assert crawler.found == [], "\n".join(sorted(set(crawler.found)))


def test_every_page_and_dialog_is_reached(qtbot, templates, tmp_path):
    """Every page class and every dialog class under ui/ was opened by some role's crawl, or
    is one of the start's windows opened directly below (before any page exists)."""
    crawls = [crawl_as(role, templates, tmp_path) for role in ROLES]
    crawls.append(crawl_start(templates.fresh("sqlite", "empty", tmp_path), tmp_path))
    crawls.append(crawl_direct())
    reached = set().union(*(crawler.classes for crawler in crawls))
    for module in pkgutil.walk_packages(ui.__path__, "ui."):
        importlib.import_module(module.name)
    dialogs = {cls for cls in subclasses(QDialog) if cls.__module__.startswith("ui.")}
    # A base class is reached through the classes made from it.
    concrete = {cls for cls in dialogs if not any(issubclass(other, cls) and other is not cls
                                                  for other in dialogs)}
    pages = {getattr(importlib.import_module(module), name) for _title, module, name in PAGES}
    missing = sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in (concrete | pages) - reached)
    assert missing == [], "\n".join(missing)


def subclasses(cls: type) -> set[type]:
    return {sub for direct in cls.__subclasses__() for sub in (direct, *subclasses(direct))}


def start_windows(db, folder: Path) -> list[QWidget]:  # type: ignore[no-untyped-def]
    """What the start shows before any page exists, so no click of a crawl can reach it: the
    start window, the set-up wizard (on an empty database) and the login, each with its
    server buttons, the connection settings, the database problems and the crash report."""
    foreign = folder / "说明.db"
    foreign.write_text("不是数据库", encoding="utf-8")
    return [Splash(), FirstRunDialog(db, config_folder=folder),
            LoginDialog(db, config_folder=folder), ConnectionDialog(folder),
            StartProblemDialog(start_problem(foreign, may_be_new=False)),
            StartProblemDialog(start_problem(folder / "没有.db", may_be_new=False)),
            DamagedDialog(foreign, ["数据库文件已损坏。"], None),
            CrashDialog("Traceback (most recent call last): …", str(folder / "cunzhi.log"))]


STARTS = (Splash, FirstRunDialog, LoginDialog, ConnectionDialog, StartProblemDialog,
          DamagedDialog, CrashDialog)


def crawl_start(db, folder: Path) -> Crawler:  # type: ignore[no-untyped-def]
    """Each start window crawled as a page is: what its buttons open (the server set-up
    wizard, the connection settings from the login) is reached by clicking."""
    style.install_qt_translation(QApplication.instance())
    windows = start_windows(db, folder)
    crawler = Crawler(windows[0])
    for window in windows:
        window.show()
        QApplication.processEvents()
        crawler.classes.add(type(window))
        crawler.open.append(window)
        crawler.inside(window, type(window).__name__, 0)
        crawler.open.remove(window)
        window.close()
        window.deleteLater()
    crawler.stop()
    QApplication.processEvents()
    return crawler


def test_the_start_ups_windows_are_chinese(qtbot, db, tmp_path):
    crawler = crawl_start(db, tmp_path)
    assert crawler.counts()[1] > 5, crawler.opened
    # The crash report's own text is the program's traceback, for the helper: not shown words.
    assert [f for f in crawler.found if "QPlainTextEdit" not in f] == []
