"""综合测评: once a year the village enters, per head, what the opinion survey, the questionnaire
and the villagers' meeting gave (report: 通过民意调研、问卷调查、群众大会等形式进行综合测评),
and confirms: every serving head's grade is computed from those, the year's score and (where the
program keeps them) the 三个一 completeness and the rectification record, by the stated weights,
and frozen. 优秀 → proposed for the year's honours; 不称职 → flagged for replacement, which goes
through the organisation's appointment with the assessment as its reason (动态调整)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.core import audit, clock, settings
from models.core.access import Permission
from models.core.base import utcnow
from models.core.errors import NotFound, ValidationError
from models.core.service import Service
from models.org.service import appoint
from models.org.tables import AdminVillage, Head, HeadRole
from models.people import policy
from models.people.grading import (
    Inputs,
    Method,
    component_scores,
    fraction_text,
    grade,
    half_up,
    parse_fraction,
    total,
    validate_counts,
)
from models.people.eligibility import eligibility
from models.people.honours import nominate_person
from models.people.tables import (
    COUNT_FIELDS,
    Assessment,
    AssessmentGrade,
    AssessmentReplacement,
    AssessmentResult,
    Grade,
    HonourKind,
    HonourScope,
    Nominee,
    Source,
)
from models.people.units import HeadInfo, head_infos, village_heads
from models.points.tables import ANNUAL_CAP, OPENING_POINTS, Passbook
from models.problems import views as problem_views
from models.problems.views import RectificationRecord
from models.worklog.calendar import Month
from models.worklog.completeness import _completeness as month_completeness
from models.worklog.month_data import month_logs

Reader = Callable[[Session, list[HeadInfo], int, date], dict[int, Fraction]]


def rectified_share(record: RectificationRecord) -> Fraction:
    """问题整改: the problems a head answered for that year, closed on time (a late closing
    counts half, an escalated or open one nothing); a head with none has a clean record."""
    if not record.responsible:
        return Fraction(1)
    return (record.on_time + Fraction(record.late, 2)) / record.responsible


def _rectification(s: Session, heads: list[HeadInfo], year: int, as_of: date) -> dict[int, Fraction]:
    found = problem_views.records(s, year, as_of, [h.head_id for h in heads], None)
    return {head_id: rectified_share(record) for head_id, record in found.items()}


def duties_share(done: list[tuple[int, int]]) -> Fraction | None:
    """三个一: the mean of the year's three completion rates (patrol days, weekly summaries,
    households visited: each done ÷ due); a duty with nothing due is left out, and a head with
    nothing due at all (a zone head) has no rate."""
    rates = [Fraction(d, due) for d, due in done if due]
    return sum(rates, Fraction(0)) / len(rates) if rates else None


def _duties(s: Session, heads: list[HeadInfo], year: int, as_of: date) -> dict[int, Fraction]:
    """The alley heads' 三个一 completeness over the year's months up to `as_of`, as the
    三个一 log's own completeness counts it."""
    ids = [h.head_id for h in heads if h.role is HeadRole.ALLEY]
    totals = {i: [[0, 0], [0, 0], [0, 0]] for i in ids}
    for number in range(1, 13):
        month = Month(year, number)
        if not ids or month.first > as_of:
            break
        for log in month_logs(s, month, head_ids=ids):
            done = month_completeness(log, as_of)
            for pair, (d, due) in zip(totals[log.head_id], ((done.patrols, done.patrol_days),
                                      (done.summaries, done.summary_weeks),
                                      (done.visited, done.households)), strict=True):
                pair[0] += d
                pair[1] += due
    if not any(done for t in totals.values() for done, _due in t):
        return {}  # no 三个一 log kept that year: no data, rather than nothing done
    rates = {i: duties_share([tuple(p) for p in t]) for i, t in totals.items()}
    return {i: rate for i, rate in rates.items() if rate is not None}


# Components whose data another area keeps: a reader gives each head's rate (0–1) for a year.
# Without one the component has no data, is left out and its weight is renormalised over the
# others, which the page and the paper say.
READERS: dict[str, Reader] = {"duties": _duties, "rectification": _rectification}
# Said on the page and the paper when a component has no data for the village's year.
NO_DATA = {"duties": "本村当年没有“三个一”工作日志记录（每日巡查、每周汇总、每月走访），此项不计入",
           "rectification": "本村当年没有问题整改台账记录，此项不计入"}
