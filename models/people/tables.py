"""The people area's tables: honours (kinds, nominations, published frozen lists), the yearly
assessment (results entered per head, confirmed grades) and the reserve talent pool (entries and
their status history). Published lists, confirmed grades and the pool are append-only: the
database refuses UPDATE and DELETE (triggers in the migration), `check` re-reads them."""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.core.base import Base, CreatedAt, stored_enum


# ---- honours ------------------------------------------------------------------------------------
class HonourScope(enum.StrEnum):
    VILLAGE = "village"
    TOWNSHIP = "township"

    @property
    def label(self) -> str:
        return {"village": "村级（各村提名）", "township": "镇级（全镇评选）"}[self.value]


class Nominee(enum.StrEnum):
    """Who an honour is for."""

    ZONE_HEAD = "zone_head"
    ALLEY_HEAD = "alley_head"
    HEAD = "head"
    ANYONE = "anyone"

    @property
    def label(self) -> str:
        return {"zone_head": "片区长", "alley_head": "胡同长", "head": "片区长、胡同长",
                "anyone": "本村党员群众"}[self.value]


class HonourKind(Base, CreatedAt):
    """评先树优的奖项: the report's three are built in; the township may add its own."""

    __tablename__ = "honour_kind"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    scope: Mapped[HonourScope] = mapped_column(stored_enum(HonourScope, 12))
    nominee: Mapped[Nominee] = mapped_column(stored_enum(Nominee, 12))
    top_scorer: Mapped[bool] = mapped_column(Boolean, default=False)
    built_in: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    added_by: Mapped[str] = mapped_column(String(60), default="")


class Source(enum.StrEnum):
    VILLAGE = "village"
    ASSESSMENT = "assessment"
    TOP_SCORER = "top_scorer"
    TOWNSHIP = "township"

    @property
    def label(self) -> str:
        return {"village": "村党支部提名", "assessment": "综合测评优秀", "top_scorer": "积分最高",
                "township": "镇级提名"}[self.value]


class NominationStatus(enum.StrEnum):
    NOMINATED = "nominated"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {"nominated": "待审批", "approved": "已批准", "rejected": "未批准"}[self.value]


class HonourNomination(Base, CreatedAt):
    """A nomination: by the village (or the township for a township honour), decided by the
    township, with the reward recorded on approval. Published lists copy the approved ones."""

    __tablename__ = "honour_nomination"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    kind_id: Mapped[int] = mapped_column(ForeignKey("honour_kind.id"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    head_id: Mapped[int | None] = mapped_column(ForeignKey("head.id"), nullable=True)
    admin_village_id: Mapped[int] = mapped_column(ForeignKey("admin_village.id"), index=True)
    deeds: Mapped[str] = mapped_column(Text, default="")  # 主要事迹 / 提名理由
    source: Mapped[Source] = mapped_column(stored_enum(Source, 12))
    status: Mapped[NominationStatus] = mapped_column(stored_enum(NominationStatus, 12))
    nominated_by: Mapped[str] = mapped_column(String(60))
    nominated_on: Mapped[date] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(60), default="")
    decided_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    decision_note: Mapped[str] = mapped_column(String(200), default="")
    reward_what: Mapped[str] = mapped_column(String(100), default="")
    reward_value: Mapped[Decimal | None] = mapped_column(Numeric(10, 2), nullable=True)
    kind: Mapped[HonourKind] = relationship()

    __table_args__ = (UniqueConstraint("year", "kind_id", "resident_id"),)


class HonourList(Base, CreatedAt):
    """A township's published honours of a year, frozen: names, units, rewards as they were.
    A correction is a new version naming what changed."""

    __tablename__ = "honour_list"
    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    township_name: Mapped[str] = mapped_column(String(60))
    year: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("honour_list.id"), nullable=True)
    change_note: Mapped[str] = mapped_column(Text, default="")
    published_on: Mapped[date] = mapped_column(Date)
    publisher: Mapped[str] = mapped_column(String(60))
    doc_number: Mapped[str] = mapped_column(String(40), default="")
    tie_break: Mapped[str] = mapped_column(Text, default="")
    top_scorers: Mapped[str] = mapped_column(Text, default="")  # how each top scorer was found
    snapshot_hash: Mapped[str] = mapped_column(String(64), default="")
    entries: Mapped[list[HonourEntry]] = relationship(
        back_populates="honour_list", order_by="HonourEntry.sort_order")

    __table_args__ = (UniqueConstraint("township_id", "year", "version"),)


