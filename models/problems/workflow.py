"""The steps of a problem's life inside the caller's transaction. Each step locks the problem row
(SELECT … FOR UPDATE on PostgreSQL; SQLite writers are serialised by BEGIN IMMEDIATE), checks
with `lifecycle.apply` that it may follow, appends one hash-chained event, attaches its photos
and keeps the row in step. A closing posts the matching points rule through the points ledger
in the same transaction, at most once per problem and outcome.

These functions check no permission and write no audit row: `ProblemsService` does both. Another
area that raises a problem inside its own operation (a head's patrol finding) calls `register`
here after checking `Permission.REGISTER_PROBLEMS` for the village."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.core import clock
from models.core.access import Actor
from models.core.base import utcnow
from models.core.errors import NotFound, ValidationError
from models.core.files import FileContent, store
from models.core.validation import normalise_text
from models.org.service import village_of_alley
from models.org.tables import AdminVillage, Alley, Head, HeadRole, Household, NaturalVillage, Zone
from models.points.tables import chain_hash
from models.problems import lifecycle
from models.problems import points as problem_points
from models.problems.lifecycle import Operator, State
from models.problems.tables import (
    HASHED_FIELDS,
    EventKind,
    Outcome,
    Problem,
    ProblemCategory,
    ProblemEvent,
    ProblemPhoto,
    ProblemSource,
    Responsible,
    Stage,
)

DESCRIPTION_LIMIT, NOTE_LIMIT, PLACE_LIMIT, REPORTER_LIMIT = 500, 500, 120, 60


@dataclass(frozen=True)
class ProblemInput:
    """What 登记 records. The place is the most precise unit given (a household under 门前三包,
    else an alley, zone, natural village or the village), plus free text."""

    found_on: date
    source_id: int
    category_id: int
    description: str
    village_id: int | None = None
    natural_village_id: int | None = None
    zone_id: int | None = None
    alley_id: int | None = None
    household_id: int | None = None
    place: str = ""
    reporter: str = ""


@dataclass(frozen=True)
class Assignment:
    """交办: who answers for the fix and by when. Left empty, the household is the problem's,
    the head that of its alley (else zone), the deadline the catalogue's default."""

    responsible: Responsible
    household_id: int | None = None
    head_id: int | None = None
    deadline: date | None = None


@dataclass(frozen=True)
class Closing:
    event_id: int
    outcome: Outcome
    ledger_entry_id: int | None
    already: bool = False  # the problem was closed already (another PC, a retry)


def canonical(details: dict[str, object]) -> str:
    return json.dumps(details, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str)


# ---- registering ---------------------------------------------------------------------------

def register(session: Session, actor: Actor, data: ProblemInput,
             photos: Sequence[FileContent] = (), *, on: date | None = None) -> Problem:
    """登记 a new problem with its before-photos; `on` is the day it is recorded (default the
    day it was found)."""
    place = resolve_place(session, data)
    category = _catalogue(session, ProblemCategory, data.category_id, "问题类别")
    source = _catalogue(session, ProblemSource, data.source_id, "问题来源")
    description = _text(data.description, "问题描述", DESCRIPTION_LIMIT, required=True)
    place_text = _text(data.place, "具体位置", PLACE_LIMIT)
    reporter = _text(data.reporter, "发现人", REPORTER_LIMIT)
    if data.found_on > clock.today():
        raise ValidationError(f"发现日期 {data.found_on:%Y-%m-%d} 还没有到，请核对。")
    village_id = place["village"]
    session.execute(select(AdminVillage.id).where(AdminVillage.id == village_id).with_for_update())
    year = data.found_on.year
    serial = (session.scalar(select(func.max(Problem.serial)).where(
        Problem.admin_village_id == village_id, Problem.year == year)) or 0) + 1
    problem = Problem(
        admin_village_id=village_id, year=year, serial=serial,
        natural_village_id=place["natural_village"], zone_id=place["zone"],
        alley_id=place["alley"], household_id=place["household"], place=place_text,
        found_on=data.found_on, source_id=source.id, category_id=category.id,
        description=description, reporter=reporter, status=lifecycle.Status.REGISTERED,
        escalated=False, round=1, last_seq=0, last_hash="0" * 64, created_at=utcnow())
    session.add(problem)
    session.flush()
    facts = {**place, "place": place_text, "found_on": data.found_on.isoformat(),
             "source": source.id, "category": category.id, "description": description,
             "reporter": reporter}
    _append(session, actor, problem, EventKind.REGISTER, max(on or data.found_on, data.found_on),
            facts, photos=photos, stage=Stage.BEFORE, state=State())
    return problem


