"""评先树优: the year's honours, nominated by the village, approved by the township with the
reward recorded, and published as a frozen list (a correction is a new version). Every
nomination and approval asks the eligibility service; the 年度积分最高奖 goes to the computed
top scorer(s) only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from models.core import audit, clock, settings
from models.core.access import VILLAGE_SCOPED, Actor, Permission
from models.core.errors import NotFound, PermissionDenied, ValidationError
from models.core.service import Service
from models.core.validation import normalise_text, validate_name
from models.org.tables import AdminVillage, Head, HeadRole, Resident, Township
from models.people.eligibility import Eligibility, eligibility, require_eligible, resident_village
from models.people.policy import TOP_TIE_BREAK, clean_text
from models.people.tables import (
    HONOUR_ENTRY_FIELDS,
    HONOUR_LIST_FIELDS,
    HonourEntry,
    HonourKind,
    HonourList,
    HonourNomination,
    HonourScope,
    NominationStatus,
    Nominee,
    Source,
    record_hash,
)
from models.people.top_scorer import TopScorers, parse_tie_break, tie_break_text, top_scorers
from models.people.units import head_infos
from models.points.tables import Passbook

ROLE_OF = {Nominee.ZONE_HEAD: HeadRole.ZONE, Nominee.ALLEY_HEAD: HeadRole.ALLEY}


@dataclass(frozen=True)
class KindRow:
    id: int
    name: str
    scope: HonourScope
    nominee: Nominee
    top_scorer: bool
    built_in: bool


@dataclass(frozen=True)
class NominationRow:
    id: int
    year: int
    kind: str
    kind_id: int
    scope: HonourScope
    name: str
    role: str
    unit: str
    village_id: int
    village: str
    deeds: str
    source: Source
    status: NominationStatus
    nominated_by: str
    nominated_on: date
    decided_by: str
    decided_on: date | None
    decision_note: str
    reward_what: str
    reward_value: Decimal | None
    eligible_now: bool
    barred_because: str

    @property
    def reward(self) -> str:
        if not self.reward_what:
            return ""
        return f"{self.reward_what}（价值{self.reward_value}元）" if self.reward_value else self.reward_what


@dataclass(frozen=True)
class ListSummary:
    id: int
    year: int
    version: int
    published_on: date
    doc_number: str
    count: int
    current: bool
    change_note: str


def parse_money(value: object, where: str) -> Decimal | None:
    """A reward's value in yuan (two decimals at most); blank means none."""
    text = normalise_text(str(value if value is not None else ""))
    if not text:
        return None
    try:
        money = Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"{where}“{text}”不是数字。") from None
    if not money.is_finite() or not Decimal(0) <= money <= Decimal(1000000) \
            or money != money.quantize(Decimal("0.01")):
        raise ValidationError(f"{where}“{text}”必须在 0 到 1000000 元之间，最多两位小数。")
    return money.quantize(Decimal("0.01"))


