"""The print centre's data: loads the organisation, passbooks, receipts and the 约谈 list for a
scope and builds the plain document dataclasses (models.printing.documents). `job` checks and
loads one print job; the paper layer renders it (reports.printing.print_document) and hands the
page count back to `record_printed`, which audits it.

Every document here names people, so each print job is checked (Permission.PRINT in the
village scope) and leaves one audit row: what, which scope, how many pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from models.core import anchors, audit, clock
from models.core.access import Permission
from models.core.errors import NotFound, ValidationError
from models.core.privacy import mask_phone
from models.core.service import Service
from models.core.validation import as_id, search_text, shown
from models.org.naming import unit_label
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
from models.org.photos import latest_photos
from models.org.work_id_code import work_id_code
from models.points.service import PointsService
from models.points.tables import EntryKind, LedgerEntry, Passbook
from models.points.wording import TALK_RULE
from models.printing import documents as doc
from models.printing import numbering
from models.printing import people
from models.printing import scope as print_scope
from models.printing.scope import Scope, ScopeKind
from models.store.counter import CounterService, RedemptionRow
from models.store.tables import Redemption
from models.worklog import paper as worklog_paper
from models.worklog.calendar import Month
from models.worklog.completeness import CompletenessService

if TYPE_CHECKING:
    from models.problems.service import ProblemFilter  # the problems area loads on its documents


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    scopes: tuple[ScopeKind, ...]  # which scopes make sense for it
    papers: tuple[str, ...] = ("A4",)


_AREAS = (ScopeKind.ALL, ScopeKind.VILLAGE, ScopeKind.NATURAL, ScopeKind.ZONE, ScopeKind.ALLEY)
KINDS = {k.key: k for k in (
    Kind("work-ids", "工作证", (*_AREAS, ScopeKind.HEAD)),
    Kind("duty-cards", "职责公示卡", (*_AREAS, ScopeKind.HEAD), ("A4", "A5")),
    Kind("roster", "片区长胡同长公示名单", _AREAS),
    Kind("pledges", "门前三包责任书", (*_AREAS, ScopeKind.HOUSEHOLD)),
    Kind("passbook", "积分存折", (ScopeKind.HEAD,)),
    Kind("receipt", "兑换凭证", (), ("A5", "roll80")),
    Kind("talk-list", "约谈名单通报", (ScopeKind.ALL, ScopeKind.VILLAGE)),
    Kind("worklog-sheets", "三个一工作日志（空白）", (*_AREAS[1:], ScopeKind.HEAD)),
    Kind("worklog-reminders", "三个一提醒名单", (ScopeKind.ALL, ScopeKind.VILLAGE)),
    Kind("problem-ledger", "问题整改台账", (ScopeKind.ALL, ScopeKind.VILLAGE)),
    Kind("problem-notice", "整改通知书", ()),
    Kind("supervision-slip", "督办单", ()),
    Kind("honour-list", "评先树优表彰决定", (ScopeKind.ALL,)),
    Kind("honour-certificates", "荣誉证书", (ScopeKind.ALL, ScopeKind.VILLAGE)),
    Kind("assessment", "综合测评结果公示", (ScopeKind.VILLAGE,)),
    Kind("talent-register", "后备人才库名册", (ScopeKind.ALL, ScopeKind.VILLAGE)),
    Kind("talent-forms", "后备人才推荐表", (ScopeKind.VILLAGE,)),
)}
# Documents of one problem: `number` is the problem's id.
PROBLEM_KINDS = ("problem-notice", "supervision-slip")
# The print jobs that are about one year (the print centre's year picker).
YEARLY = frozenset({"work-ids", "pledges", "passbook", "talk-list", "honour-list",
                    "honour-certificates", "assessment", "problem-ledger"})


# The people area's paper: (service, scope, year, number) → the document's data.
PEOPLE_PAPERS = {
    "honour-list": lambda service, scope, year, number: people.honour_list_notice(service, year),
    "honour-certificates": lambda service, scope, year, number:
        people.honour_certificates(service, scope, year),
    "assessment": lambda service, scope, year, number: people.assessment_notice(service, scope, year),
    "talent-register": lambda service, scope, year, number:
        people.talent_register(service, scope, clock.today()),
    "talent-forms": lambda service, scope, year, number:
        people.recommendation_forms(service, scope, number),
}


@dataclass(frozen=True)
class PrintResult:
    kind: str
    scope: str
    pages: int
    path: Path
    missing: str = ""  # characters no font could draw (printed as blanks), each once
    missing_in: tuple[str, ...] = ()  # a few of the texts holding them (names, addresses)


@dataclass(frozen=True)
class PrintJob:
    """One checked print job and its plain data: a list of cards, forms or rosters, a
    PassbookPrint, a Receipt or a Notice (models.printing.documents)."""

    kind: Kind
    scope_label: str  # the scope's name, or the receipt's number
    village_id: int | None
    paper: str
    document: object


@dataclass(frozen=True)
class _HeadRow:
    head_id: int
    name: str
    phone: str
    role: HeadRole
    zone_id: int
    zone: str
    alley_id: int | None
    alley: str
    natural_village: str
    village_id: int
    village: str
    secretary: str
    supervision_phone: str
    card_number: str
    resident_id: int

    @property
    def area(self) -> str:
        return unit_label(self.natural_village, self.zone, self.alley)


class PrintService(Service):
    # ---- scopes ----------------------------------------------------------------------------
    def scope(self, text: str) -> Scope:
        with self.db.read() as s:
            return print_scope.parse(s, text)

    def unit_scope(self, kind: ScopeKind, unit_id: int | None) -> Scope:
        with self.db.read() as s:
            return print_scope.ALL if unit_id is None else print_scope.of(s, kind, unit_id)

    def _check(self, kind: Kind, scope: Scope) -> None:
        self.require(Permission.PRINT, scope.village_id)
        if scope.kind not in kind.scopes:
            allowed = "、".join(k.label for k in kind.scopes)
            raise ValidationError(f"{kind.label}不能按{scope.kind.label}打印，请选择：{allowed}。")

    # ---- the documents' data ---------------------------------------------------------------
    def work_ids(self, scope: Scope, year: int) -> list[doc.WorkIdCard]:
        """The cards of the scope's heads; refused while a head has no work ID number yet (a
        card without one cannot be checked against the register)."""
        self._check(KINDS["work-ids"], scope)
        heads = self._heads(scope)
        unnumbered = [h for h in heads if not h.card_number.strip()]
        if unnumbered:
            named = "、".join(f"{h.name}（{h.village}{h.area}{h.role.label}）" for h in unnumbered[:5])
            more = f"等{len(unnumbered)}人" if len(unnumbered) > 5 else ""
            raise ValidationError(f"{named}{more}还没有工作证编号，不能打印工作证。"
                                  "请先在“组织架构”里为他们登记工作证编号，再打印。")
        photos = self._photos(heads)
        return [doc.WorkIdCard(h.name, h.role.label, h.area, h.village, h.card_number,
                               f"{h.village}党支部", year, photo=photos.get(h.resident_id),
                               natural_village=h.natural_village,
                               qr=work_id_code(h.village_id, h.head_id, h.card_number))
                for h in heads]

    def duty_cards(self, scope: Scope) -> list[doc.DutyCard]:
        self._check(KINDS["duty-cards"], scope)
        heads = self._heads(scope)
        photos = self._photos(heads)
        return [doc.DutyCard(h.name, h.role.label, h.phone, h.area, h.village,
                             h.supervision_phone, f"{h.village}党支部",
                             photo=photos.get(h.resident_id))
                for h in heads]

    def rosters(self, scope: Scope, on: date) -> list[doc.Roster]:
        self._check(KINDS["roster"], scope)
        heads = self._heads(scope)
        with self.db.read() as s:
            by_zone, by_alley = _household_counts(s)
        rosters: dict[int, list[_HeadRow]] = {}
        for head in heads:
            rosters.setdefault(head.village_id, []).append(head)
        # Less than a village: the roster is titled as what it covers (a zone's as the zone's).
        parts = scope.label.split("/")  # a natural village named as its village is said once
        unit = "" if scope.kind in (ScopeKind.ALL, ScopeKind.VILLAGE) else "".join(
            part for i, part in enumerate(parts) if i == 0 or part != parts[i - 1])
        return [doc.Roster(rows[0].village, f"{rows[0].village}党支部", on, tuple(
            doc.RosterRow(h.natural_village, h.zone, h.alley, h.role.label, h.name, h.phone,
                          by_alley.get(h.alley_id, 0) if h.alley_id else by_zone.get(h.zone_id, 0))
            for h in rows), rows[0].supervision_phone, unit) for rows in rosters.values()]

    def pledges(self, scope: Scope, year: int) -> list[doc.PledgeForm]:
        self._check(KINDS["pledges"], scope)
        # The zone head of an alley lies outside an alley's or a household's scope.
        heads = self._heads(print_scope.ALL if scope.village_id is None
                            else Scope(ScopeKind.VILLAGE, scope.village_id, "", scope.village_id))
        zone_heads = {h.zone_id: h.name for h in heads if h.role is HeadRole.ZONE}
        alley_heads = {h.alley_id: h.name for h in heads if h.role is HeadRole.ALLEY}
        with self.db.read() as s:
            stmt = _filtered(_household_query(), scope).order_by(
                AdminVillage.sort_order, NaturalVillage.sort_order, Zone.sort_order,
                Alley.sort_order, Household.id)
            rows = s.execute(stmt).all()
        return [doc.PledgeForm(name, address, alley, zone, village, secretary,
                               zone_heads.get(zone_id, ""), alley_heads.get(alley_id, ""), year,
                               f"{year}-{household_id:05d}")
                for household_id, name, address, alley_id, alley, zone_id, zone, village,
                secretary in rows]

    def passbook(self, scope: Scope, year: int) -> doc.PassbookPrint:
        self._check(KINDS["passbook"], scope)
        view = PointsService(self.db, self.actor).passbook(scope.id, year)
        entries = []
        for e in view.entries:
            if e.kind is EntryKind.OPENING:
                continue
            points = e.score_delta if e.score_delta else -e.spend_delta
            note = f"超出上限，计入{e.score_delta}分" if e.requested and e.requested != e.score_delta \
                and e.kind in (EntryKind.AWARD, EntryKind.DEDUCTION) else ""
            note = "；".join(filter(None, (note, view.shortfall_after(e).note)))
            entries.append(doc.PassbookEntry(e.occurred_on, e.text or e.kind.label, e.kind.label,
                                             points, e.score_after, max(e.balance_after, 0), note))
        head = view.head
        as_of = min(clock.today(), date(year, 12, 31))
        with self.db.read() as s:
            resident_id = s.scalar(select(Head.resident_id).where(Head.id == scope.id))
            photo = latest_photos(s, [resident_id]).get(resident_id)
        return doc.PassbookPrint(head.name, head.role, head.unit, head.village, year,
                                 tuple(entries), view.opening, as_of, photo,
                                 verification=self._verification(Passbook.id == view.passbook_id))

    def receipt(self, number: str, village_id: int | None = None) -> doc.Receipt:
        """The 兑换凭证 of a redemption, by its number (DH2026-000001) within a village, or by
        its id. Numbers repeat across villages: a village account looks in its own village, a
        township account names the village when the number is not unique."""
        row = self._receipt_row(number, village_id)
        self.require(Permission.PRINT, row.admin_village_id)
        data = CounterService(self.db, self.actor).receipt_data(row.id)
        lines = tuple(doc.ReceiptLine(x.name, x.quantity, x.unit, x.points) for x in data.lines)
        number_text = f"{data.number}（已撤销）" if data.cancelled else data.number
        entry = select(Redemption.entry_id).where(Redemption.id == row.id).scalar_subquery()
        return doc.Receipt(number_text, f"{data.head_name}·{data.head_role}", data.village,
                           lines, data.total, data.spendable_after, data.operator,
                           row.entered_at.astimezone().replace(tzinfo=None),
                           self._verification(LedgerEntry.id == entry, by_entry=True))

    def _verification(self, condition, *, by_entry: bool = False) -> str:  # type: ignore[no-untyped-def]
        """"P123-12 K7QF3-M9X2A": a passbook's head (or one entry) as its verification code."""
        if by_entry:
            stmt = select(LedgerEntry.passbook_id, LedgerEntry.seq, LedgerEntry.hash)
        else:
            stmt = select(Passbook.id, Passbook.last_seq, Passbook.last_hash)
        with self.db.read() as s:
            row = s.execute(stmt.where(condition)).first()
        if row is None or not row[1]:
            return ""
        where = anchors.ref("P", row[0], row[1])
        return f"{where} {anchors.code(where, row[2])}"

    def _receipt_row(self, number: str, village_id: int | None):  # type: ignore[no-untyped-def]
        text = search_text(number, 30).upper()
        receipt_id = as_id(text)
        condition = Redemption.id == receipt_id if receipt_id is not None else \
            Redemption.number == text
        stmt = select(Redemption.id, Redemption.number, Redemption.admin_village_id,
                      Redemption.entered_at, AdminVillage.name).join(AdminVillage).where(condition)
        if village_id is not None:
            stmt = stmt.where(Redemption.admin_village_id == village_id)
        elif self.actor.villages is not None:  # a village account looks in its own villages
            stmt = stmt.where(Redemption.admin_village_id.in_(self.actor.villages))
        with self.db.read() as s:
            rows = s.execute(stmt.order_by(AdminVillage.sort_order).limit(20)).all()
        if not rows:
            raise NotFound(f"找不到兑换凭证“{shown(text)}”。")
        if len(rows) > 1:
            raise ValidationError(f"兑换凭证号“{shown(text)}”在{len(rows)}个村都有（"
                                  f"{'、'.join(r.name for r in rows)}），请写明是哪个村的。")
        return rows[0]

    def talk_list_notice(self, scope: Scope, year: int, doc_number: str = "",
                         on: date | None = None) -> doc.Notice:
        """The 约谈 list notice; without `doc_number` the number is taken from the register
        (or the line left out when the organ has no 机关代字)."""
        self._check(KINDS["talk-list"], scope)
        rows = PointsService(self.db, self.actor).talk_list(year, scope.village_id)
        on = on or clock.today()
        township = self._township_of(scope)
        organ = f"{scope.label}党支部" if scope.village_id else f"{township}党委"
        where = scope.label if scope.village_id else township
        number = doc_number or self.take_doc_number(scope, f"talk-list:{year}",
                                                    talk_list_title(year), on)
        return talk_list_document(organ, number, where, year, on, [
            TalkListRow(w.head.name, w.head.role, w.head.unit, w.head.phone, w.score,
                        tuple(w.reasons)) for w in rows])

    def take_doc_number(self, scope: Scope, subject: str, title: str, on: date) -> str:
        """The 发文字号 of a notice issued for `scope` (its village's branch, or the township's
        when township-wide), taken from the register; "" when the organ has no 机关代字."""
        with self.operation(Permission.PRINT) as s:
            self.require(Permission.PRINT, scope.village_id)
            township = self._township_of(scope, s)
            if scope.village_id:
                village = s.scalar(select(AdminVillage.name).where(
                    AdminVillage.id == scope.village_id)) or ""
                code = numbering.organ_code(s, numbering.VILLAGE_CODE, township, village)
            else:
                code = numbering.organ_code(s, numbering.TOWNSHIP_CODE, township)
            number = numbering.take(s, code, year=on.year,
                                    subject=f"{subject}:{scope.village_id or 0}", title=title,
                                    on=on, taken_by=self.actor.name, village_id=scope.village_id)
            if number:
                audit.record(s, self.actor, "编发文字号", "issued_number", None,
                             village_id=scope.village_id, after={"number": number, "title": title})
            return number

    def _township_of(self, scope: Scope, s: Session | None = None) -> str:
        if s is None:
            with self.db.read() as session:
                return self._township_of(scope, session)
        stmt = select(Township.name).order_by(Township.id)
        if scope.village_id:
            stmt = stmt.join(AdminVillage, AdminVillage.township_id == Township.id).where(
                AdminVillage.id == scope.village_id)
        return s.scalar(stmt) or ""

    def log_sheets(self, scope: Scope, month: Month) -> list[doc.LogSheet]:
        """Blank 工作日志 of the scope's alley heads for a month."""
        self._check(KINDS["worklog-sheets"], scope)
        heads = [h.head_id for h in self._heads(scope) if h.role is HeadRole.ALLEY]
        if not heads:
            raise ValidationError(f"{scope.label}没有在任的胡同长（三个一工作日志只为胡同长打印）。")
        with self.db.read() as s:
            return worklog_paper.log_sheets(s, heads, month)

    def reminder_sheet(self, scope: Scope) -> doc.ReminderSheet:
        """Who has not yet patrolled today, summarised this week or visited this month."""
        self._check(KINDS["worklog-reminders"], scope)
        reminders = CompletenessService(self.db, self.actor).reminders(village_id=scope.village_id)
        with self.db.read() as s:
            township = s.scalar(select(Township.name).order_by(Township.id))
        issuer = f"{scope.label}党支部" if scope.village_id else f"{township}党委"
        return worklog_paper.reminder_sheet(reminders, issuer)

    # ---- one print job ----------------------------------------------------------------------
    def job(self, kind: str, scope: Scope, *, year: int | None = None, paper: str = "",
            number: str = "", doc_number: str = "", month: Month | None = None,
            problem_filter: ProblemFilter | None = None) -> PrintJob:
        """Check and load one print job now, so refusals come before any file is opened. The
        问题整改台账 lists `problem_filter`'s problems (the page's), else the scope's of the year."""
        spec = KINDS.get(kind)
        if spec is None:
            raise ValidationError(f"不认识的打印文档“{shown(kind)}”。可选：{'、'.join(KINDS)}。")
        paper = paper or spec.papers[0]
        if paper not in spec.papers:
            raise ValidationError(f"{spec.label}只能用{'、'.join(spec.papers)}纸打印。")
        year = year or self.default_year(spec.key)
        if spec.key in PROBLEM_KINDS:
            return self._problem_job(spec, paper, number)
        if spec.key == "problem-ledger":
            from models.problems.service import ProblemFilter

            return self._ledger_job(spec, paper, problem_filter
                                    or ProblemFilter(village_id=scope.village_id, year=year))
        if spec.key == "worklog-sheets":
            document: object = self.log_sheets(scope, month or Month.of(clock.today()))
        else:
            document = self._document(spec.key, scope, year, number, doc_number)
        if spec.key == "receipt":
            row = self._receipt_row(number, scope.village_id if scope else None)
            label, village = row.number, row.admin_village_id
        else:
            label, village = scope.label, scope.village_id
        return PrintJob(spec, label, village, paper, document)

    def default_year(self, kind: str) -> int:
        """The year a document of `kind` is about unless the user picks one: a passbook or the
        约谈 list the points bank's working year (in January the just-ended year until it is
        closed), anything else the current year."""
        if kind in ("passbook", "talk-list"):
            return PointsService(self.db, self.actor).working_year()
        return clock.today().year

    def _ledger_job(self, spec: Kind, paper: str, criteria: ProblemFilter) -> PrintJob:
        """问题整改台账: printable in every village the filter (or the account) covers."""
        for village_id in [criteria.village_id] if criteria.village_id else \
                sorted(self.actor.villages or {None}, key=lambda v: v or 0):
            self.require(Permission.PRINT, village_id)
        from models.problems.service import ProblemsService

        ledger = ProblemsService(self.db, self.actor).ledger(criteria)
        return PrintJob(spec, ledger.title, criteria.village_id, paper, ledger)

    def _problem_job(self, spec: Kind, paper: str, number: str) -> PrintJob:
        """整改通知书 or 督办单 of one problem (`number`: its id)."""
        if not number.strip().isdigit():
            raise ValidationError(f"请先选择要打印{spec.label}的问题。")
        from models.problems.service import ProblemsService

        problems = ProblemsService(self.db, self.actor)
        problem_id = int(number)
        if spec.key == "problem-notice":
            notice = problems.notice(problem_id)
            label, document = f"{notice.village}{notice.number}", notice
        else:
            slip = problems.supervision_slip(problem_id)
            label, document = f"{slip.village}{slip.problem_number}", slip
        return PrintJob(spec, label, problems.village_of(problem_id), paper, document)

    def record_printed(self, job: PrintJob, pages: int, target: Path) -> PrintResult:
        """Audit a job the paper layer has rendered to `target`."""
        with self.operation(Permission.PRINT) as s:
            audit.record(s, self.actor, "打印", "print", None, village_id=job.village_id,
                         after={"document": job.kind.label, "scope": job.scope_label, "pages": pages})
        return PrintResult(job.kind.label, job.scope_label, pages, Path(target))

    def _document(self, kind: str, scope: Scope, year: int, number: str, doc_number: str) -> object:
        if kind == "work-ids":
            return self.work_ids(scope, year)
        if kind == "duty-cards":
            return self.duty_cards(scope)
        if kind == "roster":
            return self.rosters(scope, clock.today())
        if kind == "pledges":
            return self.pledges(scope, year)
        if kind == "passbook":
            return self.passbook(scope, year)
        if kind == "receipt":
            return self.receipt(number, scope.village_id if scope else None)
        if kind == "worklog-reminders":
            return self.reminder_sheet(scope)
        if kind in PEOPLE_PAPERS:
            self._check(KINDS[kind], scope)
            return PEOPLE_PAPERS[kind](self, scope, year, number)
        return self.talk_list_notice(scope, year, doc_number)

    def redemptions(self, village_id: int, start: date, end: date) -> list[RedemptionRow]:
        """The receipts the print centre offers: the counter's own list."""
        return CounterService(self.db, self.actor).redemptions(village_id, start, end)

    # ---- loading -----------------------------------------------------------------------------
    def _heads(self, scope: Scope) -> list[_HeadRow]:
        if scope.kind is ScopeKind.HOUSEHOLD:
            return []
        with self.db.read() as s:
            return [_HeadRow(*row) for row in s.execute(_filtered(_head_query(), scope)).all()]

    def _photos(self, heads: list[_HeadRow]) -> dict[int, bytes]:
        with self.db.read() as s:
            return latest_photos(s, (h.resident_id for h in heads))


