"""The life of a problem as a pure function of its events: which step may follow which, what each
step sets, the outcome a closing records and whether a problem is overdue on a given day. The
workflow validates every new event with `apply`; `check` replays the stored events with it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from models.core.errors import ValidationError
from models.problems.tables import EventKind, Outcome, Responsible, Status

# Which status each kind of event may follow (None: a problem not yet registered).
FOLLOWS: dict[EventKind, tuple[Status | None, ...]] = {
    EventKind.REGISTER: (None,),
    EventKind.ASSIGN: (Status.REGISTERED,),
    EventKind.RECTIFY: (Status.ASSIGNED, Status.ESCALATED),
    EventKind.PASS: (Status.RECTIFIED,),
    EventKind.SEND_BACK: (Status.RECTIFIED,),
    EventKind.ESCALATE: (Status.ASSIGNED,),
    EventKind.RETURN: (Status.ESCALATED,),
    EventKind.CLOSE: (Status.VERIFIED,),
    EventKind.REOPEN: (Status.CLOSED,),
}
# Statuses in which the deadline runs: the fix is still owed.
OWED = (Status.ASSIGNED, Status.ESCALATED)


class TransitionRefused(ValidationError):
    """A step that may not follow the problem's present state."""


@dataclass(frozen=True)
class Operator:
    name: str
    user_id: int | None

    def same_person(self, other: Operator | None) -> bool:
        if other is None:
            return False
        if self.user_id is not None and other.user_id is not None:
            return self.user_id == other.user_id
        return self.name == other.name


@dataclass(frozen=True)
class State:
    """What a problem's events lead to."""

    status: Status | None = None
    found_on: date | None = None
    responsible: Responsible | None = None
    household_id: int | None = None
    head_id: int | None = None
    responsible_name: str = ""
    deadline: date | None = None
    rectified_on: date | None = None
    rectifier: Operator | None = None
    escalated: bool = False
    round: int = 0
    closed_on: date | None = None
    outcome: Outcome | None = None
    last_on: date | None = None

    def overdue_days(self, today: date) -> int:
        """Days past the deadline while the fix is still owed; 0 when not overdue."""
        if self.status not in OWED or self.deadline is None:
            return 0
        return max((today - self.deadline).days, 0)

    def closing_outcome(self) -> Outcome:
        """After escalation it counts as refused; otherwise by the passed fix's date."""
        if self.escalated:
            return Outcome.REFUSED
        if self.rectified_on is not None and self.deadline is not None \
                and self.rectified_on <= self.deadline:
            return Outcome.ON_TIME
        return Outcome.LATE


def overdue_days(status: Status, deadline: date | None, today: date) -> int:
    return State(status=status, deadline=deadline).overdue_days(today)


def apply(state: State, kind: EventKind, on: date, operator: Operator,
          details: dict[str, object]) -> State:
    """The state after one more event, or TransitionRefused saying why it may not follow."""
    if state.status not in FOLLOWS[kind]:
        now = state.status.label if state.status else "未登记"
        raise TransitionRefused(f"问题现在是“{now}”，不能{kind.label}。")
    if state.last_on is not None and on < state.last_on:
        raise TransitionRefused(f"{kind.label}日期 {on:%Y-%m-%d} 早于上一步的日期 "
                                f"{state.last_on:%Y-%m-%d}。")
    state = replace(state, last_on=on)
    if kind is EventKind.REGISTER:
        found = details.get("found_on")
        return replace(state, status=Status.REGISTERED, round=1,
                       found_on=date.fromisoformat(str(found)) if found else on)
    if kind is EventKind.ASSIGN:
        return replace(state, status=Status.ASSIGNED, deadline=_deadline(details, on),
                       responsible=Responsible(str(details["responsible"])),
                       household_id=_id(details.get("household")),
                       head_id=_id(details.get("head")),
                       responsible_name=str(details.get("name", "")))
    if kind is EventKind.RECTIFY:
        return replace(state, status=Status.RECTIFIED, rectified_on=on, rectifier=operator)
    if kind in (EventKind.PASS, EventKind.SEND_BACK):
        if operator.same_person(state.rectifier):
            raise TransitionRefused("复核必须由整改登记人以外的人进行，请换一位同志复核。")
        if kind is EventKind.PASS:
            return replace(state, status=Status.VERIFIED)
        back = Status.ESCALATED if state.escalated else Status.ASSIGNED
        return replace(state, status=back, rectified_on=None, rectifier=None)
    if kind is EventKind.ESCALATE:
        return replace(state, status=Status.ESCALATED, escalated=True)
    if kind is EventKind.RETURN:
        return replace(state, status=Status.ASSIGNED, escalated=False,
                       deadline=_deadline(details, on))
    if kind is EventKind.CLOSE:
        return replace(state, status=Status.CLOSED, closed_on=on, outcome=state.closing_outcome())
    # REOPEN: the fix is owed again, by a new deadline; the round's escalation starts afresh.
    return replace(state, status=Status.ASSIGNED, deadline=_deadline(details, on),
                   rectified_on=None, rectifier=None, escalated=False, round=state.round + 1,
                   closed_on=None, outcome=None)


def _deadline(details: dict[str, object], on: date) -> date:
    deadline = date.fromisoformat(str(details["deadline"]))
    if deadline < on:
        raise TransitionRefused(f"整改时限 {deadline:%Y-%m-%d} 早于交办日期 {on:%Y-%m-%d}。")
    return deadline


def _id(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]