class HonoursService(Service):
    # ---- kinds ---------------------------------------------------------------------------------
    def kinds(self) -> list[KindRow]:
        with self.db.read() as s:
            return [KindRow(k.id, k.name, k.scope, k.nominee, k.top_scorer, k.built_in)
                    for k in s.scalars(select(HonourKind).order_by(HonourKind.sort_order,
                                                                  HonourKind.id))]

    def add_kind(self, name: str, nominee: Nominee, scope: HonourScope = HonourScope.VILLAGE) -> int:
        """A township's own honour (e.g. 最美庭院户): the township adds it for every village."""
        with self.operation(Permission.PEOPLE) as s:
            self.require(Permission.PEOPLE, None)
            name = validate_name(name, "荣誉名称")
            if s.scalar(select(HonourKind.id).where(HonourKind.name == name)) is not None:
                raise ValidationError(f"荣誉“{name}”已经有了，请换一个名称。")
            order = (s.scalar(select(func.max(HonourKind.sort_order))) or 0) + 1
            kind = HonourKind(name=name, scope=HonourScope(scope), nominee=Nominee(nominee),
                              top_scorer=False, built_in=False, sort_order=order,
                              added_by=self.actor.name)
            s.add(kind)
            s.flush()
            audit.record(s, self.actor, "新增荣誉", "honour_kind", kind.id,
                         after={"name": name, "nominee": kind.nominee.label,
                                "scope": kind.scope.label})
            return kind.id

    # ---- top scorers ----------------------------------------------------------------------------
    def top_scorers(self, year: int, village_id: int | None = None,
                    township_id: int | None = None) -> TopScorers:
        """The village's top scorer(s), or the township's when no village is given."""
        with self.db.read() as s:
            villages, scope = self._villages(s, village_id, township_id)
            return top_scorers(s, year, villages, scope)

    def tie_break_rule(self) -> str:
        with self.db.read() as s:
            return tie_break_text(parse_tie_break(settings.get(s, TOP_TIE_BREAK)))

    def _villages(self, s: Session, village_id: int | None,
                  township_id: int | None) -> tuple[list[int], str]:
        if village_id is not None:
            self.require_view(village_id)
            village = s.get(AdminVillage, village_id)
            if village is None:
                raise NotFound("所选的行政村不存在。")
            return [village_id], village.name
        town = self._town(s, township_id)
        return list(s.scalars(select(AdminVillage.id).where(AdminVillage.township_id == town.id)
                              .order_by(AdminVillage.sort_order, AdminVillage.id))), town.name

    def _town(self, s: Session, township_id: int | None) -> Township:
        if self.actor.role in VILLAGE_SCOPED:
            own = s.scalar(select(AdminVillage.township_id).where(
                AdminVillage.id == self.actor.village_id))
            if township_id is not None and township_id != own:
                raise PermissionDenied(f"“{self.actor.name}”只能查看本镇的评先树优。")
            township_id = own
        stmt = select(Township).order_by(Township.id).limit(1) if township_id is None else \
            select(Township).where(Township.id == township_id)
        town = s.scalar(stmt)
        if town is None:
            raise NotFound("数据库中还没有镇（街道），请先建立组织架构。")
        return town

    # ---- nominating ---------------------------------------------------------------------------
    def nominate(self, year: int, kind_id: int, resident_id: int, deeds: str,
                 on: date | None = None) -> int:
        """The village nominates one of its people (the township for a township honour)."""
        with self.operation(Permission.PEOPLE) as s:
            kind = self._kind(s, kind_id)
            village_id = resident_village(s, resident_id)
            self.require(Permission.PEOPLE, village_id if kind.scope is HonourScope.VILLAGE else None)
            deeds = clean_text(deeds, 2000)
            if not deeds:
                raise ValidationError("请写明提名理由（主要事迹）。")
            if kind.top_scorer:
                winners = self._winners(s, year, kind, village_id)
                if resident_id not in {w.resident_id for w in winners.winners}:
                    raise ValidationError(f"“{kind.name}”只能授予按积分算出的最高分者："
                                          f"{winners.summary}")
            source = Source.TOWNSHIP if kind.scope is HonourScope.TOWNSHIP else Source.VILLAGE
            return nominate_person(s, self, year, kind, resident_id, village_id, deeds, source, on)

    def nominate_top_scorers(self, year: int, village_id: int | None = None,
                             township_id: int | None = None, on: date | None = None) -> list[int]:
        """Nominate the computed top scorer(s) of the village (or of the township) for the
        top-score honour, with the tie-break written into the reason; already nominated ones
        are left as they are."""
        with self.operation(Permission.PEOPLE) as s:
            self.require(Permission.PEOPLE, village_id)
            scope = HonourScope.VILLAGE if village_id is not None else HonourScope.TOWNSHIP
            kind = s.scalar(select(HonourKind).where(HonourKind.top_scorer.is_(True),
                                                     HonourKind.scope == scope))
            if kind is None:
                raise NotFound("没有积分最高奖这一荣誉。")
            villages, label = self._villages(s, village_id, township_id)
            found = top_scorers(s, year, villages, label)
            if not found.winners:
                raise ValidationError(found.summary)
            made = []
            for winner in found.winners:
                if _existing(s, year, kind.id, winner.resident_id) is not None:
                    continue
                deeds = (f"{year}年度积分{winner.score}分，为{label}最高分"
                         + ("（并列）" if found.shared else "") + "。" + "".join(found.steps))
                made.append(nominate_person(s, self, year, kind, winner.resident_id,
                                            winner.village_id, deeds, Source.TOP_SCORER, on))
            return made

    def _winners(self, s: Session, year: int, kind: HonourKind, village_id: int) -> TopScorers:
        if kind.scope is HonourScope.VILLAGE:
            village = s.get(AdminVillage, village_id)
            return top_scorers(s, year, [village_id], village.name)
        villages, label = self._villages(s, None, s.get(AdminVillage, village_id).township_id)
        return top_scorers(s, year, villages, label)

    @staticmethod
    def _kind(s: Session, kind_id: int) -> HonourKind:
        kind = s.get(HonourKind, kind_id)
        if kind is None:
            raise NotFound("所选的荣誉不存在。")
        return kind

    # ---- deciding --------------------------------------------------------------------------------
    def decide(self, nomination_id: int, approve: bool, *, note: str = "", reward_what: str = "",
               reward_value: object = None, on: date | None = None) -> None:
        """The township approves (with the reward: what, and its value in yuan) or does not
        (with a reason; also to withdraw an approval before publishing)."""
        with self.operation(Permission.PEOPLE) as s:
            self.require(Permission.PEOPLE, None)
            nomination = s.get(HonourNomination, nomination_id)
            if nomination is None:
                raise NotFound("这条提名不存在，请刷新后重试。")
            decide_nomination(s, self.actor, nomination, approve, note=note,
                              reward_what=reward_what, reward_value=reward_value,
                              on=on or clock.today())

    # ---- publishing ----------------------------------------------------------------------------
    def publish(self, year: int, *, township_id: int | None = None, change_note: str = "",
                published_on: date | None = None) -> int:
        """Freeze the approved honours of the year as the township's published list."""
        with self.operation(Permission.PEOPLE) as s:
            self.require(Permission.PEOPLE, None)
            town = self._town(s, township_id)
            villages = dict(s.execute(select(AdminVillage.id, AdminVillage.name)
                                      .where(AdminVillage.township_id == town.id)
                                      .order_by(AdminVillage.sort_order, AdminVillage.id)).all())
            nominations = list(s.scalars(
                select(HonourNomination).options(selectinload(HonourNomination.kind))
                .where(HonourNomination.year == year,
                       HonourNomination.admin_village_id.in_(list(villages)))
                .order_by(HonourNomination.id)))
            pending = [n for n in nominations if n.status is NominationStatus.NOMINATED]
            if pending:
                raise ValidationError(f"{year}年度还有{len(pending)}条提名没有审批，请先审批再公示。")
            approved = [n for n in nominations if n.status is NominationStatus.APPROVED]
            if not approved:
                raise ValidationError(f"{year}年度还没有批准的荣誉，不能公示。")
            allowed = eligibility(s, year, [n.resident_id for n in approved])
            barred = [allowed[n.resident_id] for n in approved if not allowed[n.resident_id].eligible]
            if barred:
                raise ValidationError("以下已批准的人员现已不具备评先资格，请先改为不批准（写明理由）"
                                      "后再公示：" + "；".join(b.refusal("获得荣誉") for b in barred))
            previous = _latest(s, town.id, year)
            note = clean_text(change_note, 500)
            if previous is not None and not note:
                raise ValidationError(f"{year}年度评先树优名单已于{previous.published_on:%Y年%m月%d日}"
                                      f"公示过（第{previous.version}版），更正时必须写明更正原因。")
            entries = self._entries(s, year, approved, villages)
            published = HonourList(
                township_id=town.id, township_name=town.name, year=year,
                version=previous.version + 1 if previous else 1,
                supersedes_id=previous.id if previous else None,
                change_note=f"更正原因：{note}" if previous else "",
                published_on=published_on or clock.today(), publisher=self.actor.name,
                doc_number=f"{town.name[:2]}评〔{year}〕{previous.version + 1 if previous else 1}号",
                tie_break=tie_break_text(parse_tie_break(settings.get(s, TOP_TIE_BREAK))),
                top_scorers=self._top_lines(s, year, approved, villages, town),
                entries=entries)
            published.snapshot_hash = record_hash(published, HONOUR_LIST_FIELDS, entries,
                                                  HONOUR_ENTRY_FIELDS)
            s.add(published)
            s.flush()
            audit.record(s, self.actor, "公示评先树优名单", "honour_list", published.id,
                         after={"year": year, "version": published.version,
                                "entries": [f"{e.kind_name}:{e.village_name}{e.name}" for e in entries]})
            return published.id

    @staticmethod
    def _entries(s: Session, year: int, approved: list[HonourNomination],
                 villages: dict[int, str]) -> list[HonourEntry]:
        heads = head_infos(s, [n.head_id for n in approved if n.head_id])
        scores = _scores(s, year, [n.resident_id for n in approved])
        order = sorted(approved, key=lambda n: (n.kind.sort_order, n.kind_id,
                                                list(villages).index(n.admin_village_id), n.id))
        entries = []
        for number, n in enumerate(order, start=1):
            head = heads.get(n.head_id) if n.head_id else None
            entries.append(HonourEntry(
                nomination_id=n.id, resident_id=n.resident_id, admin_village_id=n.admin_village_id,
                kind_name=n.kind.name, village_name=villages[n.admin_village_id],
                name=head.name if head else _name(s, n.resident_id),
                role=head.role_label if head else "", unit=head.unit if head else "",
                deeds=n.deeds, reward_what=n.reward_what, reward_value=n.reward_value,
                score=scores.get(n.resident_id), certificate_number=f"〔{year}〕第{number:03d}号",
                sort_order=number))
        return entries

    @staticmethod
    def _top_lines(s: Session, year: int, approved: list[HonourNomination],
                   villages: dict[int, str], town: Township) -> str:
        """How each top-score honour was decided, for the notice."""
        lines = []
        if any(n.kind.top_scorer and n.kind.scope is HonourScope.VILLAGE for n in approved):
            for village_id, name in villages.items():
                lines.append(top_scorers(s, year, [village_id], name))
        if any(n.kind.top_scorer and n.kind.scope is HonourScope.TOWNSHIP for n in approved):
            lines.append(top_scorers(s, year, list(villages), town.name))
        return "\n".join(" ".join((found.summary, *found.steps)) for found in lines)

    # ---- reading --------------------------------------------------------------------------------
    def nominations(self, year: int, village_id: int | None = None,
                    township_id: int | None = None) -> list[NominationRow]:
        with self.db.read() as s:
            villages = [v for v in self._villages(s, village_id, township_id)[0] if self.visible(v)]
            names = dict(s.execute(select(AdminVillage.id, AdminVillage.name)).all())
            rows = list(s.scalars(select(HonourNomination)
                                  .options(selectinload(HonourNomination.kind))
                                  .where(HonourNomination.year == year,
                                         HonourNomination.admin_village_id.in_(villages))
                                  .order_by(HonourNomination.admin_village_id,
                                            HonourNomination.id)))
            heads = head_infos(s, [n.head_id for n in rows if n.head_id])
            allowed = eligibility(s, year, [n.resident_id for n in rows])
            result = []
            for n in rows:
                head = heads.get(n.head_id) if n.head_id else None
                result.append(NominationRow(
                    n.id, n.year, n.kind.name, n.kind_id, n.kind.scope,
                    head.name if head else _name(s, n.resident_id),
                    head.role_label if head else "", head.unit if head else "",
                    n.admin_village_id, names[n.admin_village_id], n.deeds, n.source, n.status,
                    n.nominated_by, n.nominated_on, n.decided_by, n.decided_on, n.decision_note,
                    n.reward_what, n.reward_value, allowed[n.resident_id].eligible,
                    allowed[n.resident_id].reason))
            return result

    def published_lists(self, township_id: int | None = None) -> list[ListSummary]:
        with self.db.read() as s:
            town = self._town(s, township_id)
            lists = list(s.scalars(select(HonourList).options(selectinload(HonourList.entries))
                                   .where(HonourList.township_id == town.id)
                                   .order_by(HonourList.year, HonourList.version)))
            newest = {item.year: item.id for item in lists}
            return [ListSummary(i.id, i.year, i.version, i.published_on, i.doc_number,
                                len(i.entries), newest[i.year] == i.id, i.change_note)
                    for i in lists]

    def latest_list(self, year: int, township_id: int | None = None) -> HonourList:
        """The current version of the year's published list, detached and fully loaded."""
        with self.db.read() as s:
            found = _latest(s, self._town(s, township_id).id, year)
            if found is None:
                raise NotFound(f"{year}年度评先树优名单还没有公布。")
        return self.published_list(found.id)

    def published_list(self, list_id: int) -> HonourList:
        """One version of a published list (a frozen record), detached and fully loaded."""
        with self.db.read() as s:
            found = s.scalar(select(HonourList).where(HonourList.id == list_id)
                             .options(selectinload(HonourList.entries)))
            if found is None:
                raise NotFound("找不到这份评先树优名单。")
            self._town(s, found.township_id)  # a village account sees its own township's only
            s.expunge_all()
            return found