@dataclass(frozen=True)
class TalkListRow:
    name: str
    role: str
    unit: str
    phone: str
    score: int
    reasons: tuple[str, ...]


def talk_list_title(year: int) -> str:
    return f"关于{year}年度片区长胡同长约谈名单的通报"


def talk_list_document(organ: str, number: str, where: str, year: int, on: date,
                       rows: list[TalkListRow]) -> doc.Notice:
    """The 约谈 list notice of `where` (a village or the township) from its rows."""
    table = doc.NoticeTable(
        ("序号", "姓名", "职务", "所在区域", "联系电话", "积分", "主要扣分事项"),
        tuple((str(i), r.name, r.role, r.unit, mask_phone(r.phone), str(r.score),
               "；".join(r.reasons[-2:]) or "—") for i, r in enumerate(rows, 1)),
        f"{year}年度约谈名单", (0.06, 0.1, 0.09, 0.21, 0.15, 0.07, 0.32))
    paragraphs = (
        f"根据积分银行管理办法，{TALK_RULE}",
        f"截至{doc.chinese_date(on)}，{where}共有{len(rows)}名负责人列入"
        f"{year}年度约谈名单，现予以通报。" if rows else
        f"截至{doc.chinese_date(on)}，{where}{year}年度没有负责人列入约谈名单。",
    )
    return doc.Notice(organ, number, talk_list_title(year), "各片区长、胡同长：", paragraphs,
                      organ, on, table if rows else None, names=tuple(r.name for r in rows))