HONOUR_FOR = {HeadRole.ZONE: Nominee.ZONE_HEAD, HeadRole.ALLEY: Nominee.ALLEY_HEAD}


@dataclass(frozen=True)
class SheetRow:
    head: HeadInfo
    counts: tuple[int | None, ...]
    year_score: int
    scores: dict[str, Fraction]  # empty until every method is entered
    total: Decimal | None
    grade: Grade | None

    @property
    def complete(self) -> bool:
        return None not in self.counts


@dataclass(frozen=True)
class GradeRow:
    id: int
    head_id: int
    resident_id: int
    name: str
    role: str
    unit: str
    counts: tuple[int, ...]
    year_score: int
    scores: dict[str, Fraction]
    total: Decimal
    grade: Grade
    replaced: str  # "2026-12-05 由张三接任" once replaced after a 不称职
    serving: HeadInfo  # the appointment graded (its unit, and whether it still runs)

    @property
    def awaiting_replacement(self) -> bool:
        return self.grade is Grade.UNFIT and not self.replaced and self.serving.ended_on is None


@dataclass(frozen=True)
class Confirmed:
    id: int
    confirmed_on: date
    confirmed_by: str
    method: Method
    grades: list[GradeRow]


@dataclass(frozen=True)
class Sheet:
    village_id: int
    village: str
    year: int
    method: Method  # the settings now (or, once confirmed, as used)
    rows: list[SheetRow]
    confirmed: Confirmed | None


@dataclass(frozen=True)
class ConfirmOutcome:
    assessment_id: int
    by_grade: dict[Grade, int]
    proposed: list[str]  # "张三（年度优秀片区长）"
    not_proposed: list[str]  # "李四：…reason"
    unfit: list[str]


def current_method(s: Session, rates: dict[str, dict[int, Fraction]]) -> Method:
    """The settings now, with the components that have no data in `rates` left out."""
    weights = {"survey": policy.W_SURVEY, "questionnaire": policy.W_QUESTIONNAIRE,
               "meeting": policy.W_MEETING, "score": policy.W_SCORE, "duties": policy.W_DUTIES,
               "rectification": policy.W_RECTIFICATION}
    return Method({k: settings.get(s, spec) for k, spec in weights.items()},
                  settings.get(s, policy.VALUE_SATISFIED), settings.get(s, policy.VALUE_FAIR),
                  settings.get(s, policy.GRADE_EXCELLENT), settings.get(s, policy.GRADE_COMPETENT),
                  settings.get(s, policy.GRADE_BASIC), settings.get(s, ANNUAL_CAP),
                  {k: why for k, why in NO_DATA.items() if not rates.get(k)})


def assessed_heads(s: Session, village_id: int, year: int) -> list[HeadInfo]:
    """The heads a year's assessment covers: serving at the end of the year (or today, for the
    year under way)."""
    day = min(date(year, 12, 31), clock.today())
    return [h for h in village_heads(s, village_id)
            if h.started_on <= day and (h.ended_on is None or h.ended_on > day)]


def _year_scores(s: Session, year: int, heads: list[HeadInfo]) -> dict[int, int]:
    """The year's score of each person; a head without a passbook yet stands at the opening."""
    opening = settings.get(s, OPENING_POINTS)
    found = dict(s.execute(select(Passbook.resident_id, Passbook.score).where(
        Passbook.year == year, Passbook.resident_id.in_([h.resident_id for h in heads]))).all())
    return {h.resident_id: found.get(h.resident_id, opening) for h in heads}


def _rates(s: Session, heads: list[HeadInfo], year: int,
           as_of: date) -> dict[str, dict[int, Fraction]]:
    """The other areas' rates, counted up to `as_of` (the day of confirming; for the sheet of a
    year under way, today)."""
    return {key: read(s, heads, year, as_of) for key, read in READERS.items()}


