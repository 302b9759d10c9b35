"""积分银行 operations: the rules catalogue, awards and deductions by rule (one or many heads),
reversals, the passbook view, the year end and the warnings."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models.core import audit, clock, files, settings, text_limits
from models.core.access import Permission
from models.core.base import utcnow
from models.core.errors import NotFound, ValidationError
from models.core.files import FileContent, StoredFile
from models.core.service import Service
from models.core.validation import normalise_text, search_text
from models.org.naming import unit_label
from models.org.tables import AdminVillage, Alley, Head, NaturalVillage, Resident, Zone
from models.points import batch, evidence, ledger
from models.points import years as entry_years
from models.points.talks import on_talk_list
from models.points.tables import (
    ClosedYear,
    EntryKind,
    LedgerEntry,
    LimitPeriod,
    Passbook,
    PointsRule,
    Shortfall,
)


@dataclass(frozen=True)
class HeadHit:
    head_id: int
    resident_id: int
    name: str
    role: str
    unit: str
    village: str
    phone: str
    village_id: int


@dataclass(frozen=True)
class EntryRow:
    id: int
    seq: int
    kind: EntryKind
    occurred_on: date
    rule_code: str
    text: str
    requested: int
    score_delta: int
    spend_delta: int
    score_after: int
    balance_after: int
    operator: str
    recorded_at: str
    evidence_path: str
    reverses_seq: int | None
    reversed_by_seq: int | None

    @property
    def reversible(self) -> bool:
        return self.reversed_by_seq is None and self.kind in (
            EntryKind.AWARD, EntryKind.DEDUCTION, EntryKind.REDEMPTION)


@dataclass
class PassbookView:
    head: HeadHit
    year: int
    passbook_id: int | None
    opening: int
    score: int
    balance: int
    closed_on: date | None
    cap: int
    entries: list[EntryRow] = field(default_factory=list)

    @property
    def spendable(self) -> int:
        return max(self.balance, 0)

    @property
    def shortfall(self) -> Shortfall:
        return Shortfall.of(self.score, self.opening, self.score - self.opening - self.balance)

    @property
    def owed(self) -> int:
        """Points spent and left uncovered by later deductions (欠分)."""
        return self.shortfall.owed

    @property
    def below_opening(self) -> int:
        """How far the score lies below the unspendable opening points, beyond any owing."""
        return self.shortfall.below_opening

    def shortfall_after(self, entry: EntryRow) -> Shortfall:
        spent = entry.score_after - self.opening - entry.balance_after
        return Shortfall.of(entry.score_after, self.opening, spent)


@dataclass(frozen=True)
class RuleInput:
    code: str
    text: str
    points: int
    category: str = ""
    evidence_required: bool = False
    limit_count: int | None = None
    limit_period: LimitPeriod | None = None
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True)
class RuleRow:
    id: int
    code: str
    text: str
    points: int
    category: str
    evidence_required: bool
    limit_count: int | None
    limit_period: LimitPeriod | None
    valid_from: date | None
    valid_to: date | None

    def in_force(self, on: date) -> bool:
        return not ((self.valid_from and on < self.valid_from) or (self.valid_to and on > self.valid_to))

    @property
    def limit_label(self) -> str:
        if self.limit_count is None or self.limit_period is None:
            return "不限"
        return f"{self.limit_period.label}{self.limit_count}次"


@dataclass(frozen=True)
class WarningRow:
    """A head on the 约谈 list: since when, and through which entries."""

    head: HeadHit
    passbook_id: int
    score: int
    since: date
    reasons: list[str]
    at_zero: bool


@dataclass(frozen=True)
class LapseRow:
    head: HeadHit
    passbook_id: int
    score: int
    spendable: int


@dataclass(frozen=True)
class YearCloseResult:
    year: int
    closed: int
    opened: int
    already_closed: bool = False


class PointsService(Service):
    # ---- finding heads -------------------------------------------------------------------
    def find_heads(self, query: str, limit: int = 50) -> list[HeadHit]:
        """Current heads by name, pinyin initials or phone digits (the one search method)."""
        text = search_text(query).lower()
        if not text:
            return []
        conditions = [Resident.name.contains(text, autoescape=True),
                      Resident.name_initials.startswith(text, autoescape=True)]
        if text.isdigit():
            conditions.append(Resident.phone.contains(text, autoescape=True))
        with self.db.read() as s:
            stmt = _head_query().where(Head.ended_on.is_(None), or_(*conditions))
            scope = self._scope()
            if scope is not None:
                stmt = stmt.where(Head.admin_village_id.in_(scope))
            rows = s.execute(stmt.order_by(Resident.name_initials, Head.id).limit(limit)).all()
            return [_hit(row) for row in rows]

    def heads_of_village(self, village_id: int) -> list[HeadHit]:
        self.require_view(village_id)
        with self.db.read() as s:
            rows = s.execute(_head_query().where(Head.ended_on.is_(None),
                                                 Head.admin_village_id == village_id)
                             .order_by(Head.role, Zone.sort_order, Alley.sort_order)).all()
            return [_hit(row) for row in rows]

    def villages(self) -> list[tuple[int, str]]:
        with self.db.read() as s:
            rows = s.execute(select(AdminVillage.id, AdminVillage.name)
                             .order_by(AdminVillage.township_id, AdminVillage.sort_order)).all()
        return [(i, n) for i, n in rows if self.visible(i)]

    def _scope(self) -> frozenset[int] | None:
        """The villages this account sees; None: the whole township."""
        return self.actor.villages

    # ---- passbook --------------------------------------------------------------------------
    def passbook(self, head_id: int, year: int) -> PassbookView:
        """The person's passbook of the year: entries with running score and spendable balance."""
        with self.db.read() as s:
            row = s.execute(_head_query().where(Head.id == head_id)).one_or_none()
            if row is None:
                raise NotFound(f"负责人（编号 {head_id}）不存在。")
            hit = _hit(row)
            self.require_view(hit.village_id)
            book = s.scalar(select(Passbook).where(Passbook.resident_id == hit.resident_id,
                                                   Passbook.year == year))
            cap = settings.get(s, ledger.ANNUAL_CAP)
            if book is None:
                opening = settings.get(s, ledger.OPENING_POINTS)
                return PassbookView(hit, year, None, opening, 0, 0, None, cap)
            return PassbookView(hit, year, book.id, book.opening, book.score, book.balance,
                                book.closed_on, cap, _entries(s, book))

    def working_year(self) -> int:
        """The year the pages open on: the current one, or in January the just-ended year
        while it still waits for its close."""
        with self.db.read() as s:
            return entry_years.working_year(s, clock.today())

    def open_years(self) -> list[int]:
        """The years that take entries today, oldest first."""
        with self.db.read() as s:
            return entry_years.open_years(s, clock.today())

    def years(self, head_id: int) -> list[int]:
        with self.db.read() as s:
            head = _head(s, head_id)
            self.require_view(head.admin_village_id)
            return list(s.scalars(select(Passbook.year).where(Passbook.resident_id == head.resident_id)
                                  .order_by(Passbook.year)))

    # ---- rules catalogue -------------------------------------------------------------------
    def rules(self) -> list[RuleRow]:
        with self.db.read() as s:
            return [_rule_row(r) for r in s.scalars(
                select(PointsRule).order_by(PointsRule.sort_order, PointsRule.code))]

    def save_rule(self, rule_id: int | None, data: RuleInput) -> int:
        """Create (rule_id None) or change a rule. Past entries keep their own copy. The catalogue
        is shared by every village in the database: on a village office's own database the
        secretary keeps it; on a township's shared one only the township administrator may."""
        with self.operation(Permission.EDIT_POINTS) as s:
            self.require(Permission.EDIT_POINTS, _catalogue_village(s))
            values = _validated_rule(data)
            clash = s.scalar(select(PointsRule.id).where(PointsRule.code == values["code"]))
            if clash is not None and clash != rule_id:
                raise ValidationError(f"细则编号“{values['code']}”已被使用，请换一个。")
            if rule_id is None:
                order = (s.scalar(select(func.max(PointsRule.sort_order))) or 0) + 1
                rule = PointsRule(sort_order=order, **values)
                s.add(rule)
                before = None
            else:
                rule = s.get(PointsRule, rule_id)
                if rule is None:
                    raise NotFound(f"积分细则（编号 {rule_id}）不存在。")
                before = {k: getattr(rule, k) for k in values}
                for key, value in values.items():
                    setattr(rule, key, value)
            s.flush()
            audit.record(s, self.actor, "保存积分细则", "points_rule", rule.id,
                         before=before, after=values)
            return rule.id

    def may_edit_rules(self) -> bool:
        with self.db.read() as s:
            return self.actor.may(Permission.EDIT_POINTS, _catalogue_village(s))

    # ---- posting ---------------------------------------------------------------------------
    def post(self, head_id: int, rule_id: int, on: date, note: str = "", *,
             evidence_file: Path | None = None, idempotency_key: str | None = None) -> int:
        """An award or deduction by rule for one head; returns the entry id."""
        return self.post_batch([head_id], rule_id, on, note, evidence_file=evidence_file,
                               idempotency_key=idempotency_key)[0]

    def post_batch(self, head_ids: list[int], rule_id: int, on: date, note: str = "", *,
                   evidence_file: Path | None = None,
                   idempotency_key: str | None = None) -> list[int]:
        """The same rule for many heads at once (a village's monthly visits): all or nothing."""
        if not head_ids:
            raise ValidationError("请至少选择一位片区长或胡同长。")
        text_limits.check(LedgerEntry.note, note)  # the batch writes past the ORM's flush check
        attached = evidence.prepare(evidence_file) if evidence_file else None
        with self.operation(Permission.EDIT_POINTS) as s:
            # A retry finds each head's entry by its key ("<key>:<head>") and writes nothing.
            kept = {}
            if attached is not None:  # the file, once for each village of the heads
                villages = s.scalars(select(Head.admin_village_id).where(Head.id.in_(head_ids)))
                for village in sorted(set(villages)):
                    self.require(Permission.EDIT_POINTS, village)
                    kept[village] = evidence.store(s, attached, village, self.actor.name)
            return batch.post(s, self.actor, head_ids, rule_id, on, note, kept, idempotency_key,
                              lambda village: self.require(Permission.EDIT_POINTS, village))

    def reverse(self, entry_id: int, reason: str, *, idempotency_key: str | None = None) -> int:
        with self.operation(Permission.EDIT_POINTS) as s:
            original = s.get(LedgerEntry, entry_id)
            if original is None:
                raise NotFound(f"积分流水（编号 {entry_id}）不存在。")
            village_id = s.scalar(select(Passbook.admin_village_id)
                                  .where(Passbook.id == original.passbook_id))
            self.require(Permission.EDIT_POINTS, village_id)
            entry = ledger.reverse(s, self.actor, entry_id, reason,
                                   idempotency_key=idempotency_key)
            audit.record(s, self.actor, "冲正积分", "ledger_entry", entry.id,
                         village_id=village_id,
                         after={"reverses": entry_id, "reason": reason,
                                "passbook": entry.passbook_id, "seq": entry.seq})
            return entry.id

    def import_evidence(self, folder: Path) -> evidence.Imported:
        """Bring the evidence files this PC kept in its data folder (before files lived in the
        database) into the database, each checked against the hash its entry recorded."""
        with self.operation(Permission.EDIT_POINTS) as s:
            self.require(Permission.EDIT_POINTS, None)
            done = evidence.import_folder(s.connection(), Path(folder), self.actor.name)
            audit.record(s, self.actor, "导入积分证据文件", "stored_file", None,
                         after={"folder": str(folder), "imported": done.imported,
                                "missing": len(done.missing)})
            return done

    def evidence_of(self, entry_id: int) -> FileContent:
        """The evidence attached to an entry, as stored in the database (checked against its
        hash), for whoever may see the entry's village."""
        with self.db.read() as s:
            row = s.execute(select(LedgerEntry.evidence_path, LedgerEntry.evidence_sha256,
                                   Passbook.admin_village_id)
                            .join(Passbook, Passbook.id == LedgerEntry.passbook_id)
                            .where(LedgerEntry.id == entry_id)).first()
            if row is None or not row.evidence_sha256:
                raise NotFound("所选记录没有附证据。")
            self.require_view(row.admin_village_id)
            stored = s.scalar(select(StoredFile.id).where(
                StoredFile.admin_village_id == row.admin_village_id,
                StoredFile.sha256 == row.evidence_sha256))
            if stored is None:
                raise NotFound(f"证据“{PurePosixPath(row.evidence_path).name}”还没有存入数据库："
                               "它仍在当初登记的那台电脑上。请在那台电脑上运行 import-evidence。")
            file = files.load(s, stored)
            return FileContent(name=PurePosixPath(row.evidence_path).name, content=file.content,
                               media_type=file.media_type)

    # ---- year end --------------------------------------------------------------------------
    def close_year(self, year: int, today: date | None = None) -> YearCloseResult:
        """Close every open passbook of `year` with a year-end entry and open `year + 1` at the
        opening points for every current head. Running it again changes nothing."""
        today = today or clock.today()
        if year >= today.year:
            raise ValidationError(f"{year}年度还没有结束，不能结转。")
        with self.operation(Permission.EDIT_POINTS) as s:
            self.require(Permission.EDIT_POINTS, None)
            if s.get(ClosedYear, year) is not None:
                return YearCloseResult(year, 0, 0, already_closed=True)
            if s.scalar(select(Passbook.id).where(Passbook.year == year).limit(1)) is None:
                raise ValidationError(f"{year}年度没有任何积分存折，无需结转（请核对年度）。")
            s.add(ClosedYear(year=year, closed_at=utcnow(), closed_by=self.actor.name))
            closed = opened = 0
            open_ids = list(s.scalars(select(Passbook.id).where(
                Passbook.year == year, Passbook.closed_on.is_(None)).order_by(Passbook.id)))
            for passbook_id in open_ids:
                ledger.close_passbook(s, self.actor, ledger.lock_passbook(s, passbook_id),
                                      date(year, 12, 31))
                closed += 1
            have = set(s.scalars(select(Passbook.resident_id).where(Passbook.year == year + 1)))
            for head in s.scalars(select(Head).where(Head.ended_on.is_(None)).order_by(Head.id)):
                if head.resident_id not in have:
                    ledger.passbook_for(s, self.actor, head, year + 1)
                    have.add(head.resident_id)
                    opened += 1
            audit.record(s, self.actor, "积分年度结转", "passbook", None,
                         after={"year": year, "closed": closed, "opened": opened})
            return YearCloseResult(year, closed, opened)

    # ---- warnings --------------------------------------------------------------------------
    def talk_list(self, year: int, village_id: int | None = None) -> list[WarningRow]:
        """约谈名单: heads whose score is below the opening or at 0; they also lose this year's
        honours eligibility. Each row says since when and through which entries."""
        with self.db.read() as s:
            rows = s.execute(self._books(year, village_id).where(on_talk_list())).all()
            return [_warning(s, book, _hit(rest)) for book, *rest in rows]

    def lapsing(self, year: int, village_id: int | None = None) -> list[LapseRow]:
        """Heads with spendable points that will lapse at the year end (warned in December)."""
        with self.db.read() as s:
            rows = s.execute(self._books(year, village_id).where(
                Passbook.closed_on.is_(None),
                Passbook.score - Passbook.opening - Passbook.spent > 0)).all()
            return [LapseRow(_hit(rest), book.id, book.score, book.balance)
                    for book, *rest in rows]

    def _books(self, year: int, village_id: int | None):  # type: ignore[no-untyped-def]
        scope = self._scope()
        if village_id is not None:
            self.require_view(village_id)
        stmt = (_with_units(select(Passbook, *_HEAD_COLUMNS).select_from(Passbook)
                .join(Head, Head.id == Passbook.head_id).join(Resident, Resident.id == Head.resident_id)
                .join(AdminVillage, AdminVillage.id == Head.admin_village_id))
                .where(Passbook.year == year)
                .order_by(AdminVillage.sort_order, Passbook.score, Resident.name_initials))
        if village_id is not None:
            stmt = stmt.where(Passbook.admin_village_id == village_id)
        elif scope is not None:
            stmt = stmt.where(Passbook.admin_village_id.in_(scope))
        return stmt


