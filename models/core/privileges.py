"""Least privilege on a township's PostgreSQL server, and the change notifications every PC
listens to. Applied by the owner login (the one that runs migrations and the set-up) after every
upgrade, so that a table a later migration adds is covered without anyone remembering it.

Two logins per township database:
- the **owner** (the set-up's login): owns the tables, runs migrations; used by nobody else;
- the **everyday login** `<database>_app`, which every office PC holds: SELECT, INSERT, UPDATE
  and DELETE on ordinary tables, only SELECT and INSERT on append-only tables, USAGE on the
  sequences, nothing else. It owns nothing, so the server itself refuses it ALTER, DROP,
  TRUNCATE and DISABLE TRIGGER.

Which tables are append-only is read from the database itself: a table is append-only when a
BEFORE ROW trigger refuses UPDATE and DELETE on it (`models.core.append_only` makes them; the
ledger, stock movements, the audit log, published lists, stored files, and any ledger a later
area adds the same way). There is no second list to keep in step."""

from __future__ import annotations

from sqlalchemy import Connection, text

EVERYDAY_SUFFIX = "_app"
NOTIFY_CHANNEL = "cunzhi_changes"
NOTIFY_FUNCTION = "cunzhi_notify_change"
# Tables whose changes nobody needs to hear about: the audit row always accompanies a change of
# another table, and the schema version changes only with an upgrade.
NOT_NOTIFIED = frozenset({"audit_log", "alembic_version"})

# pg_trigger.tgtype bits: ROW 1, BEFORE 2, DELETE 8, UPDATE 16.
_APPEND_ONLY_TABLES = text("""
    SELECT DISTINCT c.relname FROM pg_trigger t
    JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND NOT t.tgisinternal
      AND (t.tgtype & 3) = 3 AND (t.tgtype & 24) = 24
    ORDER BY 1""")
_TABLES = text("""
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY 1""")


def everyday_role(database: str) -> str:
    return f"{database}{EVERYDAY_SUFFIX}"


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def append_only_tables(connection: Connection) -> list[str]:
    return list(connection.execute(_APPEND_ONLY_TABLES).scalars())


def tables(connection: Connection) -> list[str]:
    return list(connection.execute(_TABLES).scalars())


def role_exists(connection: Connection, role: str) -> bool:
    return connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                              {"r": role}).first() is not None


def grant_everyday(connection: Connection, role: str) -> None:
    """Give the everyday login exactly what the program needs, and take back anything more."""
    quoted, database = _quote(connection, role), _quote(
        connection, connection.execute(text("SELECT current_database()")).scalar_one())
    append_only = set(append_only_tables(connection))
    statements = [
        f"REVOKE ALL ON DATABASE {database} FROM PUBLIC",
        f"GRANT CONNECT ON DATABASE {database} TO {quoted}",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {quoted}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {quoted}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
    ]
    for table in tables(connection):
        if table == "alembic_version":
            rights = "SELECT"
        elif table in append_only:
            rights = "SELECT, INSERT"
        else:
            rights = "SELECT, INSERT, UPDATE, DELETE"
        statements.append(f"GRANT {rights} ON {_quote(connection, table)} TO {quoted}")
    for statement in statements:
        connection.execute(text(statement))


def install_notifications(connection: Connection) -> None:
    """A statement trigger on every table that tells listeners which table changed, and which
    process changed it (its application_name), when the writing transaction commits. PostgreSQL
    folds repeated notifications of one transaction into one, so a batch costs one message."""
    connection.execute(text(f"""
        CREATE OR REPLACE FUNCTION {NOTIFY_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{NOTIFY_CHANNEL}',
                              TG_TABLE_NAME || ' ' || current_setting('application_name'));
            RETURN NULL;
        END $$"""))
    for table in tables(connection):
        if table in NOT_NOTIFIED:
            continue
        quoted = _quote(connection, table)
        trigger = _quote(connection, f"{table}_notify")
        connection.execute(text(f"DROP TRIGGER IF EXISTS {trigger} ON {quoted}"))
        connection.execute(text(
            f"CREATE TRIGGER {trigger} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quoted} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {NOTIFY_FUNCTION}()"))


def refresh(connection: Connection) -> None:
    """After an upgrade, as the owner: notifications on every table, and the everyday login's
    rights re-derived (when the set-up has made that login)."""
    install_notifications(connection)
    database = connection.execute(text("SELECT current_database()")).scalar_one()
    role = everyday_role(database)
    if role_exists(connection, role):
        grant_everyday(connection, role)
