"""`check` for the people area: every published honours list still says what it said on the
day of publication; every confirmed grade still follows from its own inputs and the stated
method; every talent-pool entry fits its register (后备干部 party members, 推荐入党 non-members,
as they were on entry), starts with 入库 and is the person's only open one in its register."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core.checks import invariant
from models.people.grading import Inputs, Method, component_scores, grade, half_up, parse_fraction, total
from models.people.tables import (
    COUNT_FIELDS,
    HONOUR_ENTRY_FIELDS,
    HONOUR_LIST_FIELDS,
    Assessment,
    AssessmentGrade,
    HonourEntry,
    HonourList,
    TalentCategory,
    TalentEntry,
    TalentEvent,
    TalentStatus,
    record_hash,
)

LIMIT = 50


@invariant
def published_honours_unchanged(session: Session) -> list[str]:
    entries = defaultdict(list)
    for row in session.execute(select(HonourEntry.list_id,
                                      *(getattr(HonourEntry, f) for f in HONOUR_ENTRY_FIELDS))):
        entries[row.list_id].append(row)
    problems = []
    for row in session.execute(select(HonourList.id, HonourList.snapshot_hash,
                                      *(getattr(HonourList, f) for f in HONOUR_LIST_FIELDS))
                               .order_by(HonourList.id)):
        if record_hash(row, HONOUR_LIST_FIELDS, entries.get(row.id, []),
                       HONOUR_ENTRY_FIELDS) != row.snapshot_hash:
            problems.append(f"{row.township_name}{row.year}年度评先树优名单第{row.version}版"
                            f"（{row.doc_number}）的内容与公示时不符，已被程序以外的方式改动。")
    return problems[:LIMIT]


@invariant
def assessment_grades_follow_from_their_inputs(session: Session) -> list[str]:
    methods = {a.id: (Method.from_json(a.method), a.year) for a in session.scalars(select(Assessment))}
    problems = []
    for g in session.scalars(select(AssessmentGrade).order_by(AssessmentGrade.id)):
        method, year = methods[g.assessment_id]
        inputs = Inputs(tuple(getattr(g, f) for f in COUNT_FIELDS), g.year_score,
                        parse_fraction(g.duties), parse_fraction(g.rectification))
        try:
            exact = total(component_scores(inputs, method), method)
        except (ZeroDivisionError, ValueError):
            problems.append(f"{year}年度综合测评“{g.unit}{g.name}”的票数不完整，无法复算。")
            continue
        if half_up(exact) != g.total or grade(exact, method).value != g.grade:
            problems.append(f"{year}年度综合测评“{g.unit}{g.name}”记为{g.total}分、{g.grade}，"
                            f"按其票数和测评办法复算为{half_up(exact)}分、{grade(exact, method).value}。")
    return problems[:LIMIT]


@invariant
def talent_entries_fit_their_registers(session: Session) -> list[str]:
    events = defaultdict(list)
    for event in session.scalars(select(TalentEvent).order_by(TalentEvent.id)):
        events[event.entry_id].append(event.status)
    problems, open_entries = [], defaultdict(int)
    for entry in session.scalars(select(TalentEntry).order_by(TalentEntry.id)):
        where = f"人才库记录 {entry.id}（{entry.category.label}）"
        if entry.category is TalentCategory.RESERVE_CADRE and not entry.party_member:
            problems.append(f"{where}：入库时不是党员，不能作为后备干部。")
        if entry.category is TalentCategory.PARTY_CANDIDATE and entry.party_member:
            problems.append(f"{where}：入库时已是党员，不能列入推荐入党。")
        history = events.get(entry.id, [])
        if not history or history[0] is not TalentStatus.ENTERED:
            problems.append(f"{where}：状态记录不是从“入库”开始。")
        if TalentStatus.LEFT in history[:-1]:
            problems.append(f"{where}：出库之后又有状态变更。")
        if history and history[-1] is not TalentStatus.LEFT:
            open_entries[(entry.resident_id, entry.category)] += 1
    problems += [f"居民（编号 {resident}）在“{category.label}”名册中有 {n} 条未出库的记录。"
                 for (resident, category), n in open_entries.items() if n > 1]
    return problems[:LIMIT]
