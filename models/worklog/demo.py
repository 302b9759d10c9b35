"""The demo's 三个一 log: every alley head's patrols, weekly summaries, visits and findings from
January to November of the demo year, and the matters handled as the seven officers.

`step` writes the log in bulk (a county is 7,700 heads). The points step then posts the three
duties' points from this log through the settlement's own arithmetic (`DutySettler`): at each
month's end the head's month is proposed by `proposal.propose` against what his passbook already
holds, the lines are posted as entries of the passbook being written, and the settlement lines
recorded as `SettlementService.confirm` records them — so a preview of any settled demo month
finds nothing to post. October is the last month settled; November waits for the secretary."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from models.core.db import Database
from models.demo.bulk import insert_rows
from models.org.tables import AdminVillage, Head, HeadRole, Household
from models.worklog.calendar import Month, bit
from models.worklog.month_data import HeadLog, month_logs
from models.worklog.proposal import Line, Occurrences, propose
from models.worklog.settlement import KEY_PREFIX, entry_note, rule_terms
from models.worklog.tables import (
    Finding,
    Matter,
    MatterStatus,
    OfficerRole,
    PatrolChange,
    PatrolMonth,
    PatrolSource,
    Settlement,
    SettlementLine,
    Visit,
    WeeklySummary,
)

YEAR = 2026
FIRST_MONTH, LAST_MONTH = Month(YEAR, 1), Month(YEAR, 11)
LAST_SETTLED = Month(YEAR, 10)
CLERK = "村文书"
CHUNK = 500  # heads per bulk insert

FINDINGS = ("门前堆放柴草未清理", "路边有生活垃圾", "排水沟堵塞", "墙面乱贴小广告", "私搭乱建棚子",
            "垃圾桶满溢未清运", "路灯不亮", "畜禽散养粪便未清")
SUMMARIES = ("本周巡查胡同环境整洁，督促{n}户清理门前杂物", "本周发现问题{n}处，已当场整改",
             "组织本胡同群众集中清理卫生死角{n}处", "本周环境卫生良好，继续保持",
             "督促农户落实门前三包，清理柴草堆{n}处")
OPINIONS = ("希望增设垃圾桶", "建议硬化胡同路面", "路灯需要维修", "对环境整治很满意",
            "希望多组织集中清扫", "排水不畅，雨天积水")
MATTERS = {
    OfficerRole.INFORMATION: ("收集群众对胡同路面硬化的意见", "反映村口垃圾清运不及时"),
    OfficerRole.POLICY: ("宣传农村人居环境整治政策", "讲解门前三包责任要求"),
    OfficerRole.DISPUTE: ("调解邻里宅基地边界纠纷", "调解两户因排水引起的矛盾"),
    OfficerRole.SANITATION: ("督导农户清理房前屋后杂物", "督促清理胡同卫生死角"),
    OfficerRole.CUSTOMS: ("劝导红白事简办", "倡导文明节俭办婚事"),
    OfficerRole.SAFETY: ("发现电线私拉乱接隐患", "提醒独居老人冬季用火安全"),
    OfficerRole.KEY_WORK: ("协助入户登记人口信息", "协助开展秸秆禁烧巡查"),
}


def _diligence(rng: random.Random) -> float:
    return rng.choices([0.25, 0.6, 0.8, 0.95], weights=[4, 30, 50, 16])[0]


class _Ids:
    def __init__(self, session: Session, *models: type) -> None:
        self.next = {m: (session.scalar(select(func.max(m.id))) or 0) + 1 for m in models}

    def __call__(self, model: type) -> int:
        value = self.next[model]
        self.next[model] += 1
        return value


def step(db: Database, seed: int) -> None:
    with db.write() as session:
        if session.scalar(select(PatrolMonth.id).limit(1)) is not None:
            return
        heads = session.execute(
            select(Head.id, Head.alley_id, Head.admin_village_id, Head.started_on)
            .where(Head.role == HeadRole.ALLEY, Head.ended_on.is_(None)).order_by(Head.id)).all()
        households: dict[int, list[int]] = {}
        for household_id, alley_id in session.execute(
                select(Household.id, Household.alley_id).where(Household.removed_on.is_(None))
                .order_by(Household.id)):
            households.setdefault(alley_id, []).append(household_id)
        ids = _Ids(session, PatrolMonth, WeeklySummary, Visit, Finding, Matter)
        rows: dict[type, list[dict[str, Any]]] = {m: [] for m in (*ids.next, PatrolChange)}
        for number, (head_id, alley_id, village_id, started) in enumerate(heads, 1):
            rng = random.Random(f"{seed}-worklog-{head_id}")
            _head_year(rows, ids, rng, head_id, village_id, max(started, FIRST_MONTH.first),
                       households.get(alley_id, []))
            if number % CHUNK == 0:
                _write(session, rows)
        _write(session, rows)
        if not db.is_sqlite:
            for model in ids.next:
                table = model.__tablename__
                session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))


def _write(session: Session, rows: dict[type, list[dict[str, Any]]]) -> None:
    for model, batch in rows.items():  # PatrolMonth before its changes: dicts keep order
        insert_rows(session, model.__table__, batch)
        batch.clear()


def _head_year(rows, ids: _Ids, rng: random.Random, head_id: int, village_id: int,  # type: ignore[no-untyped-def]
               start: date, households: list[int]) -> None:
    diligence = _diligence(rng)
    patrol, summary, visit = 0.46 + 0.12 * diligence, 0.4 + 0.25 * diligence, 0.3 + 0.4 * diligence
    month = FIRST_MONTH
    while month <= LAST_MONTH:
        _patrols(rows, ids, rng, head_id, month, start, patrol)
        for monday in month.weeks():
            if start <= monday and rng.random() < summary:
                found = rng.randint(0, 4)
                rows[WeeklySummary].append(dict(
                    id=ids(WeeklySummary), head_id=head_id, week_start=monday,
                    text=rng.choice(SUMMARIES).format(n=max(found, 1)), found=found,
                    fixed=found - (rng.random() < 0.2 and found > 0),
                    recorded_at=_at(monday + timedelta(days=7), 17), user_name=CLERK))
        _visits(rows, ids, rng, head_id, month, households, visit)
        if rng.random() < 0.3:
            role = rng.choice(list(OfficerRole))
            on = month.day(rng.randint(1, month.days))
            status = None if not role.has_status else rng.choices(
                list(MatterStatus), weights=[1, 6, 1])[0]
            rows[Matter].append(dict(
                id=ids(Matter), admin_village_id=village_id, head_id=head_id, household_id=None,
                occurred_on=on, role=role, text=rng.choice(MATTERS[role]), status=status,
                recorded_at=_at(on, 18), user_name=CLERK))
        month = month.next()


def _patrols(rows, ids: _Ids, rng: random.Random, head_id: int, month: Month, start: date,  # type: ignore[no-untyped-def]
             share: float) -> None:
    """About `share` of the days in office patrolled (a head keeps his habits month to month)."""
    days = [d for d in range(1, month.days + 1) if month.day(d) >= start]
    count = min(len(days), max(0, round(len(days) * share + rng.gauss(0, 1))))
    mask = 0
    for day in sorted(rng.sample(days, count)):
        mask |= bit(day)
        if rng.random() < 0.03:
            rows[Finding].append(dict(id=ids(Finding), head_id=head_id, day=month.day(day),
                                      text=rng.choice(FINDINGS), recorded_at=_at(month.day(day), 18),
                                      user_name=CLERK, raised_as=""))
    if not mask:
        return
    patrol_id = ids(PatrolMonth)
    rows[PatrolMonth].append(dict(id=patrol_id, head_id=head_id, month=month.key, days=mask,
                                  changes=1))
    rows[PatrolChange].append(dict(patrol_id=patrol_id, seq=1, set_days=mask, cleared_days=0,
                                   recorded_at=_at(month.last, 20), user_name=CLERK,
                                   source=PatrolSource.DEMO))


def _visits(rows, ids: _Ids, rng: random.Random, head_id: int, month: Month,  # type: ignore[no-untyped-def]
            households: list[int], chance: float) -> None:
    visited = households if rng.random() < chance else \
        [h for h in households if rng.random() < 0.6]
    for household_id in visited:
        on = month.day(rng.randint(5, 25))
        rows[Visit].append(dict(
            id=ids(Visit), head_id=head_id, month=month.key, household_id=household_id,
            visited_on=on, opinion=rng.choice(OPINIONS) if rng.random() < 0.2 else ""))


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


Post = Callable[[Line, str, str], int]  # (line, note, idempotency key) → the entry's id


class DutySettler:
    """The demo's month-end settlements of the three duties, for the points step: what
    `SettlementService.confirm` would post, computed by the same `propose`, posted by the points
    step's bulk writer into the passbook it is writing, in date order."""

    def __init__(self, session: Session) -> None:
        self.rules = rule_terms(session)
        self.used = Occurrences()
        self.logs: dict[int, list[HeadLog]] = {}  # resident → his heads' months, in order
        self.at_month_end: dict[tuple[int, date], list[HeadLog]] = {}
        month = FIRST_MONTH
        while month <= LAST_SETTLED:
            for log in month_logs(session, month):
                self.logs.setdefault(log.resident_id, []).append(log)
                self.at_month_end.setdefault((log.resident_id, month.last), []).append(log)
            month = month.next()
        secretaries = dict(session.execute(select(AdminVillage.id, AdminVillage.secretary_name)).all())
        first = (session.scalar(select(func.max(Settlement.id))) or 0) + 1
        keys = sorted({(log.village_id, log.log.month.key) for logs in self.logs.values()
                       for log in logs})
        self.settlements = {key: dict(
            id=first + number, admin_village_id=key[0], month=key[1],
            confirmed_at=_at(Month.from_key(key[1]).next().first, 9), user_id=None,
            user_name=secretaries.get(key[0]) or "村党支部书记") for number, key in enumerate(keys)}
        self.lines: list[dict[str, Any]] = []

    def month_ends(self, resident_id: int) -> list[date]:
        return sorted({log.log.month.last for log in self.logs.get(resident_id, [])})

    def by_hand(self, resident_id: int, code: str, on: date) -> None:
        """An entry of a duty rule the points step posted by hand counts against the limits."""
        if code in self.rules:
            self.used.add(resident_id, self.rules[code].id, [on])

    def settle(self, resident_id: int, month_end: date, post: Post) -> None:
        for log in self.at_month_end.get((resident_id, month_end), []):
            month = log.log.month
            for line in propose(log.log, self.rules, self.used).lines:
                entry_id = post(line, entry_note(log, line),
                                f"{KEY_PREFIX}:{log.head_id}:{month.key}:{line.rule.id}:1")
                self.lines.append(dict(
                    settlement_id=self.settlements[(log.village_id, month.key)]["id"],
                    head_id=log.head_id, month=month.key, rule_id=line.rule.id, revision=1,
                    times=line.times, days=line.days, requested=line.requested,
                    entry_id=entry_id, reversal_id=None))

    def write(self, session: Session) -> None:
        """The settlements and their lines, after the ledger entries they name."""
        insert_rows(session, Settlement.__table__, list(self.settlements.values()))
        insert_rows(session, SettlementLine.__table__, self.lines)
        if session.get_bind().dialect.name != "sqlite":
            for table in ("worklog_settlement", "worklog_settlement_line"):
                session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
