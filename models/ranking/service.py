"""Evaluations and the red/black lists: entering scores, publishing frozen lists (with corrections
as new versions), and the consequences (points intents for zone heads, performance-pay deductions).

Points hook: `connect_points_posting(poster)`. The poster is called inside the publishing
transaction as `poster(session, actor, intent) -> str` for every new `PointsIntent` and returns the
ledger reference, stored on the intent. The passbook poster (models.ranking.posting) is
connected by default; `connect_points_posting(None)` leaves intents pending."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from models.core import audit, clock, idempotency, settings
from models.core.access import VILLAGE_SCOPED, Actor, Permission
from models.core.errors import NotFound, PermissionDenied, ValidationError
from models.core.validation import shown
from models.core.service import Service
from models.org.tables import (
    AdminVillage,
    Alley,
    Head,
    HeadRole,
    Household,
    NaturalVillage,
    Resident,
    Township,
    Zone,
)
from models.printing import numbering
from models.ranking.compute import (
    Selection,
    compute,
    natural_village_ranks,
    points_scale,
    township,
    weights,
)
from models.ranking.posting import list_rule, post_intent, posting_day, rule_in_force
from models.ranking.rules import (
    COMPONENTS,
    PAY_QUARTER_BLACK,
    TIE_BREAK,
    PeriodRef,
    formula_text,
    parse_period,
    parse_tie_break,
    rounded,
    tie_break_text,
)
from models.ranking.tables import (
    Colour,
    Evaluation,
    PayDeduction,
    Period,
    PointsIntent,
    RankingEntry,
    RankingList,
    snapshot_hash,
)

PointsPoster = Callable[[Session, Actor, PointsIntent], str]
_points_poster: PointsPoster | None = post_intent


def connect_points_posting(poster: PointsPoster | None) -> PointsPoster | None:
    """Replace the poster (see the module docstring); returns the one connected before."""
    global _points_poster
    previous, _points_poster = _points_poster, poster
    return previous


@dataclass(frozen=True)
class ScoreRow:
    """One zone's line in the entry grid; None is a score not entered yet."""

    zone_id: int
    zone_name: str
    villagers: Decimal | None = None
    heads: Decimal | None = None
    secretary: Decimal | None = None


@dataclass(frozen=True)
class ListSummary:
    id: int
    kind: Period
    period: str
    period_label: str
    version: int
    published_on: date
    publisher: str
    doc_number: str
    red: int
    black: int
    current: bool
    change_note: str


class ExclusionsNotConfirmed(ValidationError):
    """Publishing would leave units out for incomplete scores: the caller confirms first."""

    def __init__(self, label: str, lines: list[str]):
        shown = "\n".join(lines[:20]) + (f"\n……共{len(lines)}处" if len(lines) > 20 else "")
        super().__init__(f"{label}有以下单位评分不全或不足以评选，将不参加本期评选，并在通报中列明：\n"
                         f"{shown}\n确认后才能公示。")
        self.lines = lines


def parse_score(value: object, where: str) -> Decimal | None:
    """A score 0–100 with at most one decimal; blank means not entered."""
    if value is None or str(value).strip() == "":
        return None
    try:
        score = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(f"{where}的分数“{shown(value)}”不是数字。") from None
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise ValidationError(f"{where}的分数“{shown(value)}”必须在 0 到 100 之间。")
    if score != score.quantize(Decimal("0.1")):
        raise ValidationError(f"{where}的分数“{shown(value)}”最多保留一位小数。")
    return score.quantize(Decimal("0.1"))


def _month(text: str) -> str:
    ref = parse_period(text)
    if ref.kind is not Period.MONTH:
        raise ValidationError(f"评议分按月录入，“{shown(text)}”不是一个月份（例如 2024-03）。")
    return ref.code