def _head_query():  # type: ignore[no-untyped-def]
    zone_id = func.coalesce(Alley.zone_id, Head.zone_id)
    zone_first = case((Head.role == HeadRole.ZONE, 0), else_=1)
    return (select(Head.id, Resident.name, Resident.phone, Head.role, Zone.id, Zone.name,
                   Head.alley_id, func.coalesce(Alley.name, ""), NaturalVillage.name,
                   AdminVillage.id, AdminVillage.name, AdminVillage.secretary_name,
                   AdminVillage.supervision_phone, Head.work_id_number, Head.resident_id)
            .join(Resident, Resident.id == Head.resident_id)
            .outerjoin(Alley, Alley.id == Head.alley_id)
            .join(Zone, Zone.id == zone_id)
            .join(NaturalVillage, NaturalVillage.id == Zone.natural_village_id)
            .join(AdminVillage, AdminVillage.id == NaturalVillage.admin_village_id)
            .where(Head.ended_on.is_(None))
            .order_by(AdminVillage.sort_order, AdminVillage.id, NaturalVillage.sort_order,
                      Zone.sort_order, Zone.id, zone_first, Alley.sort_order, Head.id))


def _household_query():  # type: ignore[no-untyped-def]
    return (select(Household.id, Household.householder_name, Household.address, Alley.id,
                   Alley.name, Zone.id, Zone.name, AdminVillage.name, AdminVillage.secretary_name)
            .join(Alley, Alley.id == Household.alley_id)
            .join(Zone, Zone.id == Alley.zone_id)
            .join(NaturalVillage, NaturalVillage.id == Zone.natural_village_id)
            .join(AdminVillage, AdminVillage.id == NaturalVillage.admin_village_id)
            .where(Household.removed_on.is_(None)))


def _filtered(stmt, scope: Scope):  # type: ignore[no-untyped-def]
    column = {ScopeKind.VILLAGE: AdminVillage.id, ScopeKind.NATURAL: NaturalVillage.id,
              ScopeKind.ZONE: Zone.id, ScopeKind.ALLEY: Alley.id, ScopeKind.HEAD: Head.id,
              ScopeKind.HOUSEHOLD: Household.id}.get(scope.kind)
    return stmt if column is None else stmt.where(column == scope.id)


def _household_counts(s: Session) -> tuple[dict[int, int], dict[int, int]]:
    rows = s.execute(select(Alley.zone_id, Alley.id, func.count(Household.id))
                     .join(Household, Household.alley_id == Alley.id)
                     .where(Household.removed_on.is_(None)).group_by(Alley.zone_id, Alley.id)).all()
    by_zone: dict[int, int] = {}
    for zone_id, _, n in rows:
        by_zone[zone_id] = by_zone.get(zone_id, 0) + n
    return by_zone, {alley_id: n for _, alley_id, n in rows}
