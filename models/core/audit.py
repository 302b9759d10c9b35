"""Append-only audit trail: who changed what, when, with the values before and after.

The trail is hash-chained per village (`chain_key`: the village's id, 0 for the township's rows),
so a row removed, changed or put out of order is found by `check`, and a chain re-computed from a
changed row on is found against the codes a backup writes down (models.core.anchors). The rows of
an operation are chained when its transaction commits: the chain head's lock is then the last one
a transaction takes and is held only to its commit."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.core.access import Actor
from models.core.base import Base, utcnow
from models.core.chain import GENESIS, Chained, append
from models.core.masking import mask_id_number, mask_id_numbers  # noqa: F401  (re-exported)


class AuditLog(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    user_name: Mapped[str] = mapped_column(String(60))
    role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(60), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    village_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")
    chain_key: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    chain_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    prev_hash: Mapped[str] = mapped_column(String(64), default=GENESIS, server_default="")
    hash: Mapped[str] = mapped_column(String(64), default="", server_default="")

    __table_args__ = (UniqueConstraint("chain_key", "chain_seq"),)


# One chain per village (0: the township's own rows); the hash covers every stored field.
CHAINED = Chained("audit", "chain_key", (
    "chain_key", "chain_seq", "at", "user_id", "user_name", "role", "action", "entity",
    "entity_id", "village_id", "before", "after"))
_PENDING = "cunzhi_audit_rows"


_SECRET_KEYS = ("password", "passphrase", "secret", "密码")


def _without_secrets(value: Any) -> Any:
    """Drop every key that names a secret, at any depth (nested dicts and lists too)."""
    if isinstance(value, dict):
        return {k: _without_secrets(v) for k, v in value.items()
                if not any(word in str(k).lower() for word in _SECRET_KEYS)}
    if isinstance(value, (list, tuple)):
        return [_without_secrets(v) for v in value]
    return value


def _scrub(values: dict[str, Any] | None) -> str:
    if not values:
        return ""
    dumped = json.dumps(_without_secrets(values), ensure_ascii=False, default=str, sort_keys=True)
    return mask_id_numbers(dumped)


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    village_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add one audit row to the caller's transaction, so it commits or rolls back with it."""
    add_rows(session, [row(actor, action, entity, entity_id, village_id=village_id,
                           before=before, after=after)])


def add_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    """Rows made by `row`, written (chained) when the caller's transaction commits."""
    session.info.setdefault(_PENDING, []).extend(rows)


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    rows = session.info.pop(_PENDING, None)
    if rows:
        append(session, CHAINED, rows, AuditLog.__table__)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


def row(
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    village_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The column values `record` writes (for bulk writers such as the demo generator, which
    hand them to `add_rows`)."""
    return dict(at=utcnow(), user_id=actor.user_id, user_name=actor.name, role=actor.role.value,
                action=action, entity=entity, entity_id=entity_id, village_id=village_id,
                before=_scrub(before), after=_scrub(after), chain_key=village_id or 0)
