"""Accounts: who may sign in, with which role, for which village. Passwords are argon2 hashes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.core.access import Actor, Role
from models.core.base import Base, CreatedAt


class Account(Base, CreatedAt):
    __tablename__ = "account"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(20))
    village_id: Mapped[int | None] = mapped_column(
        ForeignKey("admin_village.id"), nullable=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    def actor(self) -> Actor:
        return Actor(name=self.display_name, role=Role(self.role), user_id=self.id,
                     village_id=self.village_id)
