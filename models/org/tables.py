"""The five-level organisation: township → administrative village → natural village → zone →
alley → household → resident, and the heads appointed over zones and alleys."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.core.base import Base, CreatedAt, stored_enum


class Township(Base, CreatedAt):
    __tablename__ = "township"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    county: Mapped[str] = mapped_column(String(60), default="")
    villages: Mapped[list[AdminVillage]] = relationship(
        back_populates="township", order_by="AdminVillage.sort_order"
    )


class AdminVillage(Base, CreatedAt):
    """行政村: the unit that has a Party branch."""

    __tablename__ = "admin_village"
    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    secretary_name: Mapped[str] = mapped_column(String(40), default="")
    secretary_phone: Mapped[str] = mapped_column(String(20), default="")
    supervision_phone: Mapped[str] = mapped_column(String(20), default="")
    township: Mapped[Township] = relationship(back_populates="villages")
    natural_villages: Mapped[list[NaturalVillage]] = relationship(
        back_populates="admin_village", order_by="NaturalVillage.sort_order"
    )


class NaturalVillage(Base, CreatedAt):
    __tablename__ = "natural_village"
    id: Mapped[int] = mapped_column(primary_key=True)
    admin_village_id: Mapped[int] = mapped_column(ForeignKey("admin_village.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    admin_village: Mapped[AdminVillage] = relationship(back_populates="natural_villages")
    zones: Mapped[list[Zone]] = relationship(
        back_populates="natural_village", order_by="Zone.sort_order"
    )


class Zone(Base, CreatedAt):
    """片区: at most `zone_household_cap` households."""

    __tablename__ = "zone"
    id: Mapped[int] = mapped_column(primary_key=True)
    natural_village_id: Mapped[int] = mapped_column(ForeignKey("natural_village.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    natural_village: Mapped[NaturalVillage] = relationship(back_populates="zones")
    alleys: Mapped[list[Alley]] = relationship(back_populates="zone", order_by="Alley.sort_order")


class Alley(Base, CreatedAt):
    """胡同: at most `alley_household_cap` households."""

    __tablename__ = "alley"
    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zone.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    zone: Mapped[Zone] = relationship(back_populates="alleys")


class Household(Base, CreatedAt):
    """农户. A removed household keeps its row (removed_on, removal_reason) for the records."""

    __tablename__ = "household"
    id: Mapped[int] = mapped_column(primary_key=True)
    alley_id: Mapped[int] = mapped_column(ForeignKey("alley.id"), index=True)
    householder_name: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    id_number: Mapped[str | None] = mapped_column(String(18), nullable=True)
    removed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    removal_reason: Mapped[str] = mapped_column(String(200), default="")
    alley: Mapped[Alley] = relationship()
    residents: Mapped[list[Resident]] = relationship(
        back_populates="household", order_by="Resident.sort_order"
    )

    __table_args__ = (
        Index("ix_household_active_alley", "alley_id", postgresql_where=text("removed_on IS NULL"),
              sqlite_where=text("removed_on IS NULL")),
    )


class Resident(Base, CreatedAt):
    """A person living in a household. Name keys (pinyin) are computed on save for search."""

    __tablename__ = "resident"
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    relation: Mapped[str] = mapped_column(String(10), default="")
    gender: Mapped[str] = mapped_column(String(2), default="")
    birth_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    phone: Mapped[str] = mapped_column(String(20), default="")
    id_number: Mapped[str | None] = mapped_column(String(18), nullable=True)
    is_party_member: Mapped[bool] = mapped_column(Boolean, default=False)
    name_initials: Mapped[str] = mapped_column(String(80), default="", index=True)
    name_pinyin: Mapped[str] = mapped_column(String(200), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    removed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    household: Mapped[Household] = relationship(back_populates="residents")


class HeadRole(enum.StrEnum):
    ZONE = "zone"
    ALLEY = "alley"

    @property
    def label(self) -> str:
        return {"zone": "片区长", "alley": "胡同长"}[self.value]


class Head(Base, CreatedAt):
    """An appointment of a resident as zone or alley head (推选). Ended appointments stay as
    history; at most one open appointment per unit."""

    __tablename__ = "head"
    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    role: Mapped[HeadRole] = mapped_column(stored_enum(HeadRole, 10))
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zone.id"), nullable=True, index=True)
    alley_id: Mapped[int | None] = mapped_column(ForeignKey("alley.id"), nullable=True, index=True)
    admin_village_id: Mapped[int] = mapped_column(ForeignKey("admin_village.id"), index=True)
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    end_reason: Mapped[str] = mapped_column(String(200), default="")
    # 撤换: the appointment was ended for cause (not a routine re-election); it bars honours.
    dismissed: Mapped[bool] = mapped_column(Boolean, default=False)
    chosen_on: Mapped[date] = mapped_column(Date)
    chosen_method: Mapped[str] = mapped_column(String(60), default="党员群众共同推选")
    proposer: Mapped[str] = mapped_column(String(60), default="")
    vest_issued_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    work_id_issued_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    work_id_number: Mapped[str] = mapped_column(String(30), default="")
    photo_path: Mapped[str] = mapped_column(Text, default="")
    resident: Mapped[Resident] = relationship()
    zone: Mapped[Zone | None] = relationship()
    alley: Mapped[Alley | None] = relationship()

    __table_args__ = (
        Index("uq_head_open_zone", "zone_id", unique=True,
              postgresql_where=text("ended_on IS NULL AND role = 'zone'"),
              sqlite_where=text("ended_on IS NULL AND role = 'zone'")),
        Index("uq_head_open_alley", "alley_id", unique=True,
              postgresql_where=text("ended_on IS NULL AND role = 'alley'"),
              sqlite_where=text("ended_on IS NULL AND role = 'alley'")),
    )


class PledgeReturn(Base, CreatedAt):
    """A household's signed 门前三包 pledge that came back, for one year: the day and which of
    the three copies (township, village, household) were signed. A correction rewrites the row
    (audited); a household without a row has not returned its pledge."""

    __tablename__ = "pledge_return"
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    year: Mapped[int] = mapped_column(Integer)
    returned_on: Mapped[date] = mapped_column(Date)
    township_copy: Mapped[bool] = mapped_column(Boolean, default=True)
    village_copy: Mapped[bool] = mapped_column(Boolean, default=True)
    household_copy: Mapped[bool] = mapped_column(Boolean, default=True)
    recorded_by: Mapped[str] = mapped_column(String(60))

    __table_args__ = (UniqueConstraint("household_id", "year"),)


class HeadPhoto(Base, CreatedAt):
    """A head's one-inch photo (the bytes in core `stored_file`, so a township server and every
    backup carry it). Kept with the person, so that a new appointment keeps the photo; append-
    only: a new photo is a new row and the newest is the one shown and printed."""

    __tablename__ = "head_photo"
    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"))
    attached_by: Mapped[str] = mapped_column(String(60))
