"""Bulk inserts for the demo generator: rows go to the driver as tuples (executemany on SQLite,
COPY on PostgreSQL). The ORM's and even Core's per-row parameter handling made a county of half a
million ledger lines take minutes; this keeps only the columns' own value conversions."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.orm import Session

_BEFORE_INSERT = re.compile(r"\bBEFORE\s+INSERT\b", re.IGNORECASE)


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
    converters = [(i, table.columns[name].type._cached_bind_processor(dialect))
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


@contextmanager
def insert_checks_suspended(session: Session, table: Table) -> Iterator[None]:
    """Drop the table's BEFORE INSERT triggers for the block and put them back, word for word,
    inside the same transaction (a failure rolls both back). Only for rows that cannot break
    what the triggers guard: on SQLite the ledger's closed-year trigger is a per-row lookup that
    made up a third of a county's generation. PostgreSQL's row triggers are cheap: left alone."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    triggers = [(name, sql) for name, sql in session.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :table"),
        {"table": table.name}) if _BEFORE_INSERT.search(sql)]
    for name, _sql in triggers:
        session.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    for _name, sql in triggers:
        session.execute(text(sql))
