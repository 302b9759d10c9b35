"""The registry of `check` invariants. Each area's `checks` module registers its invariants with
`@invariant`; `models.check.run_checks` reads them all (models.areas imports every area)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

Check = Callable[[Session], list[str]]
CHECKS: list[Check] = []


def invariant(check: Check) -> Check:
    """Register an invariant; each returns plain Chinese descriptions of what is wrong."""
    CHECKS.append(check)
    return check
