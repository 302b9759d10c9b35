"""The rectification ledger 整改台账: problems found in the villages, each with its append-only,
hash-chained history of events (登记 → 交办 → 整改 → 复核 → 销号, 拒不整改 → 街道督办, reopening).

`problem` holds what was registered and the state the events lead to, kept in step by the
workflow under a row lock; `problem_event`, `problem_photo` and `problem_points` are append-only
(the database refuses UPDATE and DELETE, triggers in the migration). `check` replays every
problem's events, re-walks the chain and compares the result with the `problem` row."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.core.base import Base, CreatedAt, stored_enum
from models.points.tables import GENESIS


class Status(enum.StrEnum):
    REGISTERED = "registered"
    ASSIGNED = "assigned"
    RECTIFIED = "rectified"
    VERIFIED = "verified"
    ESCALATED = "escalated"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.REGISTERED: "待交办", Status.ASSIGNED: "整改中", Status.RECTIFIED: "待复核",
    Status.VERIFIED: "待销号", Status.ESCALATED: "街道督办", Status.CLOSED: "已销号",
}


class EventKind(enum.StrEnum):
    REGISTER = "register"
    ASSIGN = "assign"
    RECTIFY = "rectify"
    PASS = "pass"
    SEND_BACK = "send_back"
    ESCALATE = "escalate"
    RETURN = "return"
    CLOSE = "close"
    REOPEN = "reopen"

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


EVENT_LABELS = {
    EventKind.REGISTER: "登记", EventKind.ASSIGN: "交办", EventKind.RECTIFY: "整改",
    EventKind.PASS: "复核通过", EventKind.SEND_BACK: "复核退回",
    EventKind.ESCALATE: "拒不整改，报街道督办", EventKind.RETURN: "督办退回村里",
    EventKind.CLOSE: "销号", EventKind.REOPEN: "重新打开",
}


class Responsible(enum.StrEnum):
    HOUSEHOLD = "household"
    HEAD = "head"
    VILLAGE = "village"

    @property
    def label(self) -> str:
        return {"household": "农户", "head": "片区长/胡同长", "village": "村集体"}[self.value]


class Outcome(enum.StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return {"on_time": "按期整改", "late": "逾期整改", "refused": "拒不整改，经督办整改"}[self.value]


class Stage(enum.StrEnum):
    BEFORE = "before"
    AFTER = "after"


class ProblemCategory(Base, CreatedAt):
    """问题类别: an editable catalogue; `default_days` proposes the deadline."""

    __tablename__ = "problem_category"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30), unique=True)
    default_days: Mapped[int] = mapped_column(Integer)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ProblemSource(Base, CreatedAt):
    """问题来源: 街道巡查, 随手拍 …; `default_days`, when set and shorter, overrides the
    category's (a notice from above is fixed faster)."""

    __tablename__ = "problem_source"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30), unique=True)
    default_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Problem(Base, CreatedAt):
    """One problem of the ledger. The place and facts are those of its 登记 event; the state
    (status, responsible party, deadline, dates, outcome) is what its events lead to."""

    __tablename__ = "problem"
    id: Mapped[int] = mapped_column(primary_key=True)
    admin_village_id: Mapped[int] = mapped_column(ForeignKey("admin_village.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    natural_village_id: Mapped[int | None] = mapped_column(ForeignKey("natural_village.id"),
                                                           nullable=True)
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zone.id"), nullable=True)
    alley_id: Mapped[int | None] = mapped_column(ForeignKey("alley.id"), nullable=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), nullable=True,
                                                     index=True)
    place: Mapped[str] = mapped_column(String(120), default="")
    found_on: Mapped[date] = mapped_column(Date, index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("problem_source.id"))
    category_id: Mapped[int] = mapped_column(ForeignKey("problem_category.id"))
    description: Mapped[str] = mapped_column(Text)
    reporter: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[Status] = mapped_column(stored_enum(Status, 12), index=True)
    responsible: Mapped[Responsible | None] = mapped_column(stored_enum(Responsible, 12), nullable=True)
    responsible_household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"),
                                                                 nullable=True)
    responsible_head_id: Mapped[int | None] = mapped_column(ForeignKey("head.id"), nullable=True,
                                                            index=True)
    responsible_name: Mapped[str] = mapped_column(String(60), default="")
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    rectified_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    rectified_by: Mapped[str] = mapped_column(String(60), default="")
    rectified_by_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    round: Mapped[int] = mapped_column(Integer, default=1)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    outcome: Mapped[Outcome | None] = mapped_column(stored_enum(Outcome, 12), nullable=True)
    last_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS)

    __table_args__ = (UniqueConstraint("admin_village_id", "year", "serial"),)

    @property
    def number(self) -> str:
        return problem_number(self.year, self.serial)


def problem_number(year: int, serial: int) -> str:
    """整改编号 as offices write it: ZG2026-017 (per village and year)."""
    return f"ZG{year}-{serial:03d}"


class ProblemEvent(Base):
    """One step in a problem's life. `details` is canonical JSON of what the step set (the
    registered facts, the responsible party and deadline, the outcome …); `photos` lists the
    SHA-256 of the photos attached with it, so that they are covered by the chain too."""

    __tablename__ = "problem_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem.id"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[EventKind] = mapped_column(stored_enum(EventKind, 12))
    occurred_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    operator_name: Mapped[str] = mapped_column(String(60))
    operator_role: Mapped[str] = mapped_column(String(20))
    operator_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[str] = mapped_column(Text, default="{}")
    photos: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("problem_id", "seq"),)


HASHED_FIELDS = ("problem_id", "seq", "kind", "occurred_on", "recorded_at", "operator_name",
                 "operator_role", "operator_user_id", "note", "details", "photos")


class ProblemPhoto(Base, CreatedAt):
    """A photo (core `stored_file`) attached by one event: before (登记) or after (整改)."""

    __tablename__ = "problem_photo"
    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("problem_event.id"), index=True)
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"))
    stage: Mapped[Stage] = mapped_column(stored_enum(Stage, 8))
    position: Mapped[int] = mapped_column(Integer, default=0)


class ProblemPoints(Base, CreatedAt):
    """The points a closing posted: at most one entry per problem and outcome, whoever closes
    it and however often it is reopened and closed again."""

    __tablename__ = "problem_points"
    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem.id"))
    outcome: Mapped[Outcome] = mapped_column(stored_enum(Outcome, 12))
    ledger_entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entry.id"), unique=True)
    head_id: Mapped[int] = mapped_column(ForeignKey("head.id"), index=True)

    __table_args__ = (UniqueConstraint("problem_id", "outcome"),)