class HonourEntry(Base):
    """One honoured person on a published list, copied as on the day of publication."""

    __tablename__ = "honour_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("honour_list.id"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("honour_nomination.id"))
    resident_id: Mapped[int] = mapped_column(Integer)
    admin_village_id: Mapped[int] = mapped_column(Integer)
    kind_name: Mapped[str] = mapped_column(String(40))
    village_name: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(20), default="")
    unit: Mapped[str] = mapped_column(String(160), default="")
    deeds: Mapped[str] = mapped_column(Text, default="")
    reward_what: Mapped[str] = mapped_column(String(100), default="")
    reward_value: Mapped[Decimal | None] = mapped_column(Numeric(10, 2), nullable=True)
    score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    certificate_number: Mapped[str] = mapped_column(String(40), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    honour_list: Mapped[HonourList] = relationship(back_populates="entries")


HONOUR_LIST_FIELDS = ("township_id", "township_name", "year", "version", "supersedes_id",
                      "change_note", "published_on", "publisher", "doc_number", "tie_break",
                      "top_scorers")
HONOUR_ENTRY_FIELDS = ("nomination_id", "resident_id", "admin_village_id", "kind_name",
                       "village_name", "name", "role", "unit", "deeds", "reward_what",
                       "reward_value", "score", "certificate_number", "sort_order")


def _plain(value: Any) -> str:
    """One value as text, the same read through the ORM or as a raw row of either engine."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def record_hash(parent: Any, parent_fields: tuple[str, ...], children: Iterable[Any],
                child_fields: tuple[str, ...]) -> str:
    """SHA-256 of a frozen record and its rows (objects or raw rows with these attributes),
    rows in their stored order (the last child field is the sort order)."""
    rows = sorted(([_plain(getattr(c, f)) for f in child_fields] for c in children),
                  key=lambda row: int(row[-1]))
    payload = json.dumps([[_plain(getattr(parent, f)) for f in parent_fields], rows],
                         ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# ---- the yearly assessment -------------------------------------------------------------------------
class AssessmentResult(Base, CreatedAt):
    """What each method gave for one head in one year, as entered by the village (editable until
    the village's assessment is confirmed). NULL: not entered yet."""

    __tablename__ = "assessment_result"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    head_id: Mapped[int] = mapped_column(ForeignKey("head.id"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    admin_village_id: Mapped[int] = mapped_column(ForeignKey("admin_village.id"), index=True)
    survey_satisfied: Mapped[int | None] = mapped_column(Integer, nullable=True)
    survey_fair: Mapped[int | None] = mapped_column(Integer, nullable=True)
    survey_unsatisfied: Mapped[int | None] = mapped_column(Integer, nullable=True)
    questionnaire_satisfied: Mapped[int | None] = mapped_column(Integer, nullable=True)
    questionnaire_fair: Mapped[int | None] = mapped_column(Integer, nullable=True)
    questionnaire_unsatisfied: Mapped[int | None] = mapped_column(Integer, nullable=True)
    meeting_for: Mapped[int | None] = mapped_column(Integer, nullable=True)
    meeting_against: Mapped[int | None] = mapped_column(Integer, nullable=True)
    meeting_abstain: Mapped[int | None] = mapped_column(Integer, nullable=True)
    entered_by: Mapped[str] = mapped_column(String(60), default="")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    __table_args__ = (UniqueConstraint("year", "head_id"),)


class Grade(enum.StrEnum):
    """综合测评的等次, stored as shown."""

    EXCELLENT = "优秀"
    COMPETENT = "称职"
    BASIC = "基本称职"
    UNFIT = "不称职"


COUNT_FIELDS = ("survey_satisfied", "survey_fair", "survey_unsatisfied",
                "questionnaire_satisfied", "questionnaire_fair", "questionnaire_unsatisfied",
                "meeting_for", "meeting_against", "meeting_abstain")


class Assessment(Base, CreatedAt):
    """A village's confirmed assessment of a year: the weights, vote values and grade lines as
    they were used (JSON), the components that had no data, and its grades. Append-only."""

    __tablename__ = "assessment"
    id: Mapped[int] = mapped_column(primary_key=True)
    admin_village_id: Mapped[int] = mapped_column(ForeignKey("admin_village.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    confirmed_on: Mapped[date] = mapped_column(Date)
    confirmed_by: Mapped[str] = mapped_column(String(60))
    method: Mapped[str] = mapped_column(Text)  # JSON: weights, values, grade lines, cap
    absent: Mapped[str] = mapped_column(Text, default="")  # one line per component left out
    grades: Mapped[list[AssessmentGrade]] = relationship(
        back_populates="assessment", order_by="AssessmentGrade.sort_order")

    __table_args__ = (UniqueConstraint("admin_village_id", "year"),)


class AssessmentGrade(Base):
    """One head's confirmed grade, with every input copied so that `check` can recompute it."""

    __tablename__ = "assessment_grade"
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    head_id: Mapped[int] = mapped_column(ForeignKey("head.id"), index=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str] = mapped_column(String(160))
    survey_satisfied: Mapped[int] = mapped_column(Integer)
    survey_fair: Mapped[int] = mapped_column(Integer)
    survey_unsatisfied: Mapped[int] = mapped_column(Integer)
    questionnaire_satisfied: Mapped[int] = mapped_column(Integer)
    questionnaire_fair: Mapped[int] = mapped_column(Integer)
    questionnaire_unsatisfied: Mapped[int] = mapped_column(Integer)
    meeting_for: Mapped[int] = mapped_column(Integer)
    meeting_against: Mapped[int] = mapped_column(Integer)
    meeting_abstain: Mapped[int] = mapped_column(Integer)
    year_score: Mapped[int] = mapped_column(Integer)
    duties: Mapped[str] = mapped_column(String(30), default="")  # exact fraction "n/d" or ""
    rectification: Mapped[str] = mapped_column(String(30), default="")
    total: Mapped[Decimal] = mapped_column(Numeric(6, 2))  # rounded half up for showing
    grade: Mapped[str] = mapped_column(String(8))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    assessment: Mapped[Assessment] = relationship(back_populates="grades")


class AssessmentReplacement(Base, CreatedAt):
    """A 不称职 head replaced through the organisation's appointment, the grade as its reason."""

    __tablename__ = "assessment_replacement"
    id: Mapped[int] = mapped_column(primary_key=True)
    grade_id: Mapped[int] = mapped_column(ForeignKey("assessment_grade.id"), unique=True)
    ended_head_id: Mapped[int] = mapped_column(ForeignKey("head.id"))
    new_head_id: Mapped[int] = mapped_column(ForeignKey("head.id"))
    replaced_on: Mapped[date] = mapped_column(Date)
    replaced_by: Mapped[str] = mapped_column(String(60))


# ---- the reserve talent pool ---------------------------------------------------------------------
class TalentCategory(enum.StrEnum):
    MODEL = "model"
    RESERVE_CADRE = "cadre"
    PARTY_CANDIDATE = "candidate"

    @property
    def label(self) -> str:
        return {"model": "优秀典型", "cadre": "后备干部", "candidate": "推荐入党"}[self.value]


class TalentStatus(enum.StrEnum):
    ENTERED = "entered"
    TRAINING = "training"
    RECOMMENDED = "recommended"
    JOINED = "joined"
    APPOINTED = "appointed"
    LEFT = "left"

    @property
    def label(self) -> str:
        return {"entered": "入库", "training": "培养", "recommended": "推荐", "joined": "已入党",
                "appointed": "已任用", "left": "出库"}[self.value]


class EvidenceKind(enum.StrEnum):
    POINTS = "points"
    RANKING = "ranking"
    HONOUR = "honour"
    ASSESSMENT = "assessment"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"points": "积分排名", "ranking": "红黑榜", "honour": "荣誉表彰",
                "assessment": "综合测评", "other": "其他表现"}[self.value]


class TalentEntry(Base, CreatedAt):
    """A person entered into one register of the village's pool, with the date and evidence of
    entry and whether he was a party member then. Append-only; his status is in the events."""

    __tablename__ = "talent_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    admin_village_id: Mapped[int] = mapped_column(ForeignKey("admin_village.id"), index=True)
    category: Mapped[TalentCategory] = mapped_column(stored_enum(TalentCategory, 12))
    entered_on: Mapped[date] = mapped_column(Date)
    evidence_kind: Mapped[EvidenceKind] = mapped_column(stored_enum(EvidenceKind, 12))
    evidence: Mapped[str] = mapped_column(Text)
    party_member: Mapped[bool] = mapped_column(Boolean)
    entered_by: Mapped[str] = mapped_column(String(60))


class TalentEvent(Base, CreatedAt):
    """One step of an entry's status history (入库 first); append-only."""

    __tablename__ = "talent_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("talent_entry.id"), index=True)
    status: Mapped[TalentStatus] = mapped_column(stored_enum(TalentStatus, 12))
    happened_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")
    recorded_by: Mapped[str] = mapped_column(String(60))