def decide_nomination(s: Session, actor: Actor, nomination: HonourNomination, approve: bool, *,
                      note: str, reward_what: str, reward_value: object, on: date,
                      known: dict[int, Eligibility] | None = None) -> None:
    """The township's decision inside the caller's operation, audited."""
    # An approval may still be withdrawn (not approved, with a reason) before publishing.
    if nomination.status is NominationStatus.REJECTED or \
            (approve and nomination.status is NominationStatus.APPROVED):
        raise ValidationError(f"这条提名的审批结果已是“{nomination.status.label}”，不能再审批。")
    note = clean_text(note, 200)
    if approve:
        require_eligible(s, nomination.year, nomination.resident_id, "获得荣誉", known)
        reward_what = clean_text(reward_what, 100)
        if not reward_what:
            raise ValidationError("批准时请写明奖励内容（如：荣誉证书及奖品）。")
        nomination.reward_what = reward_what
        nomination.reward_value = parse_money(reward_value, "奖励价值")
        nomination.status = NominationStatus.APPROVED
    else:
        if not note:
            raise ValidationError("不批准时请写明理由。")
        nomination.status = NominationStatus.REJECTED
    nomination.decision_note = note
    nomination.decided_by = actor.name
    nomination.decided_on = on
    audit.record(s, actor, "审批荣誉提名", "honour_nomination", nomination.id,
                 village_id=nomination.admin_village_id,
                 after={"status": nomination.status.label, "note": note,
                        "reward": nomination.reward_what,
                        "value": str(nomination.reward_value or "")})


