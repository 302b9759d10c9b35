"""The 三个一 log of the alley heads and the matters they handle as the seven officers.

Sized for a county (7,700 alley heads, 2.8 million patrol-days a year): a head's patrols of a
month are ONE row with a 31-bit day mask, and every change to it is one small append-only journal
row (who, when, which days set or cleared), so the log's history stays whole at a few bytes a
tick. Weekly summaries, visited households, findings and matters are rows. Month-end settlements
and their lines are append-only: a correction is a new revision of a line, posted as a reversal
and a new ledger entry."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.core.base import Base, stored_enum, utcnow


class EpochSeconds(TypeDecorator):
    """A UTC time stored as whole seconds since 1970: 4–5 bytes in SQLite where a DateTime is
    26 characters; the journal holds a row per tick."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> int | None:  # type: ignore[no-untyped-def]
        if value is None:
            return None
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return int(aware.timestamp())

    def process_result_value(self, value: int | None, dialect) -> datetime | None:  # type: ignore[no-untyped-def]
        return None if value is None else datetime.fromtimestamp(value, UTC)


class PatrolMonth(Base):
    """A head's patrols of one month: bit d − 1 of `days` set when he patrolled on day d;
    `changes` counts the journal rows that made it so."""

    __tablename__ = "worklog_patrol"
    id: Mapped[int] = mapped_column(primary_key=True)
    head_id: Mapped[int] = mapped_column(ForeignKey("head.id"))
    month: Mapped[int] = mapped_column(Integer)  # year × 100 + month
    days: Mapped[int] = mapped_column(Integer, default=0)
    changes: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("head_id", "month"),)


class PatrolSource(enum.StrEnum):
    GRID = "grid"
    IMPORT = "import"
    DEMO = "demo"