class RankingService(Service):
    # ---- entering scores -------------------------------------------------------------------
    def grid(self, natural_village_id: int, month: str) -> list[ScoreRow]:
        month = _month(month)
        with self.db.read() as s:
            nv = self._natural_village(s, natural_village_id)
            self.require_view(nv.admin_village_id)
            found = {e.zone_id: e for e in s.scalars(select(Evaluation).where(
                Evaluation.month == month, Evaluation.zone_id.in_([z.id for z in nv.zones])))}
            return [ScoreRow(z.id, z.name, *((getattr(found[z.id], k) for k in COMPONENTS)
                                             if z.id in found else ()))
                    for z in nv.zones]

    def enter_scores(self, natural_village_id: int, month: str,
                     rows: Sequence[tuple[int, object, object, object]], *,
                     idempotency_key: str | None = None) -> int:
        """Save one natural village's month: (zone_id, villagers, heads, secretary) per zone.
        Returns how many zones changed."""
        month = _month(month)
        with self.operation(Permission.EVALUATE) as s:
            if replayed := idempotency.claim(s, idempotency_key, "enter_scores"):
                return replayed.result
            nv = self._natural_village(s, natural_village_id)
            self.require(Permission.EVALUATE, nv.admin_village_id)
            changed = self._write_scores(s, nv, month, rows)
            idempotency.settle(s, idempotency_key, changed)
            return changed

    def import_scores_xlsx(self, path: Path, month: str, township_id: int | None = None) -> int:
        """Columns: 自然村, 片区, 群众评议, 片区长观摩评议, 书记评议 (a header row first; an optional
        leading 行政村 column). All rows are saved together or none."""
        from openpyxl import load_workbook

        month = _month(month)
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a bad file
            raise ValidationError(f"无法读取文件“{Path(path).name}”：它不是有效的 xlsx 表格。") from error
        rows = [tuple(r) for r in book.active.iter_rows(values_only=True)]
        book.close()
        if not rows:
            raise ValidationError(f"文件“{Path(path).name}”是空的。")
        header = [str(c or "").strip() for c in rows[0]]
        with_village = bool(header) and header[0] == "行政村"
        with self.operation(Permission.EVALUATE) as s:
            town = township(s, self._town_id(s, township_id))
            # A zone is named by its administrative village, natural village and own name within
            # the township: two villages may each have a 小石桥 with a 东片区.
            by_name: dict[tuple[str, str, str], tuple[NaturalVillage, Zone]] = {
                (av.name, nv.name, z.name): (nv, z)
                for av in town.villages for nv in av.natural_villages for z in nv.zones}
            batches: dict[int, tuple[NaturalVillage, list]] = {}
            for number, row in enumerate(rows[1:], start=2):
                width = 6 if with_village else 5
                cells = [str(c or "").strip() if i < width - 3 else c
                         for i, c in enumerate((list(row) + [None] * 6)[:width])]
                if all(c is None or str(c).strip() == "" for c in cells):
                    continue
                village, names, scores = ((cells[0], cells[1:3], cells[3:]) if with_village
                                          else ("", cells[0:2], cells[2:]))
                nv, zone = _scored_zone(by_name, town.name, number, village, *names)
                batches.setdefault(nv.id, (nv, []))[1].append((zone.id, *scores, f"第{number}行"))
            changed = 0
            for nv, batch in batches.values():
                self.require(Permission.EVALUATE, nv.admin_village_id)
                changed += self._write_scores(s, nv, month, batch)
            return changed

    def _write_scores(self, s: Session, nv: NaturalVillage, month: str, rows: Sequence) -> int:
        zones = {z.id: z for z in nv.zones}
        existing = {e.zone_id: e for e in s.scalars(select(Evaluation).where(
            Evaluation.month == month, Evaluation.zone_id.in_(list(zones))))}
        before, after = {}, {}
        for zone_id, *values in rows:
            where_row = values[3] + "，" if len(values) > 3 else ""
            if zone_id not in zones:
                raise ValidationError(f"{where_row}片区不属于自然村“{nv.name}”。")
            zone = zones[zone_id]
            scores = [parse_score(v, f"{where_row}{nv.name}{zone.name}{label}")
                      for v, label in zip(values[:3], COMPONENTS.values(), strict=True)]
            row = existing.get(zone_id)
            old = [getattr(row, k) for k in COMPONENTS] if row else [None] * 3
            if old == scores:
                continue
            if row is None:
                row = Evaluation(zone_id=zone_id, month=month)
                s.add(row)
                existing[zone_id] = row
            for key, score in zip(COMPONENTS, scores, strict=True):
                setattr(row, key, score)
            row.entered_by = self.actor.name
            before[zone.name], after[zone.name] = old, scores
        if after:
            audit.record(s, self.actor, "录入评议分", "natural_village", nv.id,
                         village_id=nv.admin_village_id, before={"month": month, **before},
                         after={"month": month, **after})
        return len(after)

    def correction_warning(self, month: str, township_id: int | None = None) -> str:
        """What saving a month's scores leaves as it is: the published lists the month went into
        (its own, its quarter's, its year's). Empty when none is published yet."""
        ref = parse_period(_month(month))
        codes = [ref.code, f"{ref.year}Q{(ref.number - 1) // 3 + 1}", str(ref.year)]
        with self.db.read() as s:
            town_id = self._town_id(s, township_id)
            lists = s.execute(select(RankingList.period, func.min(RankingList.published_on))
                              .where(RankingList.township_id == town_id,
                                     RankingList.period.in_(codes))
                              .group_by(RankingList.period)).all()
        if not lists:
            return ""
        named = "、".join(f"{parse_period(code).label}红黑榜（{on.year}年{on.month}月{on.day}日公示）"
                         for code, on in sorted(lists, key=lambda row: codes.index(row[0])))
        return (f"{named}已经公示。更正{ref.label}的评分不会改变已公示的名单；"
                "如名单也要更正，请在“评选与公示”中重新计算并发布更正版。")

    def rules(self) -> tuple[tuple[int, int, int], str, str]:
        """The weights (villagers, heads, secretary), the formula and the tie-break in words."""
        with self.db.read() as s:
            w = weights(s)
            return ((w.villagers, w.heads, w.secretary), formula_text(w, points_scale(s)),
                    tie_break_text(parse_tie_break(settings.get(s, TIE_BREAK))))

    def latest_month(self, township_id: int | None = None) -> str | None:
        """The township's latest month with any score entered, to open the page where the work is."""
        with self.db.read() as s:
            town_id = self._town_id(s, township_id)
            return s.scalar(select(func.max(Evaluation.month))
                            .join(Zone, Zone.id == Evaluation.zone_id)
                            .join(NaturalVillage, NaturalVillage.id == Zone.natural_village_id)
                            .join(AdminVillage, AdminVillage.id == NaturalVillage.admin_village_id)
                            .where(AdminVillage.township_id == town_id))

    # ---- townships ---------------------------------------------------------------------------
    def townships(self) -> list[tuple[int, str]]:
        """(id, name) of the townships whose lists this account sees: a village account only its
        own township's, the township office every township in the database."""
        with self.db.read() as s:
            rows = s.execute(select(Township.id, Township.name).order_by(Township.id)).all()
            if self.actor.role in VILLAGE_SCOPED:
                own = self._town_id(s, None)
                rows = [r for r in rows if r[0] == own]
            return [(r[0], r[1]) for r in rows]

    def _town_id(self, s: Session, township_id: int | None) -> int:
        """The township an operation is about: a village account's own; otherwise the one asked
        for, or the first in the database."""
        if self.actor.role in VILLAGE_SCOPED:
            own = s.scalar(select(AdminVillage.township_id).where(AdminVillage.id == self.actor.village_id))
            if own is None:
                raise NotFound("找不到本账号所属的村，请联系镇管理员。")
            if township_id is not None and township_id != own:
                raise PermissionDenied(f"“{self.actor.name}”只能查看本镇的红黑榜。")
            return own
        return township(s, township_id).id

    # ---- selection and publishing ------------------------------------------------------------
    def selection(self, period: str, township_id: int | None = None) -> Selection:
        ref = parse_period(period)
        with self.db.read() as s:
            return compute(s, ref, self._town_id(s, township_id))

    def publish(self, period: str, reasons: dict[int, str], *, township_id: int | None = None,
                change_note: str = "", published_on: date | None = None,
                idempotency_key: str | None = None, confirm_exclusions: bool = False) -> int:
        """Freeze the current selection of a period as a published list (a new version if one was
        published before; then `change_note` is required). `reasons`: black unit id → one line.
        Units left out for incomplete scores are named on the list; publishing them so needs
        `confirm_exclusions` (else ExclusionsNotConfirmed, listing them)."""
        ref = parse_period(period)
        today = clock.today()
        if published_on is not None and published_on > today:
            raise ValidationError(f"公示日期 {published_on:%Y-%m-%d} 晚于今天，不能预先公示。")
        with self.operation(Permission.EVALUATE) as s:
            self.require(Permission.EVALUATE, None)
            if replayed := idempotency.claim(s, idempotency_key, "publish"):
                return replayed.result
            selection = compute(s, ref, township(s, township_id).id)
            if not any(g.red or g.black for g in selection.groups):
                raise ValidationError(f"{ref.label}没有可以评选的单位（评分不全或单位不足），不能公示。")
            if selection.excluded and not confirm_exclusions:
                raise ExclusionsNotConfirmed(ref.label, selection.excluded)
            previous = self._latest(s, selection.township_id, ref)
            note = " ".join(change_note.split())
            if previous is not None and not note:
                raise ValidationError(f"{ref.label}红黑榜已于{previous.published_on:%Y年%m月%d日}公示过"
                                      f"（第{previous.version}版），更正时必须写明更正原因。")
            entries = self._entries(s, selection, reasons)
            published = RankingList(
                township_id=selection.township_id, township_name=selection.township_name,
                kind=ref.kind, period=ref.code, version=previous.version + 1 if previous else 1,
                supersedes_id=previous.id if previous else None,
                published_on=published_on or today, publisher=self.actor.name,
                doc_number=self._doc_number(s, selection, ref, previous, published_on),
                formula=selection.formula, tie_break=selection.tie_break,
                unranked="\n".join(selection.notes()), entries=entries)
            if previous is not None:
                changes = _differences(previous.entries, entries)
                published.change_note = "；".join([f"更正原因：{note}", *changes]) + "。"
            published.snapshot_hash = snapshot_hash(published, entries)
            s.add(published)
            s.flush()
            self._points_intents(s, previous, published)
            audit.record(s, self.actor, "公示红黑榜", "ranking_list", published.id,
                         after={"period": ref.code, "version": published.version,
                                "entries": [f"{e.colour.label}:{e.group_name}{e.unit_name}"
                                            for e in entries]})
            idempotency.settle(s, idempotency_key, published.id)
            return published.id

    def _entries(self, s: Session, selection: Selection, reasons: dict[int, str]) -> list[RankingEntry]:
        kind = selection.ref.kind
        zone_ids = [m.unit_id for g in selection.groups for m in (*g.red, *g.black)] \
            if kind is Period.MONTH else []
        head_names, residents = _zone_head_names(s, zone_ids), _zone_residents(s, zone_ids)
        entries: list[RankingEntry] = []
        for group in selection.groups:
            for colour, members in ((Colour.RED, group.red), (Colour.BLACK, group.black)):
                for member in members:
                    reason = " ".join(str(reasons.get(member.unit_id, "")).split())
                    if colour is Colour.BLACK and not reason:
                        raise ValidationError(f"黑榜“{group.group_name} {member.name}”必须写一句上榜原因。")
                    if len(reason) > 100:
                        raise ValidationError(f"“{member.name}”的上榜原因太长（最多 100 字）。")
                    av_id = group.admin_village_id or member.unit_id
                    entries.append(RankingEntry(
                        colour=colour, unit_id=member.unit_id, unit_name=member.name,
                        group_id=group.group_id, group_name=group.group_name, admin_village_id=av_id,
                        score=rounded(member.total), villagers_score=rounded(member.parts["villagers"]),
                        rank=group.ranked.index(member) + 1, group_size=len(group.ranked),
                        head_name=head_names.get(member.unit_id, "") if kind is Period.MONTH
                        else s.get(AdminVillage, av_id).secretary_name,
                        reason=reason if colour is Colour.BLACK else "",
                        resident_names="、".join(residents.get(member.unit_id, []))
                        if kind is Period.MONTH else "",
                        sort_order=len(entries)))
        return entries

    @staticmethod
    def _latest(s: Session, township_id: int, ref: PeriodRef) -> RankingList | None:
        return s.scalar(select(RankingList).where(
            RankingList.township_id == township_id, RankingList.kind == ref.kind,
            RankingList.period == ref.code).order_by(RankingList.version.desc()).limit(1))

    def _doc_number(self, s: Session, selection: Selection, ref: PeriodRef,
                    previous: RankingList | None, published_on: date | None) -> str:
        """Taken from the township's register of document numbers as the list is published."""
        on = published_on or clock.today()
        version = previous.version + 1 if previous else 1
        code = numbering.organ_code(s, numbering.RANKING_CODE, selection.township_name)
        return numbering.take(s, code, year=on.year, title=f"{ref.label}红黑榜通报",
                              subject=f"ranking:{selection.township_id}:{ref.code}:{version}",
                              on=on, taken_by=self.actor.name)

    def _points_intents(self, s: Session, previous: RankingList | None, published: RankingList) -> None:
        """The heads of a zone newly on a monthly list get the catalogue rule's points; the heads
        posted for a zone a correction takes off get them reversed, so the ledger ends up as if
        the list had been right. A rule stopped in the catalogue posts nothing."""
        if published.kind is not Period.MONTH:
            return
        old = {(e.colour, e.unit_id): e for e in previous.entries} if previous else {}
        new = {(e.colour, e.unit_id): e for e in published.entries}
        label = parse_period(published.period).label
        on = posting_day(published)
        rules = {colour: list_rule(s, self.actor, colour) for colour in Colour}
        added = [e for key, e in new.items() if key not in old and rule_in_force(rules[e.colour], on)]
        heads = _zone_heads(s, [e.unit_id for e in added])
        intents = [PointsIntent(entry_id=e.id, head_id=head_id, head_name=name,
                                points=rules[e.colour].points,
                                reason=f"{e.group_name}{e.unit_name}：{label}{e.colour.label}片区")
                   for e in added for head_id, name in heads.get(e.unit_id, [])]
        intents += [PointsIntent(entry_id=e.id, head_id=head_id, head_name=name, points=-standing,
                                 reason=f"{e.group_name}{e.unit_name}：{label}{e.colour.label}更正撤销")
                    for key, e in old.items() if key not in new
                    for head_id, name, standing in _standing_intents(s, published, e)]
        s.add_all(intents)
        s.flush()
        if _points_poster is not None:
            for intent in intents:
                intent.posted_ref = _points_poster(s, self.actor, intent)

    # ---- consequences ------------------------------------------------------------------------
    def record_pay_deduction(self, entry_id: int, month: str, amount: object) -> int:
        """扣发绩效补贴 for the secretary of the yearly black-list administrative village (and of
        a quarterly black natural village's village when the township's setting says so), once
        per list entry. The township decides it, like the list itself: a secretary does not
        record his own."""
        month = _month(month)
        with self.operation(Permission.EVALUATE) as s:
            self.require(Permission.EVALUATE, None)
            entry = s.get(RankingEntry, entry_id)
            if entry is None:
                raise NotFound("找不到这条红黑榜记录。")
            _require_deductible(s, entry)
            try:
                money = Decimal(str(amount).strip())
            except InvalidOperation:
                raise ValidationError(f"扣发金额“{shown(amount)}”不是数字。") from None
            if not money.is_finite() or not Decimal("0.01") <= money <= Decimal(100000) \
                    or money != money.quantize(Decimal("0.01")):
                raise ValidationError(
                    f"扣发金额“{shown(amount)}”必须在 0.01 到 100000 元之间，最多两位小数。")
            village = s.get(AdminVillage, entry.admin_village_id)
            row = PayDeduction(entry_id=entry.id, admin_village_id=village.id,
                               secretary_name=village.secretary_name, month=month, amount=money,
                               recorded_by=self.actor.name)
            s.add(row)
            s.flush()
            audit.record(s, self.actor, "扣发绩效补贴", "ranking_pay_deduction", row.id,
                         village_id=village.id, after={"village": village.name, "month": month,
                                                       "amount": str(money),
                                                       "secretary": village.secretary_name})
            return row.id

    def pay_deductions(self, township_id: int | None = None) -> list[PayDeduction]:
        with self.db.read() as s:
            stmt = (select(PayDeduction)
                    .join(AdminVillage, AdminVillage.id == PayDeduction.admin_village_id)
                    .where(AdminVillage.township_id == self._town_id(s, township_id)))
            if self.actor.villages is not None:  # a village account sees its own consequences
                stmt = stmt.where(PayDeduction.admin_village_id.in_(self.actor.villages))
            rows = list(s.scalars(stmt.order_by(PayDeduction.id)))
            s.expunge_all()
            return rows

    def points_intents(self, township_id: int | None = None) -> list[PointsIntent]:
        with self.db.read() as s:
            stmt = (select(PointsIntent)
                    .join(RankingEntry, RankingEntry.id == PointsIntent.entry_id)
                    .join(RankingList, RankingList.id == RankingEntry.list_id)
                    .where(RankingList.township_id == self._town_id(s, township_id)))
            if self.actor.villages is not None:
                stmt = stmt.where(RankingEntry.admin_village_id.in_(self.actor.villages))
            rows = list(s.scalars(stmt.order_by(PointsIntent.id)))
            s.expunge_all()
            return rows

    # ---- history -----------------------------------------------------------------------------
    def published_lists(self, township_id: int | None = None) -> list[ListSummary]:
        """The township's published lists, every version, in publishing order."""
        with self.db.read() as s:
            lists = list(s.scalars(select(RankingList).options(selectinload(RankingList.entries))
                                   .where(RankingList.township_id == self._town_id(s, township_id))
                                   .order_by(RankingList.published_on, RankingList.id)))
            newest = {}
            for item in lists:
                newest[(item.township_id, item.kind, item.period)] = item.id
            return [ListSummary(item.id, item.kind, item.period, parse_period(item.period).label,
                                item.version, item.published_on, item.publisher, item.doc_number,
                                sum(e.colour is Colour.RED for e in item.entries),
                                sum(e.colour is Colour.BLACK for e in item.entries),
                                newest[(item.township_id, item.kind, item.period)] == item.id,
                                item.change_note) for item in lists]

    def published_list(self, list_id: int) -> RankingList:
        with self.db.read() as s:
            found = s.scalar(select(RankingList).where(RankingList.id == list_id)
                             .options(selectinload(RankingList.entries)))
            if found is None:
                raise NotFound("找不到这份红黑榜，可能已被删除。")
            self._town_id(s, found.township_id)  # a village account sees its own township's only
            s.expunge_all()  # a frozen list is read-only: hand it out detached, fully loaded
            return found

    def replaced_list(self, listing: RankingList) -> RankingList | None:
        """The version a correction supersedes (its notice is cited by the correction)."""
        return self.published_list(listing.supersedes_id) if listing.supersedes_id else None

    def latest_list(self, period: str, township_id: int | None = None) -> RankingList:
        ref = parse_period(period)
        with self.db.read() as s:
            found = self._latest(s, self._town_id(s, township_id), ref)
            if found is None:
                raise NotFound(f"{ref.label}红黑榜还没有公示。")
            list_id = found.id
        return self.published_list(list_id)

    def rank_history(self, natural_village_id: int, year: int) -> dict[str, list[int | None]]:
        with self.db.read() as s:
            nv = self._natural_village(s, natural_village_id)
            self.require_view(nv.admin_village_id)
            return natural_village_ranks(s, natural_village_id, year)

    def natural_villages(self, township_id: int | None = None) -> list[tuple[int, str]]:
        """(id, "行政村·自然村") of the township's natural villages this account may see, in
        register order."""
        with self.db.read() as s:
            rows = s.execute(select(NaturalVillage.id, AdminVillage.name, NaturalVillage.name,
                                    AdminVillage.id)
                             .join(AdminVillage, AdminVillage.id == NaturalVillage.admin_village_id)
                             .where(AdminVillage.township_id == self._town_id(s, township_id))
                             .order_by(AdminVillage.sort_order, AdminVillage.id,
                                       NaturalVillage.sort_order, NaturalVillage.id)).all()
            return [(r[0], f"{r[1]}·{r[2]}") for r in rows if self.visible(r[3])]

    @staticmethod
    def _natural_village(s: Session, natural_village_id: int) -> NaturalVillage:
        nv = s.scalar(select(NaturalVillage).where(NaturalVillage.id == natural_village_id)
                      .options(selectinload(NaturalVillage.zones)))
        if nv is None:
            raise NotFound("找不到这个自然村，可能已被删除。")
        return nv