def registered_facts(problem: Problem) -> dict[str, object]:
    """The row's registered facts in the form the 登记 event stores them (for `check`)."""
    return {"village": problem.admin_village_id, "natural_village": problem.natural_village_id,
            "zone": problem.zone_id, "alley": problem.alley_id, "household": problem.household_id,
            "place": problem.place, "found_on": problem.found_on.isoformat(),
            "source": problem.source_id, "category": problem.category_id,
            "description": problem.description, "reporter": problem.reporter}


def resolve_place(session: Session, data: ProblemInput) -> dict[str, int | None]:
    """Every level of the place from its most precise unit; a less precise unit given as well
    must contain it."""
    units = {"village": None, "natural_village": None, "zone": None, "alley": None,
             "household": None}
    if data.household_id is not None:
        household = session.get(Household, data.household_id)
        if household is None or household.removed_on is not None:
            raise NotFound(f"农户（编号 {data.household_id}）不存在或已注销。")
        units["household"], alley_id = household.id, household.alley_id
    else:
        alley_id = data.alley_id
    if alley_id is not None:
        alley = _unit(session, Alley, alley_id, "胡同")
        units["alley"], zone_id = alley.id, alley.zone_id
    else:
        zone_id = data.zone_id
    if zone_id is not None:
        zone = _unit(session, Zone, zone_id, "片区")
        units["zone"], natural_id = zone.id, zone.natural_village_id
    else:
        natural_id = data.natural_village_id
    if natural_id is not None:
        natural = _unit(session, NaturalVillage, natural_id, "自然村")
        units["natural_village"], village_id = natural.id, natural.admin_village_id
    else:
        village_id = data.village_id
    if village_id is None:
        raise ValidationError("请选择问题所在的村（或片区、胡同、农户）。")
    _unit(session, AdminVillage, village_id, "行政村")
    units["village"] = village_id
    given = {"village": data.village_id, "natural_village": data.natural_village_id,
             "zone": data.zone_id, "alley": data.alley_id}
    if any(value is not None and units[key] != value for key, value in given.items()):
        raise ValidationError("所选的村、自然村、片区、胡同和农户对不上，请重新选择地点。")
    return units


# ---- the steps after 登记 ----------------------------------------------------------------

def assign(session: Session, actor: Actor, problem: Problem, assignment: Assignment,
           on: date) -> ProblemEvent:
    """交办 to the responsible household, head or village, with a deadline."""
    details = _responsible(session, problem, assignment)
    details["deadline"] = (assignment.deadline or default_deadline(session, problem, on)).isoformat()
    return _step(session, actor, problem, EventKind.ASSIGN, on, "", details)


def rectify(session: Session, actor: Actor, problem: Problem, on: date, what: str,
            photos: Sequence[FileContent] = ()) -> ProblemEvent:
    """整改: what was done, with after-photos, on the day it was done."""
    note = _text(what, "整改情况", NOTE_LIMIT, required=True)
    return _step(session, actor, problem, EventKind.RECTIFY, on, note, {}, photos=photos,
                 stage=Stage.AFTER)


def verify(session: Session, actor: Actor, problem: Problem, passed: bool, on: date,
           note: str = "") -> ProblemEvent:
    """复核 by someone other than who recorded the fix: passed, or sent back with a reason."""
    note = _text(note, "复核意见", NOTE_LIMIT, required=not passed)
    kind = EventKind.PASS if passed else EventKind.SEND_BACK
    return _step(session, actor, problem, kind, on, note, {})


def escalate(session: Session, actor: Actor, problem: Problem, on: date, reason: str) -> ProblemEvent:
    """拒不整改: the problem goes to the street office (街道督办)."""
    note = _text(reason, "拒不整改的情况", NOTE_LIMIT, required=True)
    return _step(session, actor, problem, EventKind.ESCALATE, on, note, {})


def return_escalation(session: Session, actor: Actor, problem: Problem, on: date, reason: str,
                      deadline: date | None = None) -> ProblemEvent:
    """The street office hands an escalated problem back to the village, with a new deadline."""
    note = _text(reason, "退回理由", NOTE_LIMIT, required=True)
    details = {"deadline": (deadline or default_deadline(session, problem, on)).isoformat()}
    return _step(session, actor, problem, EventKind.RETURN, on, note, details)


