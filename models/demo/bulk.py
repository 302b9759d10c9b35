"""Bulk inserts for the demo generator: rows go to the driver as tuples (executemany on SQLite,
COPY on PostgreSQL). The ORM's and even Core's per-row parameter handling made a county of half a
million ledger lines take minutes; this keeps only the columns' own value conversions."""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert dicts that all have the same keys into `table`, inside the session's transaction.
    Columns left out get their Python-side default, evaluated once for the whole batch."""
    if not rows:
        return
    given = list(rows[0])
    defaults = {}
    for column in table.columns:
        default = column.default
        if column.name in rows[0] or default is None:
            continue
        if default.is_callable:
            defaults[column.name] = default.arg(None)
        elif default.is_scalar:
            defaults[column.name] = default.arg
    columns = given + list(defaults)
    connection = session.connection()
    dialect = connection.dialect
    converters = [(i, table.columns[name].type._cached_bind_processor(dialect))  # noqa: SLF001
                  for i, name in enumerate(columns)]
    converters = [(i, p) for i, p in converters if p is not None]
    extra = tuple(defaults.values())
    pick = itemgetter(*given) if len(given) > 1 else (lambda row: (row[given[0]],))

    def convert(row: dict[str, Any]) -> tuple:
        values = list(pick(row)) + list(extra) if extra else list(pick(row))
        for i, process in converters:
            if values[i] is not None:
                values[i] = process(values[i])
        return tuple(values)

    driver = connection.connection.driver_connection
    names = ", ".join(columns)
    cursor = driver.cursor()
    try:
        if dialect.name == "sqlite":
            marks = ", ".join("?" * len(columns))
            cursor.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})",
                               map(convert, rows))
        else:
            with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(convert(row))
    finally:
        cursor.close()