def _scored_zone(by_name: dict[tuple[str, str, str], tuple[NaturalVillage, Zone]], town: str,
                 number: int, village: str, natural: str, zone: str) -> tuple[NaturalVillage, Zone]:
    """The zone a score row names. Without a 行政村 column, a natural village and zone whose names
    occur in two administrative villages are refused rather than guessed."""
    found = [(key[0], unit) for key, unit in by_name.items()
             if key[1:] == (natural, zone) and (not village or key[0] == village)]
    if not found:
        where = f"行政村“{village}”的" if village else ""
        raise ValidationError(f"第{number}行：在{town}找不到{where}自然村“{natural}”的片区“{zone}”。")
    if len(found) > 1:
        villages = "、".join(sorted(v for v, _ in found))
        raise ValidationError(f"第{number}行：自然村“{natural}”的片区“{zone}”在{villages}都有，"
                              "请在表格第一列加上“行政村”，写明是哪个村的。")
    return found[0][1]


def _require_deductible(s: Session, entry: RankingEntry) -> None:
    """A pay deduction's entry: black, on a list that carries one (DOMAIN §7), on the list's
    current version, and not deducted before under this or an earlier version."""
    listing = entry.ranking_list
    quarterly = settings.get(s, PAY_QUARTER_BLACK)
    carries = listing.kind is Period.YEAR or (listing.kind is Period.QUARTER and quarterly)
    if entry.colour is not Colour.BLACK or not carries:
        which = "年度黑榜行政村" + ("或季度黑榜村" if quarterly else "")
        raise ValidationError(f"扣发绩效补贴只针对{which}的党支部书记，“{entry.unit_name}”"
                              f"（{parse_period(listing.period).label}{entry.colour.label}）不扣发。"
                              + ("" if quarterly or listing.kind is not Period.QUARTER else
                                 "季度黑榜村是否扣发，由镇里在设置中决定（默认不扣发）。"))
    newest = RankingService._latest(s, listing.township_id, parse_period(listing.period))
    if newest.id != listing.id:
        raise ValidationError(f"这份{parse_period(listing.period).label}红黑榜已更正为第{newest.version}版，"
                              "请在最新一版上登记扣发。")
    versions = select(RankingList.id).where(
        RankingList.township_id == listing.township_id, RankingList.kind == listing.kind,
        RankingList.period == listing.period)
    done = s.execute(select(PayDeduction.month, PayDeduction.amount).join(
        RankingEntry, RankingEntry.id == PayDeduction.entry_id).where(
        RankingEntry.list_id.in_(versions), RankingEntry.unit_id == entry.unit_id,
        RankingEntry.colour == Colour.BLACK)).first()
    if done is not None:
        raise ValidationError(f"{entry.unit_name}党支部书记因{parse_period(listing.period).label}黑榜"
                              f"已于{done.month}扣发绩效补贴 {done.amount} 元，同一榜单只扣发一次。")


