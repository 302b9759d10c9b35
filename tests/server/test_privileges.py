"""Least privilege: the everyday login every office PC holds may run the whole program, but the
server itself refuses it ALTER, DROP, DISABLE TRIGGER, TRUNCATE, and any UPDATE or DELETE of an
append-only table (the ledger, stock movements, the audit log, published lists, stored files)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from models.check import run_checks
from models.core import privileges
from models.core.access import SYSTEM
from models.core.db import Database
from models.core.errors import DomainError, ServerProblem
from tests.operations import OPERATIONS, fixture_data
from tests.server.helpers import with_everyday_login

EXPECTED_APPEND_ONLY = {"ledger_entry", "stock_movement", "audit_log", "ranking_list",
                        "ranking_entry", "stored_file"}


@pytest.fixture
def logins(templates, tmp_path: Path) -> Iterator[tuple[Database, Database]]:  # type: ignore[no-untyped-def]
    """(owner, everyday) views of one fresh copy of the demo town on PostgreSQL."""
    if templates.server is None:
        pytest.skip("未安装 PostgreSQL 服务器程序，跳过 PostgreSQL 上的测试（CI 中不会跳过）。")
    owner = templates.fresh("postgresql", "demo", tmp_path)
    everyday = with_everyday_login(owner)
    try:
        yield owner, everyday
    finally:
        everyday.dispose()
        owner.dispose()
        templates.server.admin(f"DROP DATABASE IF EXISTS {owner.url.database} WITH (FORCE)")
        templates.server.admin(f"DROP ROLE IF EXISTS {everyday.url.username}")


def _refused(db: Database, statement: str) -> str:
    with pytest.raises((DBAPIError, DomainError)) as refusal:
        with db.write() as s:
            s.execute(text(statement))
    error = refusal.value
    cause = error.__cause__ if isinstance(error, DomainError) else error
    return getattr(getattr(cause, "orig", None), "sqlstate", "")


ATTACKS = [
    "ALTER TABLE ledger_entry DISABLE TRIGGER ledger_entry_append_only",
    "ALTER TABLE ledger_entry DISABLE TRIGGER ALL",
    "DROP TRIGGER ledger_entry_append_only ON ledger_entry",
    "ALTER TABLE ledger_entry ADD COLUMN extra integer",
    "DROP TABLE ledger_entry",
    "DROP TABLE account CASCADE",
    "TRUNCATE ledger_entry CASCADE",
    "UPDATE ledger_entry SET note = '改过' WHERE id = (SELECT min(id) FROM ledger_entry)",
    "DELETE FROM ledger_entry WHERE id = (SELECT max(id) FROM ledger_entry)",
    "UPDATE audit_log SET user_name = '别人'",
    "UPDATE stock_movement SET quantity = 0",
    "DELETE FROM stored_file",
    "DELETE FROM audit_log",
    "UPDATE ranking_entry SET unit_name = '改过'",
    "DELETE FROM ranking_list",
    "CREATE TABLE mine (id integer)",
    "CREATE FUNCTION mine() RETURNS integer LANGUAGE sql AS 'SELECT 1'",
    "ALTER ROLE CURRENT_USER SUPERUSER",
]


def test_the_server_refuses_the_everyday_login_what_only_the_owner_may(logins):
    owner, everyday = logins
    for statement in ATTACKS:
        assert _refused(everyday, statement) == "42501", statement  # insufficient_privilege
    with everyday.read() as s:
        assert s.execute(text("SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles "
                              "WHERE rolname = current_user")).scalar_one() is False
        owned = s.execute(text("SELECT count(*) FROM pg_class c JOIN pg_roles r "
                               "ON r.oid = c.relowner WHERE r.rolname = current_user")).scalar_one()
    assert owned == 0
    assert run_checks(owner) == []


def test_append_only_tables_are_read_from_the_triggers_themselves(logins):
    owner, everyday = logins
    with owner.read() as s:
        found = set(privileges.append_only_tables(s.connection()))
        rights = dict(s.execute(text(
            "SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type) "
            "FROM information_schema.role_table_grants WHERE grantee = :role GROUP BY 1"),
            {"role": everyday.url.username}).all())
    assert EXPECTED_APPEND_ONLY <= found
    for table in found:
        assert rights[table] == "INSERT,SELECT", table
    assert rights["household"] == "DELETE,INSERT,SELECT,UPDATE"
    assert rights["alembic_version"] == "SELECT"
    assert "TRUNCATE" not in ",".join(rights.values())


def test_a_new_ledger_made_by_a_later_migration_is_append_only_for_the_everyday_login(logins):
    """What the next area's migration does (models.core.append_only), then the owner's refresh
    after the upgrade: the new table needs no list of its own to be protected."""
    owner, everyday = logins
    with owner.engine.begin() as connection:
        connection.execute(text("CREATE TABLE later_ledger (id serial PRIMARY KEY, note text)"))
        connection.execute(text(
            "CREATE FUNCTION later_ledger_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION '只能追加'; END $$"))
        connection.execute(text(
            "CREATE TRIGGER later_ledger_no_change BEFORE UPDATE OR DELETE ON later_ledger "
            "FOR EACH ROW EXECUTE FUNCTION later_ledger_refuse()"))
        privileges.refresh(connection)
    with everyday.write() as s:
        s.execute(text("INSERT INTO later_ledger (note) VALUES ('登记')"))
    assert _refused(everyday, "UPDATE later_ledger SET note = '改'") == "42501"
    assert _refused(everyday, "DELETE FROM later_ledger") == "42501"


def test_every_operation_of_the_program_runs_with_the_everyday_login(logins, tmp_path: Path):
    """No operation needs more than the everyday login has: a missing right would be refused
    by the server (ServerProblem), anything else is the operation's own business."""
    _owner, everyday = logins
    work = tmp_path / "work"
    work.mkdir()
    fx = fixture_data(everyday) | {"folder": work}
    ran, refused = 0, []
    # The year close last, as in the office: in January it closes the year the others write into.
    for operation in sorted(OPERATIONS, key=lambda operation: operation.name == "points.close_year"):
        if operation.sqlite_only:
            continue
        try:
            if operation.prepare is not None:
                fx |= operation.prepare(everyday, fx)
            operation.call(everyday, SYSTEM, fx)
        except ServerProblem as problem:
            pytest.fail(f"{operation.name}: {problem}")
        except DomainError as error:  # e.g. a name an earlier operation already took here
            refused.append(f"{operation.name}: {error}")
        ran += 1
    assert ran >= 30 and len(refused) <= ran // 4, refused
    assert run_checks(everyday) == []
