"""Fixtures: a fresh database per test on SQLite and on PostgreSQL, the demo town, Qt offscreen."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The program's clock (models/core/clock.py): the suite runs on a fixed day, never on the calendar's.
# Set CUNZHI_TODAY to run it on another day (e.g. 2026-12-31, 2027-01-01).
os.environ.setdefault("CUNZHI_TODAY", "2026-12-01")

import ui  # noqa: F401  (before any Qt call: ui/__init__ keeps None alive under PySide6 6.12)
from models.core.access import SYSTEM
from models.core.db import Database
from models.core.schema import migrate
from models.demo.activity import generate
from tests.pgserver import PostgresServer, find_bindir

# Hypothesis: the same examples on every run (a failure in CI is the one seen here), and no
# time limit per example: a test asserts what the user would check, never how fast it ran
# (speed lives in tests/benchmarks; the default 200 ms deadline fails on a busy machine).
settings.register_profile("cunzhi", derandomize=True, deadline=None)
settings.load_profile("cunzhi")

ENGINES = ("sqlite", "postgresql")
DEMO_SCALES = {"demo": 1, "county": 2}  # template kinds made by the demo generator: towns each
_counter = itertools.count()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer | None]:
    bindir = find_bindir()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("CI 必须在 PostgreSQL 上运行测试，但没有找到 PostgreSQL 服务器程序 (initdb)。")
        yield None
        return
    server = PostgresServer(bindir).start()
    try:
        yield server
    finally:
        server.stop()


class Templates:
    """A migrated empty database and a demo-town database per engine, made once per session and
    copied for every test that asks."""

    def __init__(self, folder: Path, server: PostgresServer | None):
        self.folder, self.server = folder, server
        self.made: dict[tuple[str, str], str] = {}

    def template(self, engine: str, kind: str) -> str:
        key = (engine, kind)
        if key not in self.made:
            self.made[key] = self._make(engine, kind)
        return self.made[key]

    def _make(self, engine: str, kind: str) -> str:
        name = f"template_{kind}"
        if engine == "sqlite":
            target = str(self.folder / f"{name}.db")
        else:
            assert self.server is not None
            self.server.admin(f"CREATE DATABASE {name}")
            target = self.server.url(name)
        db = Database(target)
        migrate(db)
        if kind in DEMO_SCALES:
            generate(db, DEMO_SCALES[kind])
        db.dispose()
        return name if engine == "postgresql" else target

    def fresh(self, engine: str, kind: str, tmp: Path) -> Database:
        source = self.template(engine, kind)
        if engine == "sqlite":
            copy = tmp / "cunzhi.db"
            shutil.copyfile(source, copy)
            return Database(copy)
        assert self.server is not None
        name = f"test_{os.getpid()}_{next(_counter)}"
        self.server.admin(f"CREATE DATABASE {name} TEMPLATE {source}")
        return Database(self.server.url(name))


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory, postgres) -> Templates:  # type: ignore[no-untyped-def]
    return Templates(tmp_path_factory.mktemp("templates"), postgres)


def _database(request, templates: Templates, tmp_path: Path, kind: str) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    engine = request.param
    if engine == "postgresql" and templates.server is None:
        pytest.skip("未安装 PostgreSQL 服务器程序，跳过 PostgreSQL 上的测试（CI 中不会跳过）。")
    db = templates.fresh(engine, kind, tmp_path)
    try:
        yield db
    finally:
        db.dispose()
        if engine == "postgresql":
            templates.server.admin(f"DROP DATABASE IF EXISTS {db.url.database} WITH (FORCE)")


@pytest.fixture(params=ENGINES)
def db(request, templates: Templates, tmp_path: Path) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    """A fresh, migrated, empty database."""
    yield from _database(request, templates, tmp_path, "empty")


@pytest.fixture(params=ENGINES)
def demo_db(request, templates: Templates, tmp_path: Path) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    """A fresh copy of the demo town."""
    yield from _database(request, templates, tmp_path, "demo")


@pytest.fixture(params=ENGINES)
def county_db(request, templates: Templates, tmp_path: Path) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    """A fresh copy of two demo towns in one database (a county's township server)."""
    yield from _database(request, templates, tmp_path, "county")


@pytest.fixture
def system():  # type: ignore[no-untyped-def]
    return SYSTEM


@pytest.fixture(scope="session")
def qapp():  # type: ignore[no-untyped-def]
    """pytest-qt's application, set up as the program sets up its own (ui.style.apply: the font,
    the Fusion style and style sheet, Qt's Chinese): the widgets are tested as the user sees them
    (a button the style sheet makes the default, a focus the style moves, sizes at the real font)."""
    from PySide6.QtWidgets import QApplication

    from ui import style

    app = QApplication.instance() or QApplication(["cunzhi-tests"])
    style.apply(app)
    return app