class AssessmentService(Service):
    # ---- the sheet -------------------------------------------------------------------------------
    def sheet(self, village_id: int, year: int) -> Sheet:
        self.require_view(village_id)
        with self.db.read() as s:
            village = s.get(AdminVillage, village_id)
            if village is None:
                raise NotFound("所选的行政村不存在。")
            confirmed = _confirmed(s, village_id, year)
            heads = assessed_heads(s, village_id, year)
            results = {r.head_id: r for r in s.scalars(select(AssessmentResult).where(
                AssessmentResult.year == year, AssessmentResult.admin_village_id == village_id))}
            scores = _year_scores(s, year, heads)
            rates = _rates(s, heads, year, min(date(year, 12, 31), clock.today()))
            method = confirmed.method if confirmed else current_method(s, rates)
            rows = []
            for head in heads:
                result = results.get(head.head_id)
                counts = tuple(getattr(result, f) for f in COUNT_FIELDS) if result else \
                    (None,) * len(COUNT_FIELDS)
                row_scores, value, level = {}, None, None
                if None not in counts:
                    inputs = Inputs(counts, scores[head.resident_id],  # type: ignore[arg-type]
                                    rates.get("duties", {}).get(head.head_id),
                                    rates.get("rectification", {}).get(head.head_id))
                    row_scores = component_scores(inputs, method)
                    exact = total(row_scores, method)
                    value, level = half_up(exact), grade(exact, method)
                rows.append(SheetRow(head, counts, scores[head.resident_id], row_scores, value, level))
            return Sheet(village_id, village.name, year, method, rows, confirmed)

    def history(self, resident_id: int) -> list[tuple[int, str, GradeRow]]:
        """Every confirmed grade of a person, by year (the history stays with the person)."""
        with self.db.read() as s:
            rows = s.execute(select(Assessment.year, AdminVillage.name, AssessmentGrade.id,
                                    Assessment.admin_village_id)
                             .join(AssessmentGrade, AssessmentGrade.assessment_id == Assessment.id)
                             .join(AdminVillage, AdminVillage.id == Assessment.admin_village_id)
                             .where(AssessmentGrade.resident_id == resident_id)
                             .order_by(Assessment.year)).all()
            found = []
            for year, village, grade_id, village_id in rows:
                self.require_view(village_id)
                confirmed = _confirmed(s, village_id, year)
                found += [(year, village, g) for g in confirmed.grades if g.id == grade_id]
            return found

    # ---- entering and confirming ---------------------------------------------------------------
    def enter_results(self, village_id: int, year: int,
                      rows: Sequence[tuple[int, Sequence[object]]]) -> int:
        """Save the methods' results of some heads: (head_id, nine counts) per head, all or
        nothing. Returns how many heads changed."""
        with self.operation(Permission.PEOPLE) as s:
            self.require(Permission.PEOPLE, village_id)
            _refuse_if_confirmed(s, village_id, year)
            heads = {h.head_id: h for h in assessed_heads(s, village_id, year)}
            existing = {r.head_id: r for r in s.scalars(select(AssessmentResult).where(
                AssessmentResult.year == year, AssessmentResult.admin_village_id == village_id))}
            changed = {}
            for head_id, values in rows:
                head = heads.get(head_id)
                if head is None:
                    raise ValidationError(f"负责人（编号 {head_id}）不是本村{year}年度参加测评的负责人。")
                counts = validate_counts(list(values), f"{head.unit}{head.role_label}{head.name}")
                row = existing.get(head_id)
                if row is not None and tuple(getattr(row, f) for f in COUNT_FIELDS) == counts:
                    continue
                if row is None:
                    row = AssessmentResult(year=year, head_id=head_id, resident_id=head.resident_id,
                                           admin_village_id=village_id)
                    s.add(row)
                    existing[head_id] = row
                for name, value in zip(COUNT_FIELDS, counts, strict=True):
                    setattr(row, name, value)
                row.entered_by, row.updated_at = self.actor.name, utcnow()
                changed[head.name] = list(counts)
            if changed:
                audit.record(s, self.actor, "录入综合测评结果", "assessment_result", None,
                             village_id=village_id, after={"year": year, **changed})
            return len(changed)

    def confirm(self, village_id: int, year: int, on: date | None = None) -> ConfirmOutcome:
        """Compute and freeze every assessed head's grade; propose the 优秀 for the year's
        honours (those who may be honoured), flag the 不称职 for replacement."""
        on = on or clock.today()
        if year > on.year:
            raise ValidationError(f"{year}年度还没有到，不能确认测评结果。")
        with self.operation(Permission.PEOPLE) as s:
            self.require(Permission.PEOPLE, village_id)
            _refuse_if_confirmed(s, village_id, year)
            sheet_rows = self._rows_for_confirming(s, village_id, year)
            rates = _rates(s, [h for h, _, _ in sheet_rows], year, min(date(year, 12, 31), on))
            method = current_method(s, rates)
            assessment = Assessment(admin_village_id=village_id, year=year, confirmed_on=on,
                                    confirmed_by=self.actor.name, method=method.to_json(),
                                    absent="\n".join(method.absent.values()))
            for order, (head, counts, score) in enumerate(sheet_rows, start=1):
                duties = rates.get("duties", {}).get(head.head_id)
                rectification = rates.get("rectification", {}).get(head.head_id)
                exact = total(component_scores(Inputs(counts, score, duties, rectification), method),
                              method)
                assessment.grades.append(AssessmentGrade(
                    head_id=head.head_id, resident_id=head.resident_id, name=head.name,
                    role=head.role_label, unit=head.unit,
                    **dict(zip(COUNT_FIELDS, counts, strict=True)), year_score=score,
                    duties=fraction_text(duties), rectification=fraction_text(rectification),
                    total=half_up(exact), grade=grade(exact, method).value, sort_order=order))
            s.add(assessment)
            s.flush()
            outcome = self._propose(s, assessment, {h.head_id: h for h, _, _ in sheet_rows})
            audit.record(s, self.actor, "确认综合测评", "assessment", assessment.id,
                         village_id=village_id,
                         after={"year": year, "grades": {g.value: n for g, n in outcome.by_grade.items()},
                                "proposed": outcome.proposed, "unfit": outcome.unfit})
            return outcome

    def _rows_for_confirming(self, s: Session, village_id: int, year: int
                             ) -> list[tuple[HeadInfo, tuple[int, ...], int]]:
        heads = assessed_heads(s, village_id, year)
        if not heads:
            raise ValidationError(f"本村{year}年度没有参加测评的负责人。")
        results = {r.head_id: r for r in s.scalars(select(AssessmentResult).where(
            AssessmentResult.year == year, AssessmentResult.admin_village_id == village_id))}
        missing = [h for h in heads if h.head_id not in results or None in
                   tuple(getattr(results[h.head_id], f) for f in COUNT_FIELDS)]
        if missing:
            names = "、".join(f"{h.unit}{h.name}" for h in missing[:5])
            more = f"等{len(missing)}人" if len(missing) > 5 else ""
            raise ValidationError(f"还有负责人的测评结果没有录全：{names}{more}。录全后才能确认。")
        scores = _year_scores(s, year, heads)
        return [(h, tuple(getattr(results[h.head_id], f) for f in COUNT_FIELDS),
                 scores[h.resident_id]) for h in heads]

    def _propose(self, s: Session, assessment: Assessment, heads: dict[int, HeadInfo]) -> ConfirmOutcome:
        kinds = {k.nominee: k for k in s.scalars(select(HonourKind).where(
            HonourKind.scope == HonourScope.VILLAGE, HonourKind.built_in.is_(True),
            HonourKind.nominee.in_(list(HONOUR_FOR.values()))))}
        by_grade = dict.fromkeys(Grade, 0)
        proposed, not_proposed, unfit = [], [], []
        known = eligibility(s, assessment.year, [g.resident_id for g in assessment.grades
                                                 if g.grade == Grade.EXCELLENT.value])
        for row in assessment.grades:
            level = Grade(row.grade)
            by_grade[level] += 1
            if level is Grade.UNFIT:
                unfit.append(f"{row.unit}{row.role}{row.name}")
            if level is not Grade.EXCELLENT:
                continue
            kind = kinds[HONOUR_FOR[heads[row.head_id].role]]
            deeds = (f"{assessment.year}年度综合测评优秀（综合得分{row.total:.2f}），"
                     f"年度积分{row.year_score}分。")
            try:
                nominate_person(s, self, assessment.year, kind, row.resident_id,
                                assessment.admin_village_id, deeds, Source.ASSESSMENT,
                                assessment.confirmed_on, known)
                proposed.append(f"{row.name}（{kind.name}）")
            except ValidationError as refusal:  # refused before anything was written
                not_proposed.append(str(refusal))
        return ConfirmOutcome(assessment.id, by_grade, proposed, not_proposed, unfit)

    # ---- 动态调整: replacing a 不称职 head ---------------------------------------------------------
    def replace_unfit(self, grade_id: int, resident_id: int, *, chosen_on: date,
                      chosen_method: str = "党员群众共同推选", proposer: str = "") -> int:
        """Replace a head graded 不称职 through the organisation's appointment: his appointment
        ends as 撤换 with the assessment as its reason. Returns the new appointment's id."""
        with self.operation(Permission.EDIT_ORGANISATION) as s:
            row = s.get(AssessmentGrade, grade_id)
            if row is None:
                raise NotFound("这条测评结果不存在，请刷新后重试。")
            assessment = row.assessment
            self.require(Permission.EDIT_ORGANISATION, assessment.admin_village_id)
            if row.grade != Grade.UNFIT.value:
                raise ValidationError(f"“{row.name}”{assessment.year}年度测评为{row.grade}，"
                                      "只有不称职的负责人按测评结果撤换。")
            if s.scalar(select(AssessmentReplacement.id).where(
                    AssessmentReplacement.grade_id == grade_id)) is not None:
                raise ValidationError(f"“{row.name}”已按{assessment.year}年度测评结果撤换过。")
            head = head_infos(s, [row.head_id])[row.head_id]
            if head.ended_on is not None:
                raise ValidationError(f"“{row.name}”的{head.role_label}任职已于{head.ended_on}结束，"
                                      "无需再撤换。")
            if chosen_on < assessment.confirmed_on:
                raise ValidationError(f"撤换日期不能早于测评确认日期（{assessment.confirmed_on}）。")
            village = s.get(AdminVillage, assessment.admin_village_id).name
            reason = (f"{assessment.year}年度综合测评不称职（综合得分{row.total:.2f}，"
                      f"{village}党支部{assessment.confirmed_on:%Y年%m月%d日}确认），依测评结果撤换")
            serving = s.get(Head, row.head_id)
            unit_id = serving.zone_id if head.role is HeadRole.ZONE else serving.alley_id
            new = appoint(s, self, head.role, unit_id, resident_id,
                          chosen_on=chosen_on, chosen_method=chosen_method, proposer=proposer,
                          end_reason=reason, dismissed=True)
            s.add(AssessmentReplacement(grade_id=grade_id, ended_head_id=row.head_id,
                                        new_head_id=new.id, replaced_on=chosen_on,
                                        replaced_by=self.actor.name))
            audit.record(s, self.actor, "按测评结果撤换负责人", "assessment_replacement", None,
                         village_id=assessment.admin_village_id,
                         after={"year": assessment.year, "resident": row.name,
                                "head_id": new.id, "reason": reason})
            return new.id


