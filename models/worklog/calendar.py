"""Months, weeks and day masks of the 三个一 log.

A month is stored as one integer, year × 100 + month (202603). A week runs Monday to Sunday and
belongs to the month that holds its Thursday (as ISO weeks belong to years), so every week is
summarised in exactly one month. A head's patrols of a month are one integer: bit d − 1 set when
he patrolled on day d."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from models.core.errors import ValidationError

THURSDAY = 3


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def from_key(cls, key: int) -> Month:
        return cls(key // 100, key % 100)

    @classmethod
    def parse(cls, text: str) -> Month:
        """"2026-03", "2026-3" or "2026年3月"."""
        match = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*", str(text))
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValidationError(f"月份“{text}”的格式不对，请写成 2026-03。")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def key(self) -> int:
        return self.year * 100 + self.month

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return _last_day(self.year, self.month)

    @property
    def days(self) -> int:
        return _last_day(self.year, self.month).day

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def text(self) -> str:
        return f"{self.year}-{self.month:02d}"

    def day(self, number: int) -> date:
        return date(self.year, self.month, number)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def weeks(self) -> list[date]:
        """The Mondays of the weeks whose Thursday falls in this month (4 or 5 of them)."""
        thursday = self.first + timedelta(days=(THURSDAY - self.first.weekday()) % 7)
        mondays = []
        while thursday.month == self.month:
            mondays.append(thursday - timedelta(days=THURSDAY))
            thursday += timedelta(days=7)
        return mondays


@lru_cache(maxsize=1024)
def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_of_week(monday: date) -> Month:
    return Month.of(monday + timedelta(days=THURSDAY))


def week_label(monday: date) -> str:
    """"第2周（3月9日—3月15日）": the week's number in its month and its days."""
    month = month_of_week(monday)
    number = month.weeks().index(monday) + 1
    sunday = monday + timedelta(days=6)
    return f"第{number}周（{monday.month}月{monday.day}日—{sunday.month}月{sunday.day}日）"


def bit(day: int) -> int:
    return 1 << (day - 1)


def days_of(mask: int) -> list[int]:
    """The day numbers set in a mask, in order."""
    return [day for day in range(1, 32) if mask >> (day - 1) & 1]


def span_mask(first: int, last: int) -> int:
    """Days first..last (inclusive) set; 0 when the span is empty."""
    return 0 if last < first else ((1 << last) - 1) ^ ((1 << (first - 1)) - 1)