class PatrolChange(Base):
    """The `seq`-th change to a PatrolMonth (append-only): the days it set and cleared, who and
    when. Replaying a month's changes in order gives its `days`; `check` does exactly that.
    Keyed by (patrol, seq) and stored in that order (on SQLite WITHOUT ROWID): a month's
    history is one range of the table, and no second index is kept for a row per tick."""

    __tablename__ = "worklog_patrol_change"
    patrol_id: Mapped[int] = mapped_column(ForeignKey("worklog_patrol.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    set_days: Mapped[int] = mapped_column(Integer, default=0)
    cleared_days: Mapped[int] = mapped_column(Integer, default=0)
    recorded_at: Mapped[datetime] = mapped_column(EpochSeconds, default=utcnow)
    user_name: Mapped[str] = mapped_column(String(60))
    source: Mapped[PatrolSource] = mapped_column(stored_enum(PatrolSource, 8))

    __table_args__ = ({"sqlite_with_rowid": False},)


class Finding(Base):
    """A problem a head found on a day's patrol. `raised_as` names the rectification problem
    it became, once the problems ledger exists."""

    __tablename__ = "worklog_finding"
    id: Mapped[int] = mapped_column(primary_key=True)
    head_id: Mapped[int] = mapped_column(ForeignKey("head.id"))
    day: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(String(300))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_name: Mapped[str] = mapped_column(String(60))
    raised_as: Mapped[str] = mapped_column(String(60), default="")

    __table_args__ = (Index("ix_worklog_finding_head_day", "head_id", "day"),)


class WeeklySummary(Base):
    """汇总: a head's summary of one week (Monday to Sunday)."""

    __tablename__ = "worklog_summary"
    id: Mapped[int] = mapped_column(primary_key=True)
    head_id: Mapped[int] = mapped_column(ForeignKey("head.id"))
    week_start: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(String(300), default="")
    found: Mapped[int] = mapped_column(SmallInteger, default=0)
    fixed: Mapped[int] = mapped_column(SmallInteger, default=0)
    recorded_at: Mapped[datetime] = mapped_column(EpochSeconds, default=utcnow)
    user_name: Mapped[str] = mapped_column(String(60))

    __table_args__ = (UniqueConstraint("head_id", "week_start"),)


class Visit(Base):
    """走访: a household of the head's alley visited in a month, with the opinion collected.
    Who recorded the month's visits, when, and what they were before is in the audit log (one
    row per save of the household list)."""

    __tablename__ = "worklog_visit"
    id: Mapped[int] = mapped_column(primary_key=True)
    head_id: Mapped[int] = mapped_column(ForeignKey("head.id"))
    month: Mapped[int] = mapped_column(Integer)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    visited_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    opinion: Mapped[str] = mapped_column(String(300), default="")

    __table_args__ = (UniqueConstraint("head_id", "month", "household_id"),)


class OfficerRole(enum.StrEnum):
    """七个管理员."""

    INFORMATION = "information"
    POLICY = "policy"
    DISPUTE = "dispute"
    SANITATION = "sanitation"
    CUSTOMS = "customs"
    SAFETY = "safety"
    KEY_WORK = "key_work"

    @property
    def label(self) -> str:
        return OFFICER_LABELS[self]

    @property
    def has_status(self) -> bool:
        """Disputes and hazards are followed until closed; the rest are simply recorded."""
        return self in (OfficerRole.DISPUTE, OfficerRole.SAFETY)


OFFICER_LABELS = {
    OfficerRole.INFORMATION: "社情民意信息员", OfficerRole.POLICY: "政策法规宣传员",
    OfficerRole.DISPUTE: "矛盾纠纷调解员", OfficerRole.SANITATION: "环境卫生督导员",
    OfficerRole.CUSTOMS: "移风易俗倡导员", OfficerRole.SAFETY: "安全防护监督员",
    OfficerRole.KEY_WORK: "重点工作协理员",
}


class MatterStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    DONE = "done"
    REPORTED = "reported"

    @property
    def label(self) -> str:
        return {"in_progress": "处理中", "done": "已办结", "reported": "已上报"}[self.value]


class Matter(Base):
    """A matter a head handled as one of the seven officers (an opinion, a dispute, a hazard…),
    recorded on its own or during a visit (`household_id`)."""

    __tablename__ = "worklog_matter"
    id: Mapped[int] = mapped_column(primary_key=True)
    admin_village_id: Mapped[int] = mapped_column(ForeignKey("admin_village.id"))
    head_id: Mapped[int] = mapped_column(ForeignKey("head.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), nullable=True)
    occurred_on: Mapped[date] = mapped_column(Date)
    role: Mapped[OfficerRole] = mapped_column(stored_enum(OfficerRole, 20))
    text: Mapped[str] = mapped_column(String(300))
    status: Mapped[MatterStatus | None] = mapped_column(stored_enum(MatterStatus, 20), nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_name: Mapped[str] = mapped_column(String(60))

    __table_args__ = (Index("ix_worklog_matter_village_day", "admin_village_id", "occurred_on"),)


class Settlement(Base):
    """One confirmed month-end settlement of a village (append-only)."""

    __tablename__ = "worklog_settlement"
    id: Mapped[int] = mapped_column(primary_key=True)
    admin_village_id: Mapped[int] = mapped_column(ForeignKey("admin_village.id"))
    month: Mapped[int] = mapped_column(Integer)
    confirmed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    user_name: Mapped[str] = mapped_column(String(60))

    __table_args__ = (Index("ix_worklog_settlement_village_month", "admin_village_id", "month"),)


class SettlementLine(Base):
    """What a settlement posted for one head, month and rule (append-only). `times` occurrences
    of the rule on the days of `days`; `entry_id` the ledger entry (none when times is 0);
    `reversal_id` the reversal of the previous revision's entry. The newest revision is the one
    in force; the UNIQUE constraint lets each revision be posted once."""

    __tablename__ = "worklog_settlement_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("worklog_settlement.id"))
    head_id: Mapped[int] = mapped_column(ForeignKey("head.id"))
    month: Mapped[int] = mapped_column(Integer)
    rule_id: Mapped[int] = mapped_column(ForeignKey("points_rule.id"))
    revision: Mapped[int] = mapped_column(Integer)
    times: Mapped[int] = mapped_column(Integer)
    days: Mapped[int] = mapped_column(Integer)
    requested: Mapped[int] = mapped_column(Integer)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entry.id"), nullable=True,
                                                 unique=True)
    reversal_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entry.id"), nullable=True)

    # Reached by head (the unique key) or by ledger entry; a reversal is unique in the ledger.
    __table_args__ = (UniqueConstraint("head_id", "month", "rule_id", "revision"),)


class SettlementExclusion(Base):
    """A head the secretary left out of a settlement, and why (append-only)."""

    __tablename__ = "worklog_settlement_exclusion"
    id: Mapped[int] = mapped_column(primary_key=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("worklog_settlement.id"), index=True)
    head_id: Mapped[int] = mapped_column(ForeignKey("head.id"))
    reason: Mapped[str] = mapped_column(String(200))
