"""Policy numbers. Every number the report fixes is a setting with the report's value as default,
because the next township will want 40 instead of 30. Rows in `setting` hold overrides only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import DateTime, Select, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.core.base import Base, utcnow
from models.core.errors import ValidationError
from models.core.validation import shown


class Setting(Base):
    """A policy number or choice; defaults live in the specs below, rows only hold overrides."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str
    default: Any
    minimum: int | None = None
    maximum: int | None = None
    group: str = "组织"
    help: str = ""

    def validate(self, value: Any) -> Any:
        if isinstance(self.default, bool):
            if not isinstance(value, bool):
                raise ValidationError(f"设置“{self.label}”只能是“是”或“否”。")
            return value
        if isinstance(self.default, int):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationError(f"设置“{self.label}”必须是整数，收到的是“{shown(value)}”。")
            if self.minimum is not None and value < self.minimum:
                raise ValidationError(f"设置“{self.label}”不能小于 {self.minimum}。")
            if self.maximum is not None and value > self.maximum:
                raise ValidationError(f"设置“{self.label}”不能大于 {self.maximum}。")
            return value
        return type(self.default)(value)


SPECS: dict[str, SettingSpec] = {}


def register(spec: SettingSpec) -> SettingSpec:
    SPECS[spec.key] = spec
    return spec


ZONE_HOUSEHOLD_CAP = register(SettingSpec(
    "zone_household_cap", "每个片区最多户数", 50, 1, 1000, "组织", "报告：每个片区不超过50户"))
ALLEY_HOUSEHOLD_CAP = register(SettingSpec(
    "alley_household_cap", "每个胡同最多户数", 10, 1, 200, "组织", "报告：每个胡同不超过10户"))


def get(session: Session, spec: SettingSpec) -> Any:
    raw = session.scalar(select(Setting.value).where(Setting.key == spec.key))
    return spec.default if raw is None else json.loads(raw)


def query(*specs: SettingSpec) -> Select:
    """One query for several settings (read with `values`), for operations that count their
    round trips to the server."""
    return select(Setting.key, Setting.value).where(Setting.key.in_([s.key for s in specs]))


def values(rows: Iterable[Mapping[str, Any]], *specs: SettingSpec) -> dict[SettingSpec, Any]:
    stored = {row["key"]: row["value"] for row in rows}
    return {s: json.loads(stored[s.key]) if s.key in stored else s.default for s in specs}


def put(session: Session, spec: SettingSpec, value: Any) -> Any:
    """Store a validated override in the caller's transaction; returns the previous value."""
    value = spec.validate(value)
    previous = get(session, spec)
    row = session.get(Setting, spec.key)
    if row is None:
        session.add(Setting(key=spec.key, value=json.dumps(value), updated_at=utcnow()))
    else:
        row.value = json.dumps(value)
        row.updated_at = utcnow()
    return previous
LOGIN_MAX_FAILURES = register(SettingSpec(
    "login_max_failures", "连续输错密码几次后锁定账号", 5, 1, 20, "账号"))
LOGIN_LOCK_MINUTES = register(SettingSpec(
    "login_lock_minutes", "账号锁定分钟数", 5, 1, 1440, "账号"))
