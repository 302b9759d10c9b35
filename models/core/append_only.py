"""SQL that makes a table append-only in the database itself: UPDATE and DELETE (on PostgreSQL
also TRUNCATE) are refused with a Chinese message, whoever sends them. Used by migrations."""

from __future__ import annotations


def create_triggers(table: str, refusal: str, dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{refusal}'); END" for verb in ("UPDATE", "DELETE")]
    return [
        f"CREATE FUNCTION {table}_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{refusal}'; END $$",
        f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_refuse_change()",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_refuse_change()",
    ]


def drop_triggers(table: str, dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"DROP TRIGGER {table}_no_{verb}" for verb in ("update", "delete")]
    return [f"DROP TRIGGER {table}_no_change ON {table}",
            f"DROP TRIGGER {table}_no_truncate ON {table}",
            f"DROP FUNCTION {table}_refuse_change()"]


def create_frozen_triggers(table: str, columns: tuple[str, ...], refusal: str,
                           dialect: str) -> list[str]:
    """For a table whose rows are kept but partly updated (a passbook's running figures): DELETE
    (and TRUNCATE) is refused, and so is any change of the identifying `columns`."""
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
    if dialect == "sqlite":
        return [f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{refusal}'); END",
                f"CREATE TRIGGER {table}_frozen BEFORE UPDATE ON {table} WHEN {changed} "
                f"BEGIN SELECT RAISE(ABORT, '{refusal}'); END"]
    distinct = changed.replace("IS NOT", "IS DISTINCT FROM")
    return [
        f"CREATE FUNCTION {table}_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{refusal}'; END $$",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_refuse_change()",
        f"CREATE TRIGGER {table}_frozen BEFORE UPDATE ON {table} FOR EACH ROW "
        f"WHEN ({distinct}) EXECUTE FUNCTION {table}_refuse_change()",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_refuse_change()",
    ]


def drop_frozen_triggers(table: str, dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"DROP TRIGGER {table}_no_delete", f"DROP TRIGGER {table}_frozen"]
    return [f"DROP TRIGGER {table}_no_delete ON {table}", f"DROP TRIGGER {table}_frozen ON {table}",
            f"DROP TRIGGER {table}_no_truncate ON {table}", f"DROP FUNCTION {table}_refuse_change()"]