def _standing_intents(s: Session, listing: RankingList, entry: RankingEntry) -> list[tuple[int, str, int]]:
    """(head id, name, points) still standing for a zone on a list, over all its versions: what
    was asked for it, less what corrections took back."""
    versions = select(RankingList.id).where(
        RankingList.township_id == listing.township_id, RankingList.kind == listing.kind,
        RankingList.period == listing.period)
    rows = s.execute(select(PointsIntent.head_id, func.max(PointsIntent.head_name),
                            func.sum(PointsIntent.points))
                     .join(RankingEntry, RankingEntry.id == PointsIntent.entry_id)
                     .where(RankingEntry.list_id.in_(versions), RankingEntry.colour == entry.colour,
                            RankingEntry.unit_id == entry.unit_id)
                     .group_by(PointsIntent.head_id).order_by(PointsIntent.head_id)).all()
    return [(head_id, name, int(total)) for head_id, name, total in rows if total]


def _zone_heads(s: Session, zone_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Zone id → (head id, name) of its serving heads: its zone head, then its alleys' heads."""
    zone_of = func.coalesce(Head.zone_id, Alley.zone_id)
    found: dict[int, list[tuple[int, str]]] = {}
    for zone_id, head_id, name in s.execute(
            select(zone_of, Head.id, Resident.name).join(Resident, Resident.id == Head.resident_id)
            .outerjoin(Alley, Alley.id == Head.alley_id)
            .where(Head.ended_on.is_(None), zone_of.in_(zone_ids))
            .order_by(Head.role.desc(), Alley.sort_order, Head.id)):
        found.setdefault(zone_id, []).append((head_id, name))
    return found


def _zone_head_names(s: Session, zone_ids: list[int]) -> dict[int, str]:
    """The current zone head's name of each zone (names as of today), in one query."""
    found: dict[int, str] = {}
    for zone_id, name in s.execute(
            select(Head.zone_id, Resident.name).join(Resident, Resident.id == Head.resident_id)
            .where(Head.zone_id.in_(zone_ids), Head.role == HeadRole.ZONE, Head.ended_on.is_(None))
            .order_by(Head.id)):
        found.setdefault(zone_id, name)
    return found


def _zone_residents(s: Session, zone_ids: list[int]) -> dict[int, list[str]]:
    """Every current resident of each zone, by alley and household: names only, never ID numbers."""
    found: dict[int, list[str]] = {}
    for zone_id, name in s.execute(
            select(Alley.zone_id, Resident.name).join(Household, Household.id == Resident.household_id)
            .join(Alley, Alley.id == Household.alley_id)
            .where(Alley.zone_id.in_(zone_ids), Household.removed_on.is_(None),
                   Resident.removed_on.is_(None))
            .order_by(Alley.sort_order, Alley.id, Household.id, Resident.sort_order, Resident.id)):
        found.setdefault(zone_id, []).append(name)
    return found


def _differences(old: Sequence[RankingEntry], new: Sequence[RankingEntry]) -> list[str]:
    """What a correction changed, in words: who came on or off a list, and changed reasons."""
    lines = []
    old_keys = {(e.group_id, e.colour, e.unit_id): e for e in old}
    new_keys = {(e.group_id, e.colour, e.unit_id): e for e in new}
    for key, entry in new_keys.items():
        if key not in old_keys:
            lines.append(f"{entry.group_name}{entry.colour.label}新列入{entry.unit_name}")
        elif old_keys[key].reason != entry.reason:
            lines.append(f"{entry.group_name}{entry.unit_name}黑榜原因改为“{entry.reason}”")
    lines += [f"{e.group_name}{e.colour.label}撤下{e.unit_name}" for k, e in old_keys.items()
              if k not in new_keys]
    return lines or ["上榜单位不变"]
