"""The plain data of the rectification ledger's paper (models.printing.documents): the 整改通知书
to whoever answers for a problem, the 台账 for a filter (the same rows the page lists) and the
street office's 督办单. Reads only; the caller has checked the village scope."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core import files
from models.core.errors import ValidationError
from models.org.tables import AdminVillage, Head
from models.printing import documents as doc
from models.problems import views, workflow
from models.problems.tables import (
    EventKind,
    Outcome,
    Problem,
    ProblemCategory,
    ProblemEvent,
    ProblemPhoto,
    ProblemSource,
    Responsible,
    Stage,
    Status,
)
from models.problems.views import ProblemFilter, ProblemRow


def notice(s: Session, problem: Problem, today: date) -> doc.ProblemNotice:
    if problem.deadline is None or problem.responsible is None:
        raise ValidationError(f"问题 {problem.number} 还没有交办，交办后才能打印整改通知书。")
    row = views.rows(s, ProblemFilter(), today, problem_id=problem.id)[0]
    village = s.get(AdminVillage, problem.admin_village_id).name
    recipient = problem.responsible_name
    if problem.responsible is Responsible.HOUSEHOLD:
        recipient = f"{recipient}户"
    follow_up = _head_name(s, problem) if problem.responsible is Responsible.HOUSEHOLD else ""
    return doc.ProblemNotice(
        village, problem.number, recipient, problem.found_on, row.source, row.place, row.category,
        problem.description, problem.deadline, follow_up, f"{village}党支部", today,
        _first_photo(s, problem.id),
        views.pledge_note(s, problem.responsible_household_id, problem.year))


def ledger(s: Session, criteria: ProblemFilter, rows: list[ProblemRow],
           today: date) -> doc.ProblemLedger:
    villages = {r.village for r in rows}
    names = dict(s.execute(select(AdminVillage.id, AdminVillage.name)).all())
    where = names[criteria.village_id] if criteria.village_id else (
        next(iter(villages)) if len(villages) == 1 and criteria.villages else "全镇")
    many = criteria.village_id is None and len(villages) > 1
    period = "".join(filter(None, (f"{criteria.year}年" if criteria.year else "",
                                   f"{criteria.month}月" if criteria.month else "")))
    lines = tuple(doc.ProblemLedgerRow(
        str(index), f"{r.found_on:%Y-%m-%d}", f"{r.village} {r.place}" if many else r.place,
        f"{r.number} {r.description}", r.source, r.responsible or "（未交办）",
        f"{r.deadline:%Y-%m-%d}" if r.deadline else "", r.progress, r.verifier,
        f"{r.closed_on:%Y-%m-%d}" if r.closed_on else "")
        for index, r in enumerate(rows, 1))
    issuer = f"{where}党支部" if where != "全镇" else "街道巡查办"
    return doc.ProblemLedger(f"{where}{period}问题整改台账", _scope_text(s, criteria), lines, today,
                             issuer, summary(rows))


def summary(rows: list[ProblemRow]) -> str:
    closed = [r for r in rows if r.status is Status.CLOSED]
    counted = {o: sum(1 for r in closed if r.outcome is o) for o in Outcome}
    still = len(rows) - len(closed)
    overdue = sum(1 for r in rows if r.overdue_days)
    return (f"共{len(rows)}件，已销号{len(closed)}件（按期{counted[Outcome.ON_TIME]}件、"
            f"逾期{counted[Outcome.LATE]}件、督办后{counted[Outcome.REFUSED]}件），"
            f"未销号{still}件（其中逾期{overdue}件）。")


def supervision_slip(s: Session, problem: Problem, today: date) -> doc.SupervisionSlip:
    if not problem.escalated:
        raise ValidationError(f"问题 {problem.number} 没有报街道督办，不能打印督办单。")
    escalation = s.scalar(select(ProblemEvent).where(
        ProblemEvent.problem_id == problem.id, ProblemEvent.kind == EventKind.ESCALATE)
        .order_by(ProblemEvent.seq.desc()).limit(1))
    row = views.rows(s, ProblemFilter(), today, problem_id=problem.id)[0]
    village = s.get(AdminVillage, problem.admin_village_id).name
    deadline = _first_deadline(s, problem.id)
    due = workflow.default_deadline(s, problem, escalation.occurred_on)
    return doc.SupervisionSlip(
        f"街巡督〔{escalation.occurred_on.year}〕{problem.admin_village_id}-{problem.serial}号",
        village, problem.number, problem.found_on, row.source, row.place, row.category,
        problem.description, problem.responsible_name, deadline, escalation.occurred_on,
        escalation.note, due, "街道巡查办", today, _first_photo(s, problem.id))


def _first_deadline(s: Session, problem_id: int) -> date | None:
    details = s.scalar(select(ProblemEvent.details).where(
        ProblemEvent.problem_id == problem_id, ProblemEvent.kind == EventKind.ASSIGN)
        .order_by(ProblemEvent.seq).limit(1))
    return date.fromisoformat(json.loads(details)["deadline"]) if details else None


def _head_name(s: Session, problem: Problem) -> str:
    if problem.responsible_head_id is None:
        return ""
    head = s.get(Head, problem.responsible_head_id)
    return f"{head.role.label} {head.resident.name}"


def _first_photo(s: Session, problem_id: int) -> bytes | None:
    file_id = s.scalar(select(ProblemPhoto.stored_file_id).where(
        ProblemPhoto.problem_id == problem_id, ProblemPhoto.stage == Stage.BEFORE)
        .order_by(ProblemPhoto.id).limit(1))
    return files.load(s, file_id).content if file_id is not None else None


def _scope_text(s: Session, criteria: ProblemFilter) -> str:
    def name(model, item_id: int | None) -> str:  # type: ignore[no-untyped-def]
        return s.get(model, item_id).name if item_id else "全部"

    status = criteria.status.label if criteria.status else ("未销号" if criteria.open_only else "全部")
    parts = [f"状态：{status}", f"来源：{name(ProblemSource, criteria.source_id)}",
             f"类别：{name(ProblemCategory, criteria.category_id)}"]
    if criteria.overdue_only:
        parts.append("只列逾期未整改的")
    if criteria.escalated_only:
        parts.append("只列报街道督办的")
    return "；".join(parts)
