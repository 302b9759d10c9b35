"""Every mutating service call as every role and village scope: a refused call writes nothing,
a permitted one succeeds and leaves an audit row.

One test per operation and engine tries all actors on one fresh demo copy: the refused ones
first (a refused call writes nothing, so the copy stays as it was), then the permitted ones. A
permitted call writes; the next permitted actor repeats it on the same copy, and only when
that copy no longer allows it (a name taken, a household gone) on a fresh one. Services
commit, so there is no rolling back between actors."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models.areas import metadata
from models.core.db import Database
from models.core.errors import DomainError, PermissionDenied
from tests.conftest import ENGINES
from tests.operations import ACTORS, OPERATIONS, Operation, fixture_data


def row_counts(db: Database) -> dict[str, int]:
    with db.read() as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) for t in metadata.sorted_tables}


def committed_bytes(db: Database) -> str:
    """On SQLite, a digest of the database file and its write-ahead log: a transaction that
    changed any row (not only one that added or removed rows) and committed changes them; a
    rolled-back one does not. PostgreSQL relies on the row counts."""
    if db.path is None:
        return ""
    digest = hashlib.sha256()
    for path in (db.path, db.path.with_name(db.path.name + "-wal")):
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


def files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.fixture(params=ENGINES)
def demo_copies(request, templates, tmp_path: Path) -> Iterator[Callable[[], Database]]:  # type: ignore[no-untyped-def]
    """Makes fresh copies of the demo town on the engine, each in its own folder."""
    engine = request.param
    if engine == "postgresql" and templates.server is None:
        pytest.skip("未安装 PostgreSQL 服务器程序，跳过 PostgreSQL 上的测试（CI 中不会跳过）。")
    made: list[Database] = []

    def fresh() -> Database:
        folder = tmp_path / f"copy{len(made)}"
        folder.mkdir()
        made.append(templates.fresh(engine, "demo", folder))
        return made[-1]

    yield fresh
    for db in made:
        db.dispose()
        if engine == "postgresql":
            templates.server.admin(f"DROP DATABASE IF EXISTS {db.url.database} WITH (FORCE)")


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name)
def test_each_operation_is_refused_or_done_by_role_and_village(demo_copies, operation: Operation,
                                                               tmp_path: Path):
    db = demo_copies()
    if operation.sqlite_only and db.path is None:
        pytest.skip("只在 SQLite 上进行（PostgreSQL 由服务器管理员恢复）。")
    work = tmp_path / "work"
    work.mkdir()
    fx = fixture_data(db) | {"folder": work}
    actors = {who: make(fx) for who, make in ACTORS.items()}
    village = operation.village(fx)
    allowed = [who for who, actor in actors.items() if actor.may(operation.permission, village)]
    refused = [who for who in actors if who not in allowed]
    assert "township_admin" in allowed
    prepared = fx | (operation.prepare(db, fx) if operation.prepare else {})
    for who in refused:
        before, files_before, stored = row_counts(db), files(work), committed_bytes(db)
        with pytest.raises(PermissionDenied):
            operation.call(db, actors[who], prepared)
        assert row_counts(db) == before, f"{who}: a refused call wrote rows"
        assert committed_bytes(db) == stored, f"{who}: a refused call changed the database"
        assert files(work) == files_before, f"{who}: a refused call wrote a file"
    clean = True
    for who in allowed:
        if not (clean or _done_and_audited(db, operation, actors[who], prepared)):
            # The copy was changed by the previous actor's call (a name now taken, a household
            # gone): try again on the demo town as it was.
            db = demo_copies()
            prepared = fx | (operation.prepare(db, fx) if operation.prepare else {})
            clean = True
        if clean:
            assert _done_and_audited(db, operation, actors[who], prepared, strict=True), who
            clean = False


def _done_and_audited(db: Database, operation: Operation, actor, fx: dict,  # type: ignore[no-untyped-def]
                      strict: bool = False) -> bool:
    """Whether the permitted call succeeded and left an audit row; on the demo town as it
    was (`strict`) any refusal fails the test."""
    before = row_counts(db)[operation.audit_table]
    try:
        operation.call(db, actor, fx)
    except PermissionDenied as refusal:
        pytest.fail(f"{actor.name} may {operation.permission} but was refused: {refusal}")
    except DomainError:
        if strict:
            raise
        return False
    return row_counts(db)[operation.audit_table] > before

def test_every_role_is_refused_something_and_allowed_something():
    """Guards the table itself: the test above would pass vacuously if nobody were refused."""
    from models.core.access import ROLE_PERMISSIONS, Permission, Role

    assert ROLE_PERMISSIONS[Role.INSPECTOR] == {Permission.VIEW, Permission.PRINT,
                                               Permission.VIEW_AUDIT}
    assert ROLE_PERMISSIONS[Role.CLERK] == {Permission.VIEW, Permission.COUNTER, Permission.PRINT,
                                            Permission.REGISTER_PROBLEMS,
                                            Permission.RECTIFY_PROBLEMS, Permission.PLEDGE_RETURNS,
                                            Permission.EDIT_WORKLOG}
    for role in (Role.CADRE, Role.PATROL):  # the township's problem roles
        assert Permission.EDIT_ORGANISATION not in ROLE_PERMISSIONS[role]
        assert Permission.EDIT_POINTS not in ROLE_PERMISSIONS[role]
    assert Permission.SUPERVISE_PROBLEMS not in ROLE_PERMISSIONS[Role.SECRETARY]


def mutating_methods() -> set[str]:
    """Every public method of a Service under models/ whose source opens `self.operation(`:
    the calls that change data, as "module.method" (an area's `service` module goes by its
    area's name, the settings service by "settings")."""
    import importlib
    import inspect
    import pkgutil

    import models
    from models.core.service import Service

    found = set()
    for info in pkgutil.walk_packages(models.__path__, "models."):
        if info.ispkg or info.name.startswith("models.migrations"):
            continue
        module = importlib.import_module(info.name)
        parent, leaf = info.name.rsplit(".", 1)
        short = parent.rsplit(".", 1)[1] if leaf == "service" else leaf.removesuffix("_service")
        for cls in vars(module).values():
            if not (inspect.isclass(cls) and issubclass(cls, Service)
                    and cls.__module__ == module.__name__):
                continue
            for name, method in vars(cls).items():
                if not name.startswith("_") and inspect.isfunction(method) \
                        and "self.operation(" in inspect.getsource(method):
                    found.add(f"{short}.{name}")
    return found


def test_every_mutating_service_method_is_in_the_registry():
    """A new operation without a registry entry would escape the permission test above."""
    registered = {op.name.split("(")[0] for op in OPERATIONS}
    methods = mutating_methods()
    assert len(methods) > 30  # the introspection itself works
    # The registry names a call by its module's short name ("printing.record_printed").
    missing = {m for m in methods if m not in registered}
    assert not missing, f"add these to tests/operations.py OPERATIONS: {sorted(missing)}"
