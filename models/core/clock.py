"""The program's clock. Every "today" and "now" in the program comes from here, so that the tests
(and CI, which runs the suite on 1 January, 1 December and 31 December) can set the day with the
environment variable CUNZHI_TODAY=YYYY-MM-DD. Without it the system clock is used."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

ENVIRONMENT_VARIABLE = "CUNZHI_TODAY"


def _fixed_day() -> date | None:
    text = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    return date.fromisoformat(text) if text else None


def today() -> date:
    return _fixed_day() or date.today()


def now() -> datetime:
    """Local wall-clock time (naive), on the fixed day when one is set."""
    real = datetime.now()
    day = _fixed_day()
    return datetime.combine(day, real.time()) if day else real


def utcnow() -> datetime:
    if _fixed_day() is None:
        return datetime.now(UTC)
    return now().astimezone(UTC)
