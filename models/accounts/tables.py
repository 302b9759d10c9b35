"""Accounts: who may sign in, with which role, for which village (or, for a 包村干部, which
assigned villages). Passwords are argon2 hashes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.core.access import Actor, Role
from models.core.base import Base, CreatedAt


class CadreVillage(Base, CreatedAt):
    """A village assigned to a 包村干部's account. An ended assignment keeps its row."""

    __tablename__ = "cadre_village"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    admin_village_id: Mapped[int] = mapped_column(ForeignKey("admin_village.id"), index=True)
    assigned_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    __table_args__ = (
        Index("uq_cadre_village_current", "account_id", "admin_village_id", unique=True,
              postgresql_where=text("ended_on IS NULL"), sqlite_where=text("ended_on IS NULL")),
    )


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
    assignments: Mapped[list[CadreVillage]] = relationship(
        primaryjoin="and_(CadreVillage.account_id == Account.id, CadreVillage.ended_on.is_(None))",
        viewonly=True, lazy="selectin", order_by="CadreVillage.admin_village_id")

    def actor(self) -> Actor:
        return Actor(name=self.display_name, role=Role(self.role), user_id=self.id,
                     village_id=self.village_id,
                     village_ids=frozenset(a.admin_village_id for a in self.assignments))