_HEAD_COLUMNS = (Head.id, Head.resident_id, Resident.name, Head.role, AdminVillage.name,
                 Resident.phone, Head.admin_village_id, NaturalVillage.name, Zone.name, Alley.name)


def _with_units(stmt):  # type: ignore[no-untyped-def]
    """The zone or alley a head is responsible for, with its natural village (unit_label)."""
    return (stmt.outerjoin(Alley, Alley.id == Head.alley_id)
            .outerjoin(Zone, Zone.id == func.coalesce(Head.zone_id, Alley.zone_id))
            .outerjoin(NaturalVillage, NaturalVillage.id == Zone.natural_village_id))


def _head_query():  # type: ignore[no-untyped-def]
    stmt = (select(*_HEAD_COLUMNS).select_from(Head)
            .join(Resident, Resident.id == Head.resident_id)
            .join(AdminVillage, AdminVillage.id == Head.admin_village_id))
    return _with_units(stmt)


def head_hits(session: Session, head_ids: list[int]) -> dict[int, HeadHit]:
    """The heads by id, each with its unit named unambiguously (for messages and lists)."""
    hits: dict[int, HeadHit] = {}
    for start in range(0, len(head_ids), 1000):
        rows = session.execute(_head_query().where(Head.id.in_(head_ids[start:start + 1000])))
        hits.update((row[0], _hit(row)) for row in rows)
    return hits