def close(session: Session, actor: Actor, problem: Problem, on: date) -> Closing:
    """销号 after a passed 复核, posting the outcome's points rule to the responsible head once.
    A problem already closed (by another PC, or a retried click) is returned as it is."""
    if problem.status is lifecycle.Status.CLOSED:
        event = session.scalar(select(ProblemEvent).where(
            ProblemEvent.problem_id == problem.id, ProblemEvent.kind == EventKind.CLOSE)
            .order_by(ProblemEvent.seq.desc()).limit(1))
        details = json.loads(event.details)
        return Closing(event.id, Outcome(details["outcome"]), details.get("points"), already=True)
    state = state_of(problem)
    lifecycle.apply(state, EventKind.CLOSE, on, _operator(actor), {})  # refused before posting
    outcome = state.closing_outcome()
    entry_id = problem_points.post(session, actor, problem, outcome, on)
    details = {"outcome": outcome.value, "points": entry_id, "head": problem.responsible_head_id}
    event = _step(session, actor, problem, EventKind.CLOSE, on, "", details, state=state)
    return Closing(event.id, outcome, entry_id)


def reopen(session: Session, actor: Actor, problem: Problem, on: date, reason: str,
           deadline: date | None = None) -> ProblemEvent:
    """A closed problem back to the responsible party, with a reason and a new deadline."""
    note = _text(reason, "重新打开的理由", NOTE_LIMIT, required=True)
    details = {"deadline": (deadline or default_deadline(session, problem, on)).isoformat()}
    return _step(session, actor, problem, EventKind.REOPEN, on, note, details)


# ---- shared ------------------------------------------------------------------------------

def lock(session: Session, problem_id: int) -> Problem:
    problem = session.execute(
        select(Problem).where(Problem.id == problem_id).with_for_update()
        .execution_options(populate_existing=True)).scalar_one_or_none()
    if problem is None:
        raise NotFound(f"问题（编号 {problem_id}）不存在。")
    return problem


def default_deadline(session: Session, problem: Problem, on: date) -> date:
    return catalogue_deadline(session, problem.category_id, problem.source_id, on)


def catalogue_deadline(session: Session, category_id: int, source_id: int, on: date) -> date:
    """The category's days (or the source's, when shorter) from `on`."""
    days = [session.get(ProblemCategory, category_id).default_days,
            session.get(ProblemSource, source_id).default_days]
    return on + timedelta(days=min(d for d in days if d is not None))


def state_of(problem: Problem) -> State:
    """The state the row holds (kept in step with the events by `_append`)."""
    rectifier = Operator(problem.rectified_by, problem.rectified_by_user_id) \
        if problem.rectified_on is not None else None
    return State(status=problem.status, found_on=problem.found_on,
                 responsible=problem.responsible, household_id=problem.responsible_household_id,
                 head_id=problem.responsible_head_id, responsible_name=problem.responsible_name,
                 deadline=problem.deadline, rectified_on=problem.rectified_on,
                 rectifier=rectifier, escalated=problem.escalated, round=problem.round,
                 closed_on=problem.closed_on, outcome=problem.outcome, last_on=problem.last_on)


def _step(session: Session, actor: Actor, problem: Problem, kind: EventKind, on: date, note: str,
          details: dict[str, object], *, photos: Sequence[FileContent] = (),
          stage: Stage = Stage.BEFORE, state: State | None = None) -> ProblemEvent:
    if on > clock.today():
        raise ValidationError(f"{kind.label}日期 {on:%Y-%m-%d} 还没有到，请核对。")
    return _append(session, actor, problem, kind, on, details, note=note, photos=photos,
                   stage=stage, state=state or state_of(problem))


def _append(session: Session, actor: Actor, problem: Problem, kind: EventKind, on: date,
            details: dict[str, object], *, state: State, note: str = "",
            photos: Sequence[FileContent] = (), stage: Stage = Stage.BEFORE) -> ProblemEvent:
    operator = _operator(actor)
    after = lifecycle.apply(state, kind, on, operator, details)
    stored = [store(session, photo, problem.admin_village_id, actor.name) for photo in photos]
    values = dict(problem_id=problem.id, seq=problem.last_seq + 1, kind=kind, occurred_on=on,
                  recorded_at=utcnow(), operator_name=actor.name, operator_role=actor.role.value,
                  operator_user_id=actor.user_id, note=note, details=canonical(details),
                  photos=",".join(f.sha256 for f in stored))
    values["prev_hash"] = problem.last_hash
    values["hash"] = chain_hash(problem.last_hash, values, HASHED_FIELDS)
    event = ProblemEvent(**values)
    session.add(event)
    session.flush()
    for position, file in enumerate(stored):
        session.add(ProblemPhoto(problem_id=problem.id, event_id=event.id, stored_file_id=file.id,
                                 stage=stage, position=position))
    _keep_in_step(problem, after)
    problem.last_seq, problem.last_hash = values["seq"], values["hash"]
    return event


