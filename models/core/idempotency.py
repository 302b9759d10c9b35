"""Idempotency keys: a user action that may be retried (the reply lost after COMMIT, the clerk
presses Enter again) carries a key made before its first try, and the second try returns what
the first one did instead of writing twice.

Inside the operation's transaction, `claim` inserts the key first. A twin running at the same
time with the same key waits on the key's row (PostgreSQL) or on the write lock (SQLite) until
the first commits, and then finds the result the first one left with `settle`. A first try that
rolled back leaves no key, so the retry does the work."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, String, Text, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.core.base import Base, utcnow
from models.core.errors import ValidationError

KEY_LENGTH = 100


class OperationKey(Base):
    __tablename__ = "operation_key"
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), primary_key=True)
    operation: Mapped[str] = mapped_column(String(60))
    result: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Replayed:
    """What `claim` hands back when the key was used before: that try's result."""

    def __init__(self, result: Any):
        self.result = result


def claim(session: Session, key: str | None, operation: str) -> Replayed | None:
    """None: go ahead (this try owns the key, or there is no key). Replayed: the operation was
    already done under this key; return its result and write nothing."""
    if not key:
        return None
    if len(key) > KEY_LENGTH:
        raise ValidationError("操作编号太长。")
    maker = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    owned = session.execute(
        maker(OperationKey).values(key=key, operation=operation, result="", created_at=utcnow())
        .on_conflict_do_nothing().returning(OperationKey.key)).scalar_one_or_none()
    if owned is not None:
        return None
    done = session.scalar(select(OperationKey).where(OperationKey.key == key))
    if done.operation != operation:
        raise ValidationError("这个操作编号已用于另一种操作。")
    return Replayed(json.loads(done.result) if done.result else None)


def settle(session: Session, key: str | None, result: Any) -> None:
    """Leave the result for a retry to find (a plain JSON value: an id, a list of ids)."""
    if key:
        session.execute(update(OperationKey).where(OperationKey.key == key)
                        .values(result=json.dumps(result)))