def _hit(row) -> HeadHit:  # type: ignore[no-untyped-def]
    head_id, resident_id, name, role, village, phone, village_id, natural, zone, alley = row
    unit = unit_label(natural or "", zone or "", alley or "")
    return HeadHit(head_id, resident_id, name, role.label, unit, village, phone, village_id)


def _head(s: Session, head_id: int) -> Head:
    head = s.get(Head, head_id)
    if head is None:
        raise NotFound(f"负责人（编号 {head_id}）不存在。")
    return head


def _entries(s: Session, book: Passbook) -> list[EntryRow]:
    rows = s.execute(select(
        LedgerEntry.id, LedgerEntry.seq, LedgerEntry.kind, LedgerEntry.occurred_on,
        LedgerEntry.rule_code, LedgerEntry.rule_text, LedgerEntry.note, LedgerEntry.requested,
        LedgerEntry.score_delta, LedgerEntry.spend_delta, LedgerEntry.score_after,
        LedgerEntry.spent_after, LedgerEntry.operator_name, LedgerEntry.recorded_at,
        LedgerEntry.evidence_path, LedgerEntry.reverses_id,
    ).where(LedgerEntry.passbook_id == book.id).order_by(LedgerEntry.seq)).all()
    seq_of = {row.id: row.seq for row in rows}
    reversed_by = {row.reverses_id: row.seq for row in rows if row.reverses_id is not None}
    return [EntryRow(
        r.id, r.seq, r.kind, r.occurred_on, r.rule_code,
        f"{r.rule_text}：{r.note}" if r.rule_text and r.note else (r.rule_text or r.note),
        r.requested, r.score_delta, r.spend_delta, r.score_after,
        r.score_after - book.opening - r.spent_after, r.operator_name,
        f"{r.recorded_at:%Y-%m-%d %H:%M}", r.evidence_path,
        seq_of.get(r.reverses_id) if r.reverses_id else None, reversed_by.get(r.id),
    ) for r in rows]


