"""`check` for the rectification ledger: every problem's events must form an unbroken hash chain,
follow the life a problem may have (replayed with `lifecycle.apply`), carry the photos they name,
and lead to exactly the state and registered facts the `problem` row holds. An event, photo link
or problem row changed behind the program's back is found here."""

from __future__ import annotations

import json
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.core import anchors
from models.core.checks import invariant
from models.core.files import StoredFile
from models.org.tables import AdminVillage
from models.points.tables import GENESIS, LedgerEntry, chain_hash
from models.problems import lifecycle
from models.problems.lifecycle import Operator, State
from models.problems.points import key
from models.problems.tables import (
    HASHED_FIELDS,
    EventKind,
    Outcome,
    Problem,
    ProblemEvent,
    ProblemPhoto,
    ProblemPoints,
    problem_number,
)
from models.problems.workflow import canonical, registered_facts

_COLUMNS = [getattr(ProblemEvent, name) for name in HASHED_FIELDS]
_LIMIT = 50


@invariant
def problem_histories(session: Session) -> list[str]:
    problems = {p.id: p for p in session.scalars(select(Problem))}
    photos = _photos_by_event(session)
    replay: dict[int, _Replay] = {}
    stmt = select(ProblemEvent.id, *_COLUMNS, ProblemEvent.prev_hash, ProblemEvent.hash) \
        .order_by(ProblemEvent.problem_id, ProblemEvent.seq)
    for row in session.execute(stmt).yield_per(5000):
        values = dict(zip(HASHED_FIELDS, row[1:], strict=False))
        problem = problems.get(values["problem_id"])
        walk = replay.setdefault(values["problem_id"], _Replay(problem))
        walk.step(values, row.prev_hash, row.hash, photos.get(row.id, ""))
    found = [message for walk in replay.values() for message in walk.problems]
    for problem_id, problem in problems.items():
        if problem_id not in replay:
            found.append(f"问题 {problem.number}（编号 {problem_id}）没有任何记录。")
        else:
            found += replay[problem_id].compare()
    return (found + _points(session, problems))[:_LIMIT]


class _Replay:
    """One problem's events walked in order: chain, life, photos, and the row they lead to."""

    def __init__(self, problem: Problem | None):
        self.problem = problem
        self.seq, self.last_hash, self.state = 0, GENESIS, State()
        self.problems: list[str] = []
        self.broken = False

    def step(self, values: dict[str, object], prev_hash: str, stored_hash: str,
             photo_hashes: str) -> None:
        where = f"问题编号 {values['problem_id']} 第 {values['seq']} 步"
        if self.broken:
            return
        if values["seq"] != self.seq + 1 or prev_hash != self.last_hash:
            return self._fail(f"{where}：前后不相连（缺步、插步或被改动）。")
        if chain_hash(prev_hash, values, HASHED_FIELDS) != stored_hash:
            return self._fail(f"{where}：内容与登记时不符，已被程序以外的方式改动。")
        if photo_hashes != values["photos"]:
            return self._fail(f"{where}：所附照片与记录不符（照片被替换或删除）。")
        kind = EventKind(values["kind"])
        details = json.loads(str(values["details"]))
        operator = Operator(str(values["operator_name"]), values["operator_user_id"])  # type: ignore[arg-type]
        try:
            after = lifecycle.apply(self.state, kind, values["occurred_on"], operator, details)  # type: ignore[arg-type]
        except lifecycle.TransitionRefused as refused:
            return self._fail(f"{where}：不符合整改流程（{refused}）")
        if kind is EventKind.REGISTER and self.problem is not None \
                and canonical(registered_facts(self.problem)) != values["details"]:
            return self._fail(f"{where}：问题登记的内容（地点、描述等）被改动过。")
        if kind is EventKind.CLOSE and details.get("outcome") != after.outcome:
            return self._fail(f"{where}：销号记载的整改结果与流程不符。")
        self.seq, self.last_hash, self.state = values["seq"], stored_hash, after  # type: ignore[assignment]

    def _fail(self, message: str) -> None:
        self.problems.append(message)
        self.broken = True

    def compare(self) -> list[str]:
        problem = self.problem
        if problem is None or self.broken:
            return []
        state = self.state
        rectifier = state.rectifier or Operator("", None)
        held = (problem.status, problem.responsible, problem.responsible_household_id,
                problem.responsible_head_id, problem.responsible_name, problem.deadline,
                problem.rectified_on, problem.rectified_by, problem.rectified_by_user_id,
                problem.escalated, problem.round, problem.closed_on, problem.outcome,
                problem.last_on, problem.last_seq, problem.last_hash)
        replayed = (state.status, state.responsible, state.household_id, state.head_id,
                    state.responsible_name, state.deadline, state.rectified_on, rectifier.name,
                    rectifier.user_id, state.escalated, state.round, state.closed_on,
                    state.outcome, state.last_on, self.seq, self.last_hash)
        if held != replayed:
            return [f"问题 {problem.number}（编号 {problem.id}）记载的状态与它的整改记录不符。"]
        return []


def _photos_by_event(session: Session) -> dict[int, str]:
    hashes: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(select(ProblemPhoto.event_id, StoredFile.sha256)
                           .join(StoredFile, StoredFile.id == ProblemPhoto.stored_file_id)
                           .order_by(ProblemPhoto.event_id, ProblemPhoto.position))
    for event_id, sha256 in rows:
        hashes[event_id].append(sha256)
    return {event_id: ",".join(values) for event_id, values in hashes.items()}


def _points(session: Session, problems: dict[int, Problem]) -> list[str]:
    """Each posting is the ledger entry its key names, for a problem closed with that outcome."""
    found = []
    rows = session.execute(select(ProblemPoints, LedgerEntry.idempotency_key).join(
        LedgerEntry, LedgerEntry.id == ProblemPoints.ledger_entry_id))
    for posting, entry_key in rows:
        problem = problems.get(posting.problem_id)
        if entry_key != key(posting.problem_id, Outcome(posting.outcome)) or problem is None:
            found.append(f"整改积分记录（编号 {posting.id}）与积分流水对不上。")
    return found


def _problem_names(session: Session, ids: list[int]) -> dict[int, str]:
    rows = session.execute(select(Problem.id, Problem.year, Problem.serial, AdminVillage.name)
                           .join(AdminVillage, AdminVillage.id == Problem.admin_village_id)
                           .where(Problem.id.in_(ids))) if ids else []
    return {row.id: f"{row.name}的整改问题 {problem_number(row.year, row.serial)}" for row in rows}


def _heads(session: Session):  # type: ignore[no-untyped-def]
    rows = session.execute(select(Problem.id, Problem.last_seq, Problem.last_hash)
                           .order_by(Problem.id)).all()
    names = _problem_names(session, [row.id for row in rows])
    return [(row.id, row.last_seq, row.last_hash, names.get(row.id, "")) for row in rows]


def _point(session: Session, problem_id: int, seq: int) -> anchors.Point:
    if session.get(Problem, problem_id) is None:
        return anchors.Point("", 0, None, exists=False)
    stored = session.scalar(select(ProblemEvent.hash).where(ProblemEvent.problem_id == problem_id,
                                                            ProblemEvent.seq == seq))
    length = session.scalar(select(func.max(ProblemEvent.seq))
                            .where(ProblemEvent.problem_id == problem_id)) or 0
    return anchors.Point(_problem_names(session, [problem_id])[problem_id], length, stored)


# Each problem's events are one chain: its anchors are Q<problem>-<event>.
anchors.register(anchors.Ledger("Q", "整改问题记录", "步", _heads, _point))
