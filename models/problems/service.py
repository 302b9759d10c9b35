"""问题整改 operations: registering a problem (with photos), 交办, 整改, 复核, 拒不整改 → 街道督办
and the township's answer, 销号 (with its points) and reopening; the categories and sources
catalogues. Each step is one method, one transaction, permission-checked in the problem's
village and audited; the steps themselves live in `workflow`, the reads in `views`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.core import audit, clock, files, images
from models.core.access import Permission
from models.core.errors import NotFound, ValidationError
from models.core.files import FileContent
from models.core.service import Service
from models.core.validation import normalise_text, shown, validate_name
from models.org.tables import AdminVillage
from models.printing import documents as doc
from models.problems import paper, views, workflow
from models.problems.tables import Problem, ProblemCategory, ProblemEvent, ProblemPhoto, ProblemSource
from models.problems.views import (
    CatalogueRow,
    ProblemCard,
    ProblemFilter,
    ProblemRow,
    RectificationRecord,
    StatRow,
)
from models.problems.workflow import Assignment, Closing, ProblemInput

Photos = Sequence[Path | FileContent]
# The source a head's own patrol finding is registered under (for the worklog's 三个一).
HEAD_PATROL_SOURCE = "片区长胡同长巡查"


@dataclass(frozen=True)
class Registered:
    problem_id: int
    number: str


def prepare_photos(photos: Photos) -> list[FileContent]:
    """Files prepared by the core importer (refused all together, naming each bad file, before
    any transaction opens); prepared photos pass as they are."""
    paths = [Path(p) for p in photos if not isinstance(p, FileContent)]
    batch = images.prepare_files(paths)
    if batch.refused:
        raise images.ImageRefused(f"有 {len(batch.refused)} 个文件不能作为照片导入，本次没有保存任何内容：\n"
                                  + "\n".join(refusal.reason for refusal in batch.refused))
    prepared = iter(batch.prepared)
    return [p if isinstance(p, FileContent) else next(prepared) for p in photos]


class ProblemsService(Service):
    # ---- registering and the steps ---------------------------------------------------------
    def register(self, data: ProblemInput, photos: Photos = (), *,
                 assign: Assignment | None = None, on: date | None = None) -> Registered:
        """登记 a problem with its before-photos; with `assign`, 交办 it in the same go (two
        events, one transaction), as the fast entry does."""
        prepared = prepare_photos(photos)
        with self.operation(Permission.REGISTER_PROBLEMS) as s:
            village_id = workflow.resolve_place(s, data)["village"]
            self.require(Permission.REGISTER_PROBLEMS, village_id)
            day = on or clock.today()
            problem = workflow.register(s, self.actor, data, prepared, on=max(day, data.found_on))
            self._audit(s, "登记问题", problem, after={
                "found_on": data.found_on, "description": problem.description,
                "place": views.place_of(s, problem), "photos": len(prepared)})
            if assign is not None:
                self._assign(s, problem, assign, max(day, data.found_on))
            return Registered(problem.id, problem.number)

    def assign(self, problem_id: int, assignment: Assignment, on: date | None = None) -> int:
        with self.operation(Permission.REGISTER_PROBLEMS) as s:
            problem = self._locked(s, problem_id, Permission.REGISTER_PROBLEMS)
            return self._assign(s, problem, assignment, on or clock.today()).id

    def rectify(self, problem_id: int, what: str, photos: Photos = (), on: date | None = None) -> int:
        prepared = prepare_photos(photos)
        with self.operation(Permission.RECTIFY_PROBLEMS) as s:
            problem = self._locked(s, problem_id, Permission.RECTIFY_PROBLEMS)
            event = workflow.rectify(s, self.actor, problem, on or clock.today(), what, prepared)
            self._audit(s, "记录整改", problem, after={"note": event.note, "photos": len(prepared),
                                                     "on": event.occurred_on})
            return event.id

    def verify(self, problem_id: int, passed: bool, note: str = "", on: date | None = None) -> int:
        """复核: an escalated problem is verified by the street office only."""
        with self.operation(Permission.VERIFY_PROBLEMS) as s:
            problem = self._verifying(s, problem_id)
            event = workflow.verify(s, self.actor, problem, passed, on or clock.today(), note)
            self._audit(s, "复核问题", problem, after={"passed": passed, "note": event.note})
            return event.id

    def escalate(self, problem_id: int, reason: str, on: date | None = None) -> int:
        with self.operation(Permission.VERIFY_PROBLEMS) as s:
            problem = self._locked(s, problem_id, Permission.VERIFY_PROBLEMS)
            event = workflow.escalate(s, self.actor, problem, on or clock.today(), reason)
            self._audit(s, "报街道督办", problem, after={"reason": event.note})
            return event.id

    def return_escalation(self, problem_id: int, reason: str, deadline: date | None = None,
                          on: date | None = None) -> int:
        """The street office hands an escalated problem back to the village."""
        with self.operation(Permission.SUPERVISE_PROBLEMS) as s:
            problem = self._locked(s, problem_id, Permission.SUPERVISE_PROBLEMS)
            event = workflow.return_escalation(s, self.actor, problem, on or clock.today(), reason,
                                               deadline)
            self._audit(s, "督办退回", problem, after={"reason": event.note,
                                                     "deadline": problem.deadline})
            return event.id

    def close(self, problem_id: int, on: date | None = None) -> Closing:
        """销号 after a passed 复核 (an escalated problem: by the street office), posting its
        points once. Closing a problem already closed returns that closing unchanged."""
        with self.operation(Permission.VERIFY_PROBLEMS) as s:
            problem = self._verifying(s, problem_id)
            closing = workflow.close(s, self.actor, problem, on or clock.today())
            if not closing.already:
                self._audit(s, "问题销号", problem, after={"outcome": closing.outcome.label,
                                                         "ledger_entry": closing.ledger_entry_id})
            return closing

    def reopen(self, problem_id: int, reason: str, deadline: date | None = None,
               on: date | None = None) -> int:
        with self.operation(Permission.VERIFY_PROBLEMS) as s:
            problem = self._locked(s, problem_id, Permission.VERIFY_PROBLEMS)
            event = workflow.reopen(s, self.actor, problem, on or clock.today(), reason, deadline)
            self._audit(s, "重新打开问题", problem, after={"reason": event.note,
                                                        "deadline": problem.deadline})
            return event.id

    def _assign(self, s: Session, problem: Problem, assignment: Assignment, on: date) -> ProblemEvent:
        event = workflow.assign(s, self.actor, problem, assignment, on)
        self._audit(s, "交办问题", problem, after={"responsible": problem.responsible_name,
                                                 "deadline": problem.deadline})
        return event

    def _locked(self, s: Session, problem_id: int, permission: Permission) -> Problem:
        problem = workflow.lock(s, problem_id)
        self.require(permission, problem.admin_village_id)
        return problem

    def _verifying(self, s: Session, problem_id: int) -> Problem:
        """Verifying and closing an escalated problem is the street office's (街道督办)."""
        problem = workflow.lock(s, problem_id)
        permission = Permission.SUPERVISE_PROBLEMS if problem.escalated else Permission.VERIFY_PROBLEMS
        self.require(permission, problem.admin_village_id)
        return problem

    def _audit(self, s: Session, action: str, problem: Problem, *, after: dict[str, object]) -> None:
        audit.record(s, self.actor, action, "problem", problem.id,
                     village_id=problem.admin_village_id,
                     after={"problem": problem.number, **after})

    # ---- catalogues ------------------------------------------------------------------------
    def categories(self, active_only: bool = False) -> list[CatalogueRow]:
        with self.db.read() as s:
            return views.catalogue(s, ProblemCategory, active_only)

    def sources(self, active_only: bool = False) -> list[CatalogueRow]:
        with self.db.read() as s:
            return views.catalogue(s, ProblemSource, active_only)

    def proposed_deadline(self, category_id: int, source_id: int, on: date) -> date:
        """The deadline the catalogues propose for a problem handed on on `on`."""
        with self.db.read() as s:
            return workflow.catalogue_deadline(s, category_id, source_id, on)

    def source_named(self, name: str) -> int:
        with self.db.read() as s:
            found = s.scalar(select(ProblemSource.id).where(ProblemSource.name == name))
        if found is None:
            raise NotFound(f"问题来源“{name}”不存在，请在问题来源中添加。")
        return found

    def save_category(self, category_id: int | None, name: str, default_days: int,
                      active: bool = True) -> int:
        return self._save_item(ProblemCategory, "问题类别", category_id, name, default_days, active)

    def save_source(self, source_id: int | None, name: str, default_days: int | None = None,
                    active: bool = True) -> int:
        return self._save_item(ProblemSource, "问题来源", source_id, name, default_days, active)

    def may_edit_catalogues(self) -> bool:
        with self.db.read() as s:
            return self.actor.may(Permission.PROBLEM_CATALOGUE, _catalogue_village(s))

    def _save_item(self, model, label: str, item_id: int | None, name: str,  # type: ignore[no-untyped-def]
                   default_days: int | None, active: bool) -> int:
        """The catalogues are the township's; on a village office's own database, the
        secretary's (as the points catalogue)."""
        text = validate_name(name, f"{label}名称", 30)
        optional = model is ProblemSource
        if (default_days is None and not optional) or (default_days is not None and not (
                isinstance(default_days, int) and 1 <= default_days <= 365)):
            raise ValidationError(f"{label}“{text}”的默认整改天数应为 1 到 365 天。")
        with self.operation(Permission.PROBLEM_CATALOGUE) as s:
            self.require(Permission.PROBLEM_CATALOGUE, _catalogue_village(s))
            clash = s.scalar(select(model.id).where(model.name == text))
            if clash is not None and clash != item_id:
                raise ValidationError(f"{label}“{text}”已经有了。")
            values = {"name": text, "default_days": default_days, "active": active}
            if item_id is None:
                order = (s.scalar(select(func.max(model.sort_order))) or 0) + 1
                item, before = model(sort_order=order, **values), None
                s.add(item)
            else:
                item = s.get(model, item_id)
                if item is None:
                    raise NotFound(f"{label}（编号 {item_id}）不存在。")
                before = {k: getattr(item, k) for k in values}
                for key, value in values.items():
                    setattr(item, key, value)
            s.flush()
            audit.record(s, self.actor, f"保存{label}", model.__tablename__, item.id,
                         before=before, after=values)
            return item.id

    # ---- reads -----------------------------------------------------------------------------
    def villages(self) -> list[tuple[int, str]]:
        """The villages this account sees, in the township's order."""
        with self.db.read() as s:
            rows = s.execute(select(AdminVillage.id, AdminVillage.name)
                             .order_by(AdminVillage.township_id, AdminVillage.sort_order)).all()
        return [(i, n) for i, n in rows if self.visible(i)]

    def problems(self, criteria: ProblemFilter) -> list[ProblemRow]:
        """The ledger's rows for a filter: what the page lists and the 台账 prints."""
        with self.db.read() as s:
            return views.rows(s, self._scoped(criteria), clock.today())

    def card(self, problem_id: int) -> ProblemCard:
        with self.db.read() as s:
            return views.card(s, self._viewed(s, problem_id, Permission.VIEW), clock.today())

    def photo(self, file_id: int) -> bytes:
        """A problem photo's bytes, verified against their recorded hash."""
        with self.db.read() as s:
            village = s.scalar(select(Problem.admin_village_id).join(
                ProblemPhoto, ProblemPhoto.problem_id == Problem.id)
                .where(ProblemPhoto.stored_file_id == file_id).limit(1))
            if village is None:
                raise NotFound(f"照片（编号 {file_id}）不是整改问题的照片。")
            self.require_view(village)
            return files.load(s, file_id).content

    # ---- paper -------------------------------------------------------------------------------
    def notice(self, problem_id: int) -> doc.ProblemNotice:
        """整改通知书 to whoever answers for the problem."""
        with self.db.read() as s:
            return paper.notice(s, self._viewed(s, problem_id, Permission.PRINT), clock.today())

    def supervision_slip(self, problem_id: int) -> doc.SupervisionSlip:
        """督办单 of a problem reported to the street office."""
        with self.db.read() as s:
            problem = self._viewed(s, problem_id, Permission.PRINT)
            return paper.supervision_slip(s, problem, clock.today())

    def ledger(self, criteria: ProblemFilter) -> doc.ProblemLedger:
        """问题整改台账: exactly the rows `problems` gives for the same filter."""
        scoped = self._scoped(criteria)
        with self.db.read() as s:
            today = clock.today()
            return paper.ledger(s, scoped, views.rows(s, scoped, today), today)

    def find(self, number: str, village_id: int | None = None) -> int:
        """The problem with this 整改编号 (ZG2026-017), in the village when given."""
        found = re.fullmatch(r"ZG(\d{4})-(\d{1,4})", normalise_text(number).upper())
        if found is None:
            raise ValidationError(f"整改编号“{shown(number)}”不对，应像 ZG2026-017 这样。")
        with self.db.read() as s:
            stmt = select(Problem.id, Problem.admin_village_id).where(
                Problem.year == int(found.group(1)), Problem.serial == int(found.group(2)))
            if village_id is not None:
                stmt = stmt.where(Problem.admin_village_id == village_id)
            rows = [r for r in s.execute(stmt).all() if self.visible(r.admin_village_id)]
        if not rows:
            raise NotFound(f"找不到整改编号为 {number} 的问题。")
        if len(rows) > 1:
            raise ValidationError(f"有 {len(rows)} 个村都有整改编号 {number}，请写明是哪个村。")
        return rows[0].id

    def village_of(self, problem_id: int) -> int:
        with self.db.read() as s:
            return self._viewed(s, problem_id, Permission.VIEW).admin_village_id

    def _viewed(self, s: Session, problem_id: int, permission: Permission) -> Problem:
        problem = s.get(Problem, problem_id)
        if problem is None:
            raise NotFound(f"问题（编号 {problem_id}）不存在。")
        self.require(permission, problem.admin_village_id)
        return problem

    def statistics(self, year: int, village_id: int | None = None) -> list[StatRow]:
        """Per village and month: found, closed, on-time rate, average days to close."""
        with self.db.read() as s:
            return views.statistics(s, year, self._villages(village_id))

    def rectification_record(self, head_id: int, year: int) -> RectificationRecord:
        """The rectification record of one head for a year (for the yearly assessment)."""
        return self.rectification_records(year, head_ids=[head_id])[head_id]

    def rectification_records(self, year: int, *, head_ids: Sequence[int] | None = None,
                              village_id: int | None = None) -> dict[int, RectificationRecord]:
        """Per head: problems he answered for that were found in `year`, closed on time, late,
        after escalation, and still overdue today."""
        with self.db.read() as s:
            return views.records(s, year, clock.today(), head_ids, self._villages(village_id))

    def _villages(self, village_id: int | None) -> frozenset[int] | None:
        if village_id is not None:
            self.require_view(village_id)
            return frozenset({village_id})
        return self.actor.villages

    def _scoped(self, criteria: ProblemFilter) -> ProblemFilter:
        villages = self._villages(criteria.village_id)
        return criteria if villages is None else criteria.within(villages)


def _catalogue_village(session: Session) -> int | None:
    """The village whose catalogues these are: the only one in the database, else None (the
    township's)."""
    villages = session.scalars(select(AdminVillage.id).limit(2)).all()
    return villages[0] if len(villages) == 1 else None