def _warning(s: Session, book: Passbook, hit: HeadHit) -> WarningRow:
    since, reasons = _since_and_reasons(s, book)
    return WarningRow(hit, book.id, book.score, since, reasons, book.score == 0)


def _since_and_reasons(s: Session, book: Passbook) -> tuple[date, list[str]]:
    rows = s.execute(select(LedgerEntry).where(LedgerEntry.passbook_id == book.id)
                     .order_by(LedgerEntry.seq)).scalars().all()
    reversed_ids = {r.reverses_id for r in rows if r.reverses_id is not None}
    since = book.opened_on
    for row in reversed(rows):  # back to where the score last stood at the opening or above
        if row.score_after >= book.opening and row.score_after > 0:
            break
        since = row.occurred_on
    reasons = [f"{r.occurred_on:%m-%d} {r.rule_text or r.note} {r.score_delta}分" for r in rows
               if r.score_delta < 0 and r.id not in reversed_ids and r.kind is not EntryKind.REVERSAL]
    return since, reasons


@dataclass(frozen=True)
class TalkStanding:
    """A person on the year's 约谈 list, as the list itself says it: score, since, entries."""

    resident_id: int
    year: int
    score: int
    opening: int
    since: date
    reasons: list[str]

    @property
    def at_zero(self) -> bool:
        return self.score == 0