def nominate_person(s: Session, service: Service, year: int, kind: HonourKind, resident_id: int,
                    village_id: int, deeds: str, source: Source, on: date | None = None,
                    known: dict[int, Eligibility] | None = None) -> int:
    """A nomination inside the caller's operation: the nominee fits the honour, may be honoured
    this year, and is not nominated for it already."""
    on = on or clock.today()
    if year > on.year:
        raise ValidationError(f"{year}年度还没有到，不能提名。")
    head = _head_for(s, kind, resident_id, year)
    require_eligible(s, year, resident_id, f"被提名为“{kind.name}”", known)
    if _existing(s, year, kind.id, resident_id) is not None:
        raise ValidationError(f"“{_name(s, resident_id)}”已被提名{year}年度“{kind.name}”。")
    nomination = HonourNomination(
        year=year, kind_id=kind.id, resident_id=resident_id, head_id=head.id if head else None,
        admin_village_id=village_id, deeds=deeds, source=source,
        status=NominationStatus.NOMINATED, nominated_by=service.actor.name,
        nominated_on=on)
    s.add(nomination)
    s.flush()
    audit.record(s, service.actor, "提名荣誉", "honour_nomination", nomination.id,
                 village_id=village_id, after={"year": year, "honour": kind.name,
                                               "resident": _name(s, resident_id),
                                               "source": source.label})
    return nomination.id


