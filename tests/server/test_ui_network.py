"""The network as the clerk meets it, through the window: a lost reply at the counter, a server
stopped in the middle of the day's work, a database problem reaching the crash hook. Plain
Chinese with a retry every time, never the crash dialog, nothing committed lost, nothing twice."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from models.check import run_checks
from models.core import logs
from models.core.access import SYSTEM, Actor, Role
from models.core.db import Database
from models.core.errors import DomainError, ServerProblem
from models.core.schema import migrate
from models.store.counter import CounterService
from models.store.tables import Redemption
from tests.store.counter_setup import give_points, make_goods, make_village
from tests.server.helpers import start_server
from tests.server.relay import Relay
from ui import app as startup
from ui.context import TOPICS, AppContext
from ui.dialogs.crash import CrashDialog
from ui.pages.store.counter import CounterPage
from ui.problems import REPORTER

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _redeem_on_page(page: CounterPage, query: str = "hlx") -> None:
    page.start_over()
    page._find(query)
    page.pick()
    page.add_goods(0)
    page.confirm()


def _close_receipt(page: CounterPage) -> str:
    number = page.receipt.data.number
    page.receipt.done(0)
    page.receipt = None
    return number


def _redemptions(db: Database) -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(Redemption.number).order_by(Redemption.number)))


def test_the_counter_page_retries_a_lost_reply_once(templates, qtbot, tmp_path: Path):
    if templates.server is None:
        pytest.skip("未安装 PostgreSQL 服务器程序，跳过 PostgreSQL 上的测试（CI 中不会跳过）。")
    direct = templates.fresh("postgresql", "empty", tmp_path)
    relay = Relay(templates.server.port)
    far = Database(direct.url.set(port=relay.port))
    try:
        v = make_village(direct)
        give_points(direct, v.head_id, 100)
        make_goods(direct, v.village_id, "大米", 10, stock=20)
        page = CounterPage(AppContext(far, Actor("王文书", Role.CLERK, village_id=v.village_id),
                                      tmp_path))
        qtbot.addWidget(page)
        page.show()
        page.start_over()
        page._find("hlx")
        page.pick()
        page.add_goods(0)
        relay.lose_next_commit_reply()
        page.confirm()                                   # Enter: the reply never comes back
        assert "可能已经保存，也可能没有保存" in page.message.text()
        assert page.receipt is None and len(page.basket) == 1
        page.confirm()                                   # Enter again: the same basket
        assert page.receipt is not None and page.receipt.data.total == 10
        assert _redemptions(direct) == [_close_receipt(page)]
        assert run_checks(direct) == []
    finally:
        far.dispose()
        relay.close()
        direct.dispose()
        templates.server.admin(f"DROP DATABASE IF EXISTS {direct.url.database} WITH (FORCE)")


@pytest.fixture
def halting_server(tmp_path: Path) -> Iterator[tuple]:  # type: ignore[type-arg]
    """A server of this test's own, durable (a commit is on disk before it is confirmed), with a
    small village on it, that the test may stop at once and start again."""
    server = start_server(durable=True)
    server.admin("CREATE DATABASE town")
    db = Database(server.url("town"))
    try:
        migrate(db)
        v = make_village(db)
        give_points(db, v.head_id, 9000)
        make_goods(db, v.village_id, "大米", 5, stock=1800)
        yield server, db, v
    finally:
        db.dispose()
        server.stop()


def test_a_server_stopped_mid_load_gives_the_plain_message_and_loses_nothing(halting_server, qtbot,
                                                                             tmp_path: Path):
    server, db, v = halting_server
    confirmed: list[str] = []
    problems: list[DomainError] = []
    running = threading.Event()
    running.set()

    def load() -> None:  # another counter of the township, redeeming all the while
        other = Database(db.url)
        counter = CounterService(other, SYSTEM)
        attempt = 0
        while running.is_set():
            try:
                done = counter.redeem(v.head_id, {1: 1}, idempotency_key=f"load:{attempt}")
                confirmed.append(done.number)
                attempt += 1
                time.sleep(0.02)
            except DomainError as problem:  # the same key is retried: never twice
                problems.append(problem)
                time.sleep(0.2)
        other.dispose()

    loader = threading.Thread(target=load)
    loader.start()
    page = CounterPage(AppContext(db, Actor("王文书", Role.CLERK, village_id=v.village_id), tmp_path))
    qtbot.addWidget(page)
    page.show()
    try:
        for _ in range(3):
            _redeem_on_page(page)
            confirmed.append(_close_receipt(page))
        page.start_over()
        page._find("hlx")
        page.pick()
        page.add_goods(0)              # the clerk has the basket ready...
        qtbot.waitUntil(lambda: len(confirmed) >= 10, timeout=20000)
        server.halt()                  # ...when the township's server stops
        page.confirm()                 # Enter: a plain message on the page
        assert page.receipt is None
        assert any(text in page.message.text() for text in ("连不上服务器", "连接中断"))
        assert "Traceback" not in page.message.text()
        stopped = time.perf_counter()
        server.resume()
        page.confirm()                 # Enter again, once the server is back
        back_after = time.perf_counter() - stopped
        assert page.receipt is not None, page.message.text()
        confirmed.append(_close_receipt(page))
        qtbot.waitUntil(lambda: len(confirmed) >= 20, timeout=20000)
    finally:
        running.clear()
        loader.join(30)
    assert problems and all(isinstance(p, ServerProblem) for p in problems)
    stored = _redemptions(db)
    assert sorted(confirmed) == stored  # every confirmed one kept, none written twice
    assert len(set(stored)) == len(stored)
    assert run_checks(db) == []
    print(f"{len(stored)} redemptions, {len(problems)} plain refusals while stopped; "
          f"the counter's retry succeeded {back_after:.1f} s after the server was started again")


def test_a_database_problem_reaching_the_crash_hook_asks_to_retry(halting_server, qtbot,
                                                                   tmp_path: Path, monkeypatch):
    server, db, _v = halting_server
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    startup.install_crash_hook(logs.configure(tmp_path / "data"))
    context = AppContext(db, SYSTEM, tmp_path)
    startup.watch_problems(context)
    reloaded: list[str] = []
    context.changed.connect(reloaded.append)
    server.halt()
    seen: list[str] = []

    def answer(button_text: str) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, CrashDialog):
            seen.append("crash")
            box.reject()
            return
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, lambda: answer(button_text))
            return
        seen.append(box.text())
        if button_text == "重试" and len(seen) == 1:
            server.resume()  # the clerk phones the township; the server is back
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(20, lambda: answer("重试"))
    try:
        db.ping()
    except ServerProblem:
        sys.excepthook(*sys.exc_info())
    assert "crash" not in seen
    assert "连不上服务器" in seen[0]
    assert reloaded == list(TOPICS)
    REPORTER.check = REPORTER.reload = REPORTER.change_connection = None