def talk_standings(s: Session, year: int, resident_ids: Collection[int]) -> dict[int, TalkStanding]:
    """Which of these people are on the year's 约谈 list (the same rule as `talk_list`), inside
    the caller's session: eligibility for honours, the talent pool and the red list asks this."""
    found: dict[int, TalkStanding] = {}
    ids = list(dict.fromkeys(resident_ids))
    for start in range(0, len(ids), 500):
        for book in s.scalars(select(Passbook).where(
                Passbook.year == year, Passbook.resident_id.in_(ids[start:start + 500]),
                on_talk_list())):
            since, reasons = _since_and_reasons(s, book)
            found[book.resident_id] = TalkStanding(book.resident_id, year, book.score,
                                                   book.opening, since, reasons)
    return found


def _rule_row(r: PointsRule) -> RuleRow:
    return RuleRow(r.id, r.code, r.text, r.points, r.category, r.evidence_required,
                   r.limit_count, r.limit_period, r.valid_from, r.valid_to)


def _validated_rule(data: RuleInput) -> dict[str, object]:
    code = text_limits.check(PointsRule.code, normalise_text(data.code).upper())
    text = text_limits.check(PointsRule.text, normalise_text(data.text))
    if not code:
        raise ValidationError("积分细则必须有编号。")
    if not text:
        raise ValidationError(f"积分细则“{code}”必须写明内容。")
    if isinstance(data.points, bool) or not isinstance(data.points, int) or data.points == 0:
        raise ValidationError(f"积分细则“{code}”的分值必须是不为 0 的整数（加分为正，扣分为负）。")
    if (data.limit_count is None) != (data.limit_period is None):
        raise ValidationError(f"积分细则“{code}”的次数上限要同时填写期间和次数。")
    if data.limit_count is not None and data.limit_count < 1:
        raise ValidationError(f"积分细则“{code}”的次数上限至少为 1。")
    if data.valid_from and data.valid_to and data.valid_to < data.valid_from:
        raise ValidationError(f"积分细则“{code}”的停用日期早于启用日期。")
    category = text_limits.check(PointsRule.category, normalise_text(data.category))
    return dict(code=code, text=text, points=data.points, category=category,
                evidence_required=data.evidence_required, limit_count=data.limit_count,
                limit_period=data.limit_period, valid_from=data.valid_from, valid_to=data.valid_to)


def _catalogue_village(session: Session) -> int | None:
    """The village whose rules catalogue this is: the only one in the database, else None (the
    catalogue then belongs to the township)."""
    villages = session.scalars(select(AdminVillage.id).limit(2)).all()
    return villages[0] if len(villages) == 1 else None
