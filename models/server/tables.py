"""What the township server remembers of villages that moved up from their own SQLite file: for
every row that came, where it came from. Later packages from the same village (an offline
month) find their passbooks, heads and goods through it; the audit of the move names the rest."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.core.base import Base, utcnow


class MovedRow(Base):
    __tablename__ = "moved_row"
    id: Mapped[int] = mapped_column(primary_key=True)
    # The village it came from, by name: “示范镇/韩家村” (one village moves up once).
    source: Mapped[str] = mapped_column(String(130), index=True)
    table_name: Mapped[str] = mapped_column(String(60))
    source_id: Mapped[int] = mapped_column(Integer)
    target_id: Mapped[int] = mapped_column(Integer)
    moved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (UniqueConstraint("source", "table_name", "source_id"),)