def _refuse_if_confirmed(s: Session, village_id: int, year: int) -> None:
    done = s.scalar(select(Assessment).where(Assessment.admin_village_id == village_id,
                                             Assessment.year == year))
    if done is not None:
        raise ValidationError(f"本村{year}年度综合测评已于{done.confirmed_on:%Y年%m月%d日}确认，"
                              "结果不能再修改。")


def _confirmed(s: Session, village_id: int, year: int) -> Confirmed | None:
    found = s.scalar(select(Assessment).where(Assessment.admin_village_id == village_id,
                                              Assessment.year == year)
                     .options(selectinload(Assessment.grades)))
    if found is None:
        return None
    method = Method.from_json(found.method)
    replaced = {r.grade_id: r for r in s.scalars(select(AssessmentReplacement).where(
        AssessmentReplacement.grade_id.in_([g.id for g in found.grades])))}
    successors = head_infos(s, [r.new_head_id for r in replaced.values()])
    graded = head_infos(s, [g.head_id for g in found.grades])
    rows = []
    for g in found.grades:
        counts = tuple(getattr(g, f) for f in COUNT_FIELDS)
        scores = component_scores(Inputs(counts, g.year_score, parse_fraction(g.duties),
                                         parse_fraction(g.rectification)), method)
        done = replaced.get(g.id)
        note = f"{done.replaced_on} 由{successors[done.new_head_id].name}接任" if done else ""
        rows.append(GradeRow(g.id, g.head_id, g.resident_id, g.name, g.role, g.unit, counts,
                             g.year_score, scores, g.total, Grade(g.grade), note, graded[g.head_id]))
    return Confirmed(found.id, found.confirmed_on, found.confirmed_by, method, rows)
