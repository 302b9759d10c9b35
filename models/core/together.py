"""Statements sent together, to spend few network round trips on a township's line (30 ms each):
on PostgreSQL all of them in one round trip through psycopg's pipeline mode, on SQLite one after
another (the file is on this PC). They run in the caller's transaction, in order; a later
statement may find an earlier one's row by its natural key (a scalar subquery), since ids that
the server hands out are not known until the answers come back.

A failure is raised as SQLAlchemy's own error of the driver's error, so that the database layer
explains it (models/core/db_errors.py) like any other."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

if TYPE_CHECKING:
    import psycopg


@dataclass(frozen=True)
class Outcome:
    rows: list[dict[str, Any]]
    rowcount: int

    @property
    def first(self) -> dict[str, Any] | None:
        return self.rows[0] if self.rows else None


def together(session: Session, statements: Sequence[Executable]) -> list[Outcome]:
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return [_one(connection, statement) for statement in statements]
    import psycopg  # only a server's statements need the driver (a SQLite start does not)

    compiled = [_compiled(connection, statement) for statement in statements]
    driver = connection.connection.driver_connection
    cursors = [driver.cursor() for _ in compiled]
    try:
        with driver.pipeline():
            for cursor, (sql, params) in zip(cursors, compiled, strict=True):
                cursor.execute(sql, params)
        return [Outcome(_rows(cursor), cursor.rowcount) for cursor in cursors]
    except psycopg.Error as error:
        broken = driver.closed or isinstance(error, psycopg.OperationalError)
        if broken:
            connection.invalidate(error)
        raise DBAPIError.instance("（一组语句）", None, error, psycopg.Error,
                                  connection_invalidated=broken) from error
    finally:
        for cursor in cursors:
            cursor.close()


def _one(connection: Connection, statement: Executable) -> Outcome:
    result = connection.execute(statement)
    rows = [dict(row._mapping) for row in result] if result.returns_rows else []
    return Outcome(rows, result.rowcount)


def _compiled(connection: Connection, statement: Executable) -> tuple[str, dict[str, Any]]:
    compiled = statement.compile(dialect=connection.dialect,
                                 compile_kwargs={"render_postcompile": True})
    # The one conversion SQLAlchemy would make on the way for these tables: an enum stored as
    # its value (native_enum=False); psycopg adapts dates, times, decimals and bytes itself.
    params = {name: value.value if isinstance(value, enum.Enum) else value
              for name, value in compiled.construct_params().items()}
    return compiled.string, params


def _rows(cursor: psycopg.Cursor) -> list[dict[str, Any]]:
    if cursor.description is None:
        return []
    names = [column.name for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
