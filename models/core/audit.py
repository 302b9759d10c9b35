"""Append-only audit trail: who changed what, when, with the values before and after."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.core.access import Actor
from models.core.base import Base, utcnow
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
    session.add(AuditLog(**row(actor, action, entity, entity_id, village_id=village_id,
                               before=before, after=after)))


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
    """The column values `record` writes (for bulk writers such as the demo generator)."""
    return dict(user_id=actor.user_id, user_name=actor.name, role=actor.role.value, action=action,
                entity=entity, entity_id=entity_id, village_id=village_id,
                before=_scrub(before), after=_scrub(after))