def _keep_in_step(problem: Problem, state: State) -> None:
    problem.status, problem.responsible = state.status, state.responsible
    problem.responsible_household_id, problem.responsible_head_id = state.household_id, state.head_id
    problem.responsible_name, problem.deadline = state.responsible_name, state.deadline
    problem.rectified_on, problem.escalated, problem.round = state.rectified_on, state.escalated, state.round
    problem.closed_on, problem.outcome, problem.last_on = state.closed_on, state.outcome, state.last_on
    problem.rectified_by = state.rectifier.name if state.rectifier else ""
    problem.rectified_by_user_id = state.rectifier.user_id if state.rectifier else None


def _operator(actor: Actor) -> Operator:
    return Operator(actor.name, actor.user_id)


def _responsible(session: Session, problem: Problem, assignment: Assignment) -> dict[str, object]:
    kind = Responsible(assignment.responsible)
    if kind is Responsible.VILLAGE:
        village = session.get(AdminVillage, problem.admin_village_id)
        return {"responsible": kind.value, "household": None, "head": None,
                "name": f"{village.name}村集体"}
    if kind is Responsible.HOUSEHOLD:
        household_id = assignment.household_id or problem.household_id
        household = session.get(Household, household_id) if household_id else None
        if household is None or household.removed_on is not None:
            raise ValidationError("责任农户不存在或已注销：请先在地点中选定农户，"
                                  "或改为由片区长、胡同长负责。")
        if village_of_alley(session, household.alley_id) != problem.admin_village_id:
            raise ValidationError(f"农户“{household.householder_name}”不在问题所在的村。")
        head = _answering_head(session, household.alley_id, None)
        return {"responsible": kind.value, "household": household.id,
                "head": head.id if head else None, "name": household.householder_name}
    head = session.get(Head, assignment.head_id) if assignment.head_id else \
        _answering_head(session, problem.alley_id, problem.zone_id)
    if head is None or head.ended_on is not None:
        raise ValidationError("没有找到在任的责任片区长或胡同长：请选择一位负责人，"
                              "或改为由农户或村集体负责。")
    if head.admin_village_id != problem.admin_village_id:
        raise ValidationError("所选的负责人不在问题所在的村。")
    return {"responsible": kind.value, "household": None, "head": head.id,
            "name": f"{head.resident.name}（{head.role.label}）"}


def _answering_head(session: Session, alley_id: int | None, zone_id: int | None) -> Head | None:
    """The alley's head, else the zone's: who answers for a place under 门前三包."""
    if alley_id is not None:
        head = session.scalar(select(Head).where(Head.alley_id == alley_id,
                                                 Head.role == HeadRole.ALLEY,
                                                 Head.ended_on.is_(None)))
        if head is not None:
            return head
        zone_id = session.scalar(select(Alley.zone_id).where(Alley.id == alley_id))
    if zone_id is None:
        return None
    return session.scalar(select(Head).where(Head.zone_id == zone_id, Head.role == HeadRole.ZONE,
                                             Head.ended_on.is_(None)))


def _unit(session: Session, model, unit_id: int, label: str):  # type: ignore[no-untyped-def]
    unit = session.get(model, unit_id)
    if unit is None:
        raise NotFound(f"{label}（编号 {unit_id}）不存在。")
    return unit


def _catalogue(session: Session, model, item_id: int, label: str):  # type: ignore[no-untyped-def]
    item = session.get(model, item_id)
    if item is None:
        raise NotFound(f"{label}（编号 {item_id}）不存在。")
    if not item.active:
        raise ValidationError(f"{label}“{item.name}”已停用，请另选一个。")
    return item


def _text(value: str | None, field: str, limit: int, required: bool = False) -> str:
    text = normalise_text(value)
    if required and not text:
        raise ValidationError(f"{field}不能为空。")
    if len(text) > limit:
        raise ValidationError(f"{field}太长（{len(text)} 字），最多 {limit} 字。")
    return text