def _head_for(s: Session, kind: HonourKind, resident_id: int, year: int) -> Head | None:
    """The appointment that makes the person fit the honour (None when anyone fits)."""
    if kind.nominee is Nominee.ANYONE:
        return s.scalar(select(Head).where(Head.resident_id == resident_id)
                        .order_by(Head.ended_on.is_(None).desc(), Head.started_on.desc()).limit(1))
    stmt = select(Head).where(Head.resident_id == resident_id,
                              Head.started_on <= date(year, 12, 31),
                              (Head.ended_on.is_(None)) | (Head.ended_on >= date(year, 1, 1)))
    if kind.nominee in ROLE_OF:
        stmt = stmt.where(Head.role == ROLE_OF[kind.nominee])
    head = s.scalar(stmt.order_by(Head.ended_on.is_(None).desc(), Head.started_on.desc()).limit(1))
    if head is None:
        raise ValidationError(f"“{_name(s, resident_id)}”{year}年度没有担任{kind.nominee.label}，"
                              f"不能被提名为“{kind.name}”。")
    return head


def _existing(s: Session, year: int, kind_id: int, resident_id: int) -> int | None:
    return s.scalar(select(HonourNomination.id).where(
        HonourNomination.year == year, HonourNomination.kind_id == kind_id,
        HonourNomination.resident_id == resident_id))


def _name(s: Session, resident_id: int) -> str:
    return s.scalar(select(Resident.name).where(Resident.id == resident_id)) or ""


def _scores(s: Session, year: int, resident_ids: list[int]) -> dict[int, int]:
    return dict(s.execute(select(Passbook.resident_id, Passbook.score).where(
        Passbook.year == year, Passbook.resident_id.in_(resident_ids))).all())


def _latest(s: Session, township_id: int, year: int) -> HonourList | None:
    return s.scalar(select(HonourList).where(HonourList.township_id == township_id,
                                             HonourList.year == year)
                    .order_by(HonourList.version.desc()).limit(1))
