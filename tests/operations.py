"""Every mutating service call, for the permission test (tests/test_permissions.py).

An entry names the call, performs it once as a given actor on the demo town, and says which
Permission it needs and which village's data it changes (None: township-wide). Each feature
appends its entries to OPERATIONS, and any ids it needs to FIXTURES (a function from a read
session to a dict merged into the fixture data)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.accounts.service import AccountService
from models.accounts.tables import Account
from models.backup import files as backup
from models.backup.service import BackupService
from models.core import clock
from models.core.access import SYSTEM, Actor, Permission, Role
from models.core.db import Database
from models.core.errors import PermissionDenied, ValidationError
from models.core.settings import ZONE_HOUSEHOLD_CAP
from models.org.directory import Level
from models.org.photos import HeadPhotoService, prepare_photo
from models.org.pledges import PledgeService
from models.org.roster import RosterService
from models.org.roster_sheet import COLUMNS
from models.org.service import HouseholdInput, OrganisationService, ResidentInput
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
from models.points import ledger
from models.people.assessment import AssessmentService
from models.people.eligibility import eligibility
from models.people.honours import HonoursService
from models.people.policy import TOP_TIE_BREAK
from models.people.tables import (
    AssessmentGrade,
    EvidenceKind,
    HonourKind,
    HonourNomination,
    Nominee,
    TalentCategory,
    TalentEntry,
    TalentStatus,
)
from models.people.talent import TalentService
from models.points.demo import DEMO_YEAR
from models.points.service import PointsService, RuleInput
from models.points.tables import EntryKind, LedgerEntry, Passbook, PointsRule
from models.printing.scope import ScopeKind
from models.problems.service import Assignment, ProblemInput, ProblemsService
from models.problems.tables import Responsible
from models.printing.service import PrintService
from models.ranking.service import RankingService
from models.ranking.rules import PAY_QUARTER_BLACK
from models.ranking.tables import PayDeduction, RankingEntry, RankingList
from models.settings_service import SettingsService
from models.store.counter import CounterService, standing_of
from models.store.goods import GoodsService
from models.store.tables import Goods, Redemption, RedemptionStatus
from models.worklog.calendar import Month
from models.worklog.importing import LogImportService
from models.worklog.log import SummaryInput, VisitInput, WorkLogService
from models.worklog.matters import MatterInput, MatterService
from models.worklog.settlement import SettlementService
from models.worklog.tables import Finding, Matter, MatterStatus, OfficerRole, WeeklySummary
from reports.org.roster_xlsx import write_roster
from reports.worklog.log_xlsx import write_template
from reports.printing import print_document

Fixture = dict[str, Any]


@dataclass(frozen=True)
class Operation:
    name: str
    call: Callable[[Database, Actor, Fixture], object]
    permission: Permission
    village: Callable[[Fixture], int | None]
    # Run as the system on each fresh copy before the call (an empty unit to delete, a file to
    # import); returns more fixture data. Its writes are not the call's.
    prepare: Callable[[Database, Fixture], Fixture] | None = None
    sqlite_only: bool = False  # restoring a file: PostgreSQL is restored with pg_restore
    # Where the call leaves its record: the audit log, or the journal of its own ledger (a
    # 三个一 tick is one small row in worklog_patrol_change, not an audit row: 140,000 a year
    # in a town).
    audit_table: str = "audit_log"


def _home(fx: Fixture) -> int:
    return fx["village_id"]


def _township_wide(_fx: Fixture) -> None:
    return None


def _organisation(s: Session) -> Fixture:
    villages = s.scalars(select(AdminVillage).order_by(AdminVillage.sort_order)).all()
    home = villages[0]
    zone = s.scalars(select(Zone).join(NaturalVillage).where(
        NaturalVillage.admin_village_id == home.id).order_by(Zone.id)).first()
    roomy_alley = s.execute(
        select(Alley.id).join(Zone).join(NaturalVillage)
        .outerjoin(Household, Household.alley_id == Alley.id)
        .where(NaturalVillage.admin_village_id == home.id).group_by(Alley.id)
        .order_by(func.count(Household.id), Alley.id)).scalars().first()
    resident = s.scalars(select(Resident.id).join(Household).where(
        Household.alley_id == roomy_alley).order_by(Resident.id)).first()
    return {"township_id": home.township_id, "village_id": home.id,
            "other_village_id": villages[1].id, "natural_village_id": zone.natural_village_id,
            "zone_id": zone.id, "alley_id": roomy_alley, "resident_id": resident}


def _accounts(s: Session) -> Fixture:
    ids = dict(s.execute(select(Account.username, Account.id)).all())
    return {"secretary_account_id": ids["hanjia"], "clerk_account_id": ids["hanjia-wenshu"],
            "admin_account_id": ids["zhen-admin"], "inspector_account_id": ids["jigongwei"],
            "cadre_account_id": ids["baocun"], "patrol_account_id": ids["xunchaban"]}


def _people(s: Session) -> Fixture:
    """A household of the home village where nobody serves as a head, one of its non-householder
    members, another alley of the village with room, and a zone an alley can move to."""
    fx = _organisation(s)
    serving = select(Head.resident_id).where(Head.ended_on.is_(None))
    busy = select(Resident.household_id).where(Resident.id.in_(serving))
    household, alley = s.execute(
        select(Household.id, Household.alley_id).join(Alley).join(Zone).join(NaturalVillage)
        .join(Resident, Resident.household_id == Household.id)
        .where(NaturalVillage.admin_village_id == fx["village_id"], Household.removed_on.is_(None),
               Household.id.not_in(busy), Household.alley_id != fx["alley_id"],
               Resident.relation != "户主", Resident.removed_on.is_(None))
        .order_by(Household.id)).first()
    member = s.scalar(select(Resident.id).where(
        Resident.household_id == household, Resident.relation != "户主",
        Resident.removed_on.is_(None)).order_by(Resident.id))
    alley_zone = s.get(Alley, fx["alley_id"]).zone_id
    cap = ZONE_HOUSEHOLD_CAP.default
    in_zone = dict(s.execute(select(Alley.zone_id, func.count(Household.id)).join(Household)
                             .where(Household.removed_on.is_(None)).group_by(Alley.zone_id)).all())
    moving = s.scalar(select(func.count(Household.id)).where(
        Household.alley_id == fx["alley_id"], Household.removed_on.is_(None)))
    target = next(z for z in s.scalars(select(Zone.id).join(NaturalVillage).where(
        NaturalVillage.admin_village_id == fx["village_id"], Zone.id != alley_zone)
        .order_by(Zone.id)) if in_zone.get(z, 0) + moving <= cap)
    head = s.scalar(select(Head.id).where(Head.admin_village_id == fx["village_id"],
                                          Head.ended_on.is_(None)).order_by(Head.id))
    return {"household_id": household, "household_alley_id": alley, "member_id": member,
            "target_zone_id": target, "head_id": head}


def _points(s: Session) -> Fixture:
    home = s.scalars(select(AdminVillage.id).order_by(AdminVillage.sort_order)).first()
    today = clock.today()
    rule = s.scalar(select(PointsRule.id).where(
        PointsRule.points > 0, PointsRule.limit_count.is_(None),
        PointsRule.evidence_required.is_(False),
        (PointsRule.valid_from.is_(None)) | (PointsRule.valid_from <= today),
        (PointsRule.valid_to.is_(None)) | (PointsRule.valid_to >= today)).order_by(PointsRule.id))
    heads = list(s.scalars(select(Head.id).where(Head.admin_village_id == home,
                                                 Head.ended_on.is_(None)).order_by(Head.id)))
    reversed_ids = select(LedgerEntry.reverses_id).where(LedgerEntry.reverses_id.is_not(None))
    award = s.scalar(select(LedgerEntry.id).join(Passbook).where(
        Passbook.admin_village_id == home, Passbook.closed_on.is_(None),
        LedgerEntry.kind == EntryKind.AWARD, LedgerEntry.id.not_in(reversed_ids))
        .order_by(LedgerEntry.id.desc()))
    return {"rule_id": rule, "post_head_ids": heads[:2], "award_entry_id": award}


def _store(s: Session) -> Fixture:
    """Goods in stock in the home village, a head there who can afford one and is not on the
    约谈 list, and a redemption still standing."""
    home = s.scalars(select(AdminVillage.id).order_by(AdminVillage.sort_order)).first()
    goods = s.scalars(select(Goods).where(Goods.admin_village_id == home, Goods.active.is_(True),
                                          Goods.stock > 0).order_by(Goods.price_points)).first()
    year = clock.today().year
    buyer = next(h.id for h in s.scalars(select(Head).where(
        Head.admin_village_id == home, Head.ended_on.is_(None)).order_by(Head.id))
        if (st := standing_of(s, h.resident_id, year)).score >= st.opening)
    sale = s.execute(select(Redemption.id, Redemption.occurred_on).where(
        Redemption.admin_village_id == home, Redemption.status == RedemptionStatus.DONE)
        .order_by(Redemption.id.desc())).first()
    return {"goods_id": goods.id, "goods_price": goods.price_points, "buyer_head_id": buyer,
            "goods_stock": goods.stock,
            "redemption_id": sale[0], "redemption_on": sale[1]}


def _ranking(s: Session) -> Fixture:
    home = s.scalars(select(AdminVillage).order_by(AdminVillage.sort_order)).first()
    nv = s.scalars(select(NaturalVillage).where(NaturalVillage.admin_village_id == home.id)
                   .order_by(NaturalVillage.id)).first()
    deducted = select(PayDeduction.entry_id)
    black = s.scalar(select(RankingEntry.id).join(RankingList).where(
        RankingEntry.admin_village_id == home.id, RankingEntry.colour == "black",
        RankingList.kind == "quarter", RankingList.version == 1,
        RankingEntry.id.not_in(deducted)).order_by(RankingEntry.id))
    month = s.scalar(select(func.max(RankingList.period)).where(RankingList.kind == "month"))
    return {"scored_natural_village_id": nv.id, "scored_natural_village": nv.name,
            "scored_zones": [(z.id, z.name) for z in nv.zones], "black_entry_id": black,
            "published_month": month, "village_name": home.name,
            "township_name": s.get(Township, home.township_id).name}


def _problems(s: Session) -> Fixture:
    from models.problems.tables import ProblemCategory, ProblemSource

    return {"problem_source_id": s.scalar(select(ProblemSource.id).order_by(ProblemSource.id)),
            "problem_category_id": s.scalar(select(ProblemCategory.id).order_by(ProblemCategory.id))}


def _worklog(s: Session) -> Fixture:
    """An alley head of the home village, his alley's first household, a summary of his to
    take back, and a dispute still being handled there."""
    home = s.scalars(select(AdminVillage.id).order_by(AdminVillage.sort_order)).first()
    head = s.scalars(select(Head).where(Head.admin_village_id == home, Head.role == HeadRole.ALLEY,
                                        Head.ended_on.is_(None)).order_by(Head.id)).first()
    household = s.scalar(select(Household.id).where(Household.alley_id == head.alley_id,
                                                    Household.removed_on.is_(None))
                         .order_by(Household.id))
    summary = s.scalar(select(WeeklySummary.week_start).where(WeeklySummary.head_id == head.id)
                       .order_by(WeeklySummary.week_start.desc()))
    matter = s.scalar(select(Matter.id).where(Matter.admin_village_id == home,
                                              Matter.status == MatterStatus.IN_PROGRESS)
                      .order_by(Matter.id))
    finding = s.scalar(select(Finding.id).join(Head, Head.id == Finding.head_id).where(
        Head.admin_village_id == home, Finding.raised_as == "").order_by(Finding.id))
    return {"log_head_id": head.id, "log_household_id": household, "log_summary_week": summary,
            "matter_id": matter, "finding_id": finding}


def _honours_and_pool(s: Session) -> Fixture:
    """The people area on the demo town: an eligible alley head of the home village not yet
    nominated as 年度优秀胡同长, a 不称职 head still serving with a householder of his unit to
    succeed him, an adult of the village outside the pool, and an open pool entry."""
    home = s.scalars(select(AdminVillage.id).order_by(AdminVillage.sort_order)).first()
    year = DEMO_YEAR  # the demo's year of honours and assessment (also on 1 January after it)
    kind = s.scalar(select(HonourKind.id).where(HonourKind.name == "年度优秀胡同长"))
    nominated = select(HonourNomination.resident_id).where(HonourNomination.year == year)
    alley_heads = list(s.scalars(select(Head.resident_id).where(
        Head.admin_village_id == home, Head.ended_on.is_(None), Head.role == HeadRole.ALLEY,
        Head.resident_id.not_in(nominated)).order_by(Head.id)))
    allowed = eligibility(s, year, alley_heads)
    unfit = s.execute(select(AssessmentGrade.id, Head.alley_id, Head.zone_id)
                      .join(Head, Head.id == AssessmentGrade.head_id)
                      .where(Head.admin_village_id == home, Head.ended_on.is_(None),
                             AssessmentGrade.grade == "不称职").order_by(AssessmentGrade.id)).first()
    alleys = [unfit.alley_id] if unfit.alley_id else list(s.scalars(
        select(Alley.id).where(Alley.zone_id == unfit.zone_id)))
    serving = select(Head.resident_id).where(Head.ended_on.is_(None))
    successor = s.scalar(select(Resident.id).join(Household).where(
        Household.alley_id.in_(alleys), Resident.id.not_in(serving), Resident.removed_on.is_(None),
        Household.removed_on.is_(None)).order_by(Resident.id))
    in_pool = select(TalentEntry.resident_id)
    outsider = s.scalar(select(Resident.id).join(Household).join(Alley).join(Zone).join(NaturalVillage)
                        .where(NaturalVillage.admin_village_id == home,
                               Resident.id.not_in(in_pool), Resident.id.not_in(serving),
                               Resident.removed_on.is_(None)).order_by(Resident.id))
    entry = s.scalar(select(TalentEntry.id).where(TalentEntry.admin_village_id == home)
                     .order_by(TalentEntry.id.desc()))
    return {"people_year": year, "excellent_alley_kind": kind,
            "nominee_id": next(r for r in alley_heads if allowed[r].eligible),
            "unfit_grade_id": unfit.id, "successor_id": successor, "outsider_id": outsider,
            "open_entry_id": entry}


FIXTURES: list[Callable[[Session], Fixture]] = [_organisation, _accounts, _people, _points, _store,
                                                _ranking, _problems, _worklog, _honours_and_pool]


def fixture_data(db: Database) -> Fixture:
    data: Fixture = {}
    with db.read() as s:
        for gather in FIXTURES:
            data.update(gather(s))
    return data


def org(db: Database, actor: Actor) -> OrganisationService:
    return OrganisationService(db, actor)


def accounts(db: Database, actor: Actor) -> AccountService:
    return AccountService(db, actor)


def _prepare_empty_alley(db: Database, fx: Fixture) -> Fixture:
    return {"empty_alley_id": OrganisationService(db, SYSTEM).create_alley(fx["zone_id"], "待删胡同")}


def _prepare_roster_file(db: Database, fx: Fixture) -> Fixture:
    """A one-household roster for the home village's roomiest alley, in the import layout."""
    with db.read() as s:
        alley = s.get(Alley, fx["alley_id"])
        nv = alley.zone.natural_village
        values = {"township": fx["township_name"], "village": fx["village_name"],
                  "natural": nv.name, "zone": alley.zone.name, "alley": alley.name,
                  "household": "新-1", "address": "新户门牌1号", "name": "新来户",
                  "relation": "户主", "gender": "男", "birth_year": 1970}
    path = fx["folder"] / "农户名单.xlsx"
    write_roster(path, [[values.get(field, "") for _, field in COLUMNS]])
    return {"roster_file": path}


def _prepare_scores_file(db: Database, fx: Fixture) -> Fixture:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["自然村", "片区", "群众评议", "片区长观摩评议", "书记评议"])
    zone_name = fx["scored_zones"][0][1]
    book.active.append([fx["scored_natural_village"], zone_name, 91, 92, 93])
    path = fx["folder"] / "评议分.xlsx"
    book.save(path)
    return {"scores_file": path}


def _prepare_buyer(db: Database, fx: Fixture) -> Fixture:
    """Points the buyer can spend today: on 1 January nobody has any yet (last year's lapsed
    at the year end), so he is first awarded by rule until he can afford the goods."""
    for _ in range(fx["goods_price"] + 1):  # each award is worth at least one point
        with db.read() as s:
            head = s.get(Head, fx["buyer_head_id"])
            if standing_of(s, head.resident_id, clock.today().year).spendable >= fx["goods_price"]:
                return {}
        PointsService(db, SYSTEM).post(fx["buyer_head_id"], fx["rule_id"], clock.today(), "协助宣传")
    raise AssertionError("the buyer could not be given enough points to redeem")


def _prepare_quarterly_deductions(db: Database, fx: Fixture) -> Fixture:
    """The township's setting that quarterly black villages' secretaries lose pay too (off by
    default, so the demo's quarterly entries carry none yet)."""
    SettingsService(db, SYSTEM).put(PAY_QUARTER_BLACK.key, True)
    return {}


def _prepare_last_years_passbook(db: Database, fx: Fixture) -> Fixture:
    """A passbook of last year to close: the demo's year is this year until January, and a
    year without passbooks is not closed."""
    with db.write() as s:
        head = s.get(Head, fx["post_head_ids"][0])
        ledger.passbook_for(s, SYSTEM, head, clock.today().year - 1)
    return {}


def _prepare_backup(db: Database, fx: Fixture) -> Fixture:
    return {"backup_file": backup.make_backup(db.path, "手动")}


def _publish(db: Database, actor: Actor, fx: Fixture) -> int:
    period = fx["published_month"]
    service = RankingService(db, actor)
    reasons = {m.unit_id: "环境卫生整治不到位" for g in RankingService(db, SYSTEM).selection(
        period).groups for m in g.black}
    return service.publish(period, reasons, change_note="复核后更正")


def _print_roster(db: Database, actor: Actor, fx: Fixture) -> object:
    service = PrintService(db, actor)
    scope = service.unit_scope(ScopeKind.ALLEY, fx["alley_id"])
    return print_document(service, "roster", scope, fx["folder"] / "公示名单.pdf")


def _take_doc_number(db: Database, actor: Actor, fx: Fixture) -> object:
    service = PrintService(db, actor)
    scope = service.unit_scope(ScopeKind.VILLAGE, fx["village_id"])
    return service.take_doc_number(scope, "talk-list:2026", "约谈名单通报", clock.today())


def _restore(db: Database, actor: Actor, fx: Fixture) -> object:
    return BackupService(db, actor).restore(fx["backup_file"])


def _prepare_village_file(db: Database, fx: Fixture) -> Fixture:
    """A village that worked on its own SQLite file, in the demo's township, ready to move up."""
    from models.core.schema import migrate

    source = Database(fx["folder"] / "新迁村.db")
    migrate(source)
    org = OrganisationService(source, SYSTEM)
    village = org.create_admin_village(org.create_township(fx["township_name"]), "新迁村")
    org.create_zone(org.create_natural_village(village, "新迁"), "东片区")
    source.dispose()
    return {"village_file": fx["folder"] / "新迁村.db"}


def _move_up(db: Database, actor: Actor, fx: Fixture) -> object:
    from models.server.moving import MoveService

    source = Database(fx["village_file"], read_only=True)
    try:
        return MoveService(db, actor).move_up(source, "新迁村")
    finally:
        source.dispose()


def _prepare_packages(db: Database, fx: Fixture) -> Fixture:
    """The home village as if it had moved up from its own file with the same ids, and this
    month's packages both ways (importing them finds everything already there)."""
    from models.server.package import PackageService
    from models.server.tables import MovedRow

    with db.write() as s:
        village = s.get(AdminVillage, fx["village_id"])
        label = f"{s.get(Township, village.township_id).name}/{village.name}"
        if s.scalar(select(func.count(MovedRow.id)).where(MovedRow.source == label)) == 0:
            for table, ids in (("resident", select(Resident.id).join(Household).join(Alley).join(Zone)
                                .join(NaturalVillage).where(NaturalVillage.admin_village_id ==
                                                            fx["village_id"])),
                               ("head", select(Head.id).where(Head.admin_village_id == fx["village_id"]))):
                s.add_all(MovedRow(source=label, table_name=table, source_id=i, target_id=i)
                          for i in s.scalars(ids))
    month = clock.today().strftime("%Y-%m")
    packages = PackageService(db, SYSTEM)
    packages.export_up(fx["village_id"], month, fx["folder"] / "上报.json")
    packages.export_down(fx["village_id"], month, fx["folder"] / "下发.json")
    return {"package_up": fx["folder"] / "上报.json", "package_down": fx["folder"] / "下发.json"}


def _package(db: Database, actor: Actor, direction: str, path: Path) -> object:
    from models.server.package import PackageService

    service = PackageService(db, actor)
    return service.import_up(path) if direction == "up" else service.import_down(path)


def _prepare_photo_folder(db: Database, fx: Fixture) -> Fixture:
    """A folder holding one photo named by the home head's work ID number."""
    import tempfile

    from tests.core.photos import jpeg, textured

    with db.read() as s:
        number = s.get(Head, fx["head_id"]).work_id_number
    holder = tempfile.TemporaryDirectory(prefix="cunzhi-photos-")  # removed with the fixture
    folder = Path(holder.name)
    (folder / f"{number}.jpg").write_bytes(jpeg(textured((250, 350), 5)))
    return {"photo_folder": folder, "photo_folder_holder": holder}


def _attach_photo(db: Database, actor: Actor, fx: Fixture) -> object:
    from tests.core.photos import jpeg, textured

    photo = prepare_photo(jpeg(textured((250, 350), 6)), "照片.jpg")
    return HeadPhotoService(db, actor).attach(fx["head_id"], photo)


def _import_roster(db: Database, actor: Actor, fx: Fixture) -> object:
    """The import reports a village the account may not change as a problem of the row (with
    all the file's other problems, nothing written); that is its refusal."""
    return _refused_rows(RosterService(db, actor).import_file(fx["roster_file"],
                                                              create_units=False))


def _refused_rows(result):  # type: ignore[no-untyped-def]
    """An import's problem in the 行政村 column is its refusal; any other problem fails it."""
    refusals = [p.reason for p in result.problems if p.column == "行政村"]
    if refusals:
        raise PermissionDenied(refusals[0])
    if not result.ok:
        raise ValidationError("；".join(p.reason for p in result.problems))
    return result


# The steps before the one under test are done by two people who are none of the actors, so
# that "复核 by someone other than who recorded the fix" never decides a permission test.
_FIXER = Actor("整改登记人", Role.TOWNSHIP_ADMIN, user_id=99001)
_CHECKER = Actor("复核人", Role.TOWNSHIP_ADMIN, user_id=99002)
_STEPS = ("assign", "rectify", "verify", "close")


def _problem_input(fx: Fixture) -> ProblemInput:
    return ProblemInput(clock.today(), fx["problem_source_id"], fx["problem_category_id"],
                        "门前堆放建筑垃圾", household_id=fx["household_id"], place="门前")


def _prepare_problem(up_to: str, escalated: bool = False):  # type: ignore[no-untyped-def]
    """A problem of the home village taken through the steps up to `up_to` ("registered" or one
    of _STEPS), escalated (拒不整改) after its 交办 when asked."""
    def prepare(db: Database, fx: Fixture) -> Fixture:
        problem_id = ProblemsService(db, SYSTEM).register(_problem_input(fx)).problem_id
        fixer, checker = ProblemsService(db, _FIXER), ProblemsService(db, _CHECKER)
        steps = {"assign": lambda: fixer.assign(problem_id, Assignment(Responsible.HOUSEHOLD)),
                 "rectify": lambda: fixer.rectify(problem_id, "已清理"),
                 "verify": lambda: checker.verify(problem_id, True),
                 "close": lambda: checker.close(problem_id)}
        for step in _STEPS[:_STEPS.index(up_to) + 1] if up_to in _STEPS else ():
            steps[step]()
            if step == "assign" and escalated:
                checker.escalate(problem_id, "户主拒不整改")
        return {"problem_id": problem_id}
    return prepare


def problems(db: Database, actor: Actor) -> ProblemsService:
    return ProblemsService(db, actor)
def _prepare_pending_nomination(db: Database, fx: Fixture) -> Fixture:
    made = HonoursService(db, SYSTEM).nominate(fx["people_year"], fx["excellent_alley_kind"],
                                               fx["nominee_id"], "巡查认真，胡同整洁")
    return {"nomination_id": made}


def _prepare_shared_top(db: Database, fx: Fixture) -> Fixture:
    """The home village's runner-up catches up with its top scorer, and with no tie-break the
    two share the prize: someone new to nominate (the demo has nominated its winners)."""
    SettingsService(db, SYSTEM).put(TOP_TIE_BREAK.key, "")
    honours, points = HonoursService(db, SYSTEM), PointsService(db, SYSTEM)
    top = honours.top_scorers(DEMO_YEAR, fx["village_id"]).top_score
    with db.read() as s:
        runner = s.execute(select(Passbook.head_id, Passbook.score).where(
            Passbook.year == DEMO_YEAR, Passbook.admin_village_id == fx["village_id"],
            Passbook.score < top).order_by(Passbook.score.desc(), Passbook.id)).first()
    day = min(clock.today(), date(DEMO_YEAR, 12, 31))
    for _ in range(top - runner.score):
        points.post(runner.head_id, fx["rule_id"], day, "补登")
        if points.passbook(runner.head_id, DEMO_YEAR).score >= top:
            break
    return {}


def _prepare_results(db: Database, fx: Fixture) -> Fixture:
    """Every head of the home village has last year's results entered."""
    year = fx["people_year"] - 1
    heads = AssessmentService(db, SYSTEM).sheet(fx["village_id"], year).rows
    AssessmentService(db, SYSTEM).enter_results(fx["village_id"], year, [
        (row.head.head_id, [30, 8, 2, 20, 5, 1, 50, 4, 2]) for row in heads])
    return {}


def _prepare_log_file(db: Database, fx: Fixture) -> Fixture:
    """The home village's November sheet, one more patrol ticked for its first head."""
    from openpyxl import load_workbook

    path = fx["folder"] / "巡查登记.xlsx"
    write_template(path, LogImportService(db, SYSTEM).template(fx["village_id"], Month(2026, 11)))
    book = load_workbook(path)
    sheet = book["巡查登记"]
    empty = next(column for column in range(7, 37) if not sheet.cell(row=2, column=column).value)
    sheet.cell(row=2, column=empty, value="√")
    book.save(path)
    return {"log_file": path}


def _import_log(db: Database, actor: Actor, fx: Fixture) -> object:
    """Like the roster import, a village the account may not change is a problem of the row."""
    return _refused_rows(LogImportService(db, actor).import_file(fx["log_file"]))


def worklog(db: Database, actor: Actor) -> WorkLogService:
    return WorkLogService(db, actor)


def points(db: Database, actor: Actor) -> PointsService:
    return PointsService(db, actor)


def goods(db: Database, actor: Actor) -> GoodsService:
    return GoodsService(db, actor)


def counter(db: Database, actor: Actor) -> CounterService:
    return CounterService(db, actor)


def ranking(db: Database, actor: Actor) -> RankingService:
    return RankingService(db, actor)


OPERATIONS: list[Operation] = [
    Operation("org.create_township", lambda db, a, fx: org(db, a).create_township("新镇"),
              Permission.SETTINGS, _township_wide),
    Operation("org.create_admin_village",
              lambda db, a, fx: org(db, a).create_admin_village(fx["township_id"], "新村"),
              Permission.SETTINGS, _township_wide),
    Operation("org.create_natural_village",
              lambda db, a, fx: org(db, a).create_natural_village(fx["village_id"], "新屯"),
              Permission.EDIT_ORGANISATION, _home),
    Operation("org.create_zone",
              lambda db, a, fx: org(db, a).create_zone(fx["natural_village_id"], "西"),
              Permission.EDIT_ORGANISATION, _home),
    Operation("org.create_alley",
              lambda db, a, fx: org(db, a).create_alley(fx["zone_id"], "新胡同"),
              Permission.EDIT_ORGANISATION, _home),
    Operation("org.add_household",
              lambda db, a, fx: org(db, a).add_household(fx["alley_id"], HouseholdInput("新户主")),
              Permission.EDIT_ORGANISATION, _home),
    Operation("org.appoint_head",
              lambda db, a, fx: org(db, a).appoint_head(
                  HeadRole.ALLEY, fx["alley_id"], fx["resident_id"], chosen_on=date(2024, 3, 1)),
              Permission.EDIT_ORGANISATION, _home),
    Operation("accounts.create_account(clerk)",
              lambda db, a, fx: accounts(db, a).create_account(
                  "xin-wenshu", "新文书", Role.CLERK, fx["village_id"], "新的密码123"),
              Permission.ACCOUNTS, _home),
    Operation("accounts.create_account(inspector)",
              lambda db, a, fx: accounts(db, a).create_account(
                  "xin-jiandu", "新监督员", Role.INSPECTOR, None, "新的密码123"),
              Permission.ACCOUNTS, _township_wide),
    Operation("accounts.reset_password(clerk)",
              lambda db, a, fx: accounts(db, a).reset_password(fx["clerk_account_id"], "重设的新密码"),
              Permission.ACCOUNTS, _home),
    Operation("accounts.reset_password(township admin)",
              lambda db, a, fx: accounts(db, a).reset_password(fx["admin_account_id"], "重设的新密码"),
              Permission.ACCOUNTS, _township_wide),
    Operation("accounts.set_active(clerk)",
              lambda db, a, fx: accounts(db, a).set_active(fx["clerk_account_id"], False),
              Permission.ACCOUNTS, _home),
    Operation("accounts.unlock(clerk)",
              lambda db, a, fx: accounts(db, a).unlock(fx["clerk_account_id"]),
              Permission.ACCOUNTS, _home),
    Operation("org.rename_unit(admin village)",
              lambda db, a, fx: org(db, a).rename_unit(Level.ADMIN_VILLAGE, fx["village_id"], "新名村"),
              Permission.SETTINGS, _home),
    Operation("org.rename_unit(alley)",
              lambda db, a, fx: org(db, a).rename_unit(Level.ALLEY, fx["alley_id"], "改名胡同"),
              Permission.EDIT_ORGANISATION, _home),
    Operation("org.move_unit(alley)",
              lambda db, a, fx: org(db, a).move_unit(Level.ALLEY, fx["alley_id"],
                                                     fx["target_zone_id"]),
              Permission.EDIT_ORGANISATION, _home),
    Operation("org.remove_unit(alley)",
              lambda db, a, fx: org(db, a).remove_unit(Level.ALLEY, fx["empty_alley_id"]),
              Permission.EDIT_ORGANISATION, _home, prepare=_prepare_empty_alley),
    Operation("org.update_household",
              lambda db, a, fx: org(db, a).update_household(
                  fx["household_id"], HouseholdInput("改名户主", address="新门牌2号")),
              Permission.EDIT_ORGANISATION, _home),
    Operation("org.move_household",
              lambda db, a, fx: org(db, a).move_household(fx["household_id"], fx["alley_id"]),
              Permission.EDIT_ORGANISATION, _home),
    Operation("org.remove_household",
              lambda db, a, fx: org(db, a).remove_household(fx["household_id"], "整户迁出"),
              Permission.EDIT_ORGANISATION, _home),
    Operation("org.add_resident",
              lambda db, a, fx: org(db, a).add_resident(
                  fx["household_id"], ResidentInput("新成员", relation="子女")),
              Permission.EDIT_ORGANISATION, _home),
    Operation("org.update_resident",
              lambda db, a, fx: org(db, a).update_resident(
                  fx["member_id"], ResidentInput("改名成员", relation="子女")),
              Permission.EDIT_ORGANISATION, _home),
    Operation("org.remove_resident",
              lambda db, a, fx: org(db, a).remove_resident(fx["member_id"], "迁出"),
              Permission.EDIT_ORGANISATION, _home),
    Operation("org.record_issue",
              lambda db, a, fx: org(db, a).record_issue(fx["head_id"], vest_issued_on=clock.today(),
                                                        work_id_number="GZ-001"),
              Permission.EDIT_ORGANISATION, _home),
    Operation("photos.attach", _attach_photo, Permission.EDIT_ORGANISATION, _home),
    Operation("photos.attach_folder",
              lambda db, a, fx: HeadPhotoService(db, a).attach_folder(fx["village_id"],
                                                                       fx["photo_folder"]),
              Permission.EDIT_ORGANISATION, _home, prepare=_prepare_photo_folder),
    Operation("roster.import_file", _import_roster, Permission.EDIT_ORGANISATION, _home,
              prepare=_prepare_roster_file),
    Operation("moving.move_up", _move_up, Permission.SETTINGS, _township_wide,
              prepare=_prepare_village_file),
    Operation("package.import_up", lambda db, a, fx: _package(db, a, "up", fx["package_up"]),
              Permission.SETTINGS, _township_wide, prepare=_prepare_packages),
    Operation("package.import_down", lambda db, a, fx: _package(db, a, "down", fx["package_down"]),
              Permission.EDIT_POINTS, _home, prepare=_prepare_packages),
    Operation("points.save_rule",
              lambda db, a, fx: points(db, a).save_rule(None, RuleInput("T-99", "协助检查", 2)),
              Permission.EDIT_POINTS, _township_wide),
    Operation("points.post",
              lambda db, a, fx: points(db, a).post(fx["post_head_ids"][0], fx["rule_id"],
                                                   clock.today(), "走访"),
              Permission.EDIT_POINTS, _home),
    Operation("points.post_batch",
              lambda db, a, fx: points(db, a).post_batch(fx["post_head_ids"], fx["rule_id"],
                                                         clock.today(), "走访"),
              Permission.EDIT_POINTS, _home),
    Operation("points.reverse",
              lambda db, a, fx: points(db, a).reverse(fx["award_entry_id"], "录错了人"),
              Permission.EDIT_POINTS, _home),
    Operation("points.import_evidence",
              lambda db, a, fx: points(db, a).import_evidence(fx["folder"]),
              Permission.EDIT_POINTS, _township_wide),
    Operation("points.close_year",
              lambda db, a, fx: points(db, a).close_year(clock.today().year - 1),
              Permission.EDIT_POINTS, _township_wide, prepare=_prepare_last_years_passbook),
    Operation("settings.put",
              lambda db, a, fx: SettingsService(db, a).put(ZONE_HOUSEHOLD_CAP.key, 60),
              Permission.SETTINGS, _township_wide),
    Operation("goods.create_goods",
              lambda db, a, fx: goods(db, a).create_goods(fx["village_id"], "新物品", "个", 10),
              Permission.MANAGE_GOODS, _home),
    Operation("goods.update_goods",
              lambda db, a, fx: goods(db, a).update_goods(fx["goods_id"], name="改名物品", unit="个",
                                                          price_points=12, active=True),
              Permission.MANAGE_GOODS, _home),
    Operation("goods.stock_in",
              lambda db, a, fx: goods(db, a).stock_in(fx["goods_id"], 5, on=clock.today(),
                                                      donor="爱心企业", value_yuan="50"),
              Permission.MANAGE_GOODS, _home),
    Operation("goods.write_off",
              lambda db, a, fx: goods(db, a).write_off(fx["goods_id"], 1, "受潮", on=clock.today()),
              Permission.MANAGE_GOODS, _home),
    Operation("goods.record_count",
              lambda db, a, fx: goods(db, a).record_count(fx["goods_id"], fx["goods_stock"] - 1,
                                                          on=clock.today()),
              Permission.MANAGE_GOODS, _home),
    Operation("counter.redeem",
              lambda db, a, fx: counter(db, a).redeem(fx["buyer_head_id"], {fx["goods_id"]: 1}),
              Permission.COUNTER, _home, prepare=_prepare_buyer),
    Operation("counter.cancel",
              lambda db, a, fx: counter(db, a).cancel(fx["redemption_id"], "拿错了物品",
                                                      today=fx["redemption_on"]),
              Permission.EDIT_POINTS, _home),
    Operation("ranking.enter_scores",
              lambda db, a, fx: ranking(db, a).enter_scores(
                  fx["scored_natural_village_id"], "2025-01",
                  [(fx["scored_zones"][0][0], 91, 92, 93)]),
              Permission.EVALUATE, _home),
    Operation("ranking.import_scores_xlsx",
              lambda db, a, fx: ranking(db, a).import_scores_xlsx(fx["scores_file"], "2025-01"),
              Permission.EVALUATE, _home, prepare=_prepare_scores_file),
    Operation("ranking.publish", _publish, Permission.EVALUATE, _township_wide),
    Operation("ranking.record_pay_deduction",
              lambda db, a, fx: ranking(db, a).record_pay_deduction(fx["black_entry_id"],
                                                                    "2025-01", "200"),
              Permission.EVALUATE, _township_wide, prepare=_prepare_quarterly_deductions),
    Operation("printing.record_printed", _print_roster, Permission.PRINT, _home),
    Operation("printing.take_doc_number", _take_doc_number, Permission.PRINT, _home),
    Operation("honours.add_kind",
              lambda db, a, fx: HonoursService(db, a).add_kind("最美庭院户", Nominee.ANYONE),
              Permission.PEOPLE, _township_wide),
    Operation("honours.nominate",
              lambda db, a, fx: HonoursService(db, a).nominate(
                  fx["people_year"], fx["excellent_alley_kind"], fx["nominee_id"], "巡查认真"),
              Permission.PEOPLE, _home),
    Operation("honours.nominate_top_scorers",
              lambda db, a, fx: HonoursService(db, a).nominate_top_scorers(fx["people_year"],
                                                                           fx["village_id"]),
              Permission.PEOPLE, _home, prepare=_prepare_shared_top),
    Operation("honours.decide",
              lambda db, a, fx: HonoursService(db, a).decide(
                  fx["nomination_id"], True, reward_what="荣誉证书", reward_value="100"),
              Permission.PEOPLE, _township_wide, prepare=_prepare_pending_nomination),
    Operation("honours.publish",
              lambda db, a, fx: HonoursService(db, a).publish(fx["people_year"],
                                                              change_note="补充公示"),
              Permission.PEOPLE, _township_wide),
    Operation("assessment.enter_results",
              lambda db, a, fx: AssessmentService(db, a).enter_results(
                  fx["village_id"], fx["people_year"] - 1,
                  [(fx["head_id"], [30, 8, 2, 20, 5, 1, 50, 4, 2])]),
              Permission.PEOPLE, _home),
    Operation("assessment.confirm",
              lambda db, a, fx: AssessmentService(db, a).confirm(fx["village_id"],
                                                                 fx["people_year"] - 1),
              Permission.PEOPLE, _home, prepare=_prepare_results),
    Operation("assessment.replace_unfit",
              lambda db, a, fx: AssessmentService(db, a).replace_unfit(
                  fx["unfit_grade_id"], fx["successor_id"], chosen_on=clock.today()),
              Permission.EDIT_ORGANISATION, _home),
    Operation("talent.enter",
              lambda db, a, fx: TalentService(db, a).enter(
                  fx["outsider_id"], TalentCategory.MODEL, evidence_kind=EvidenceKind.OTHER,
                  evidence="带头清理村内垃圾"),
              Permission.PEOPLE, _home),
    Operation("talent.change_status",
              lambda db, a, fx: TalentService(db, a).change_status(
                  fx["open_entry_id"], TalentStatus.LEFT, note="迁居外地"),
              Permission.PEOPLE, _home),
    Operation("backup.restore", _restore, Permission.RESTORE, _township_wide,
              prepare=_prepare_backup, sqlite_only=True),
    Operation("accounts.create_account(cadre)",
              lambda db, a, fx: accounts(db, a).create_account(
                  "xin-baocun", "新包村干部", Role.CADRE, None, "新的密码123",
                  villages=[fx["village_id"]]),
              Permission.ACCOUNTS, _township_wide),
    Operation("accounts.assign_villages",
              lambda db, a, fx: accounts(db, a).assign_villages(
                  fx["cadre_account_id"], [fx["village_id"], fx["other_village_id"]]),
              Permission.ACCOUNTS, _township_wide),
    Operation("pledges.record_return",
              lambda db, a, fx: PledgeService(db, a).record_return(
                  fx["household_id"], clock.today().year, clock.today(), household=False),
              Permission.PLEDGE_RETURNS, _home),
    Operation("problems.register",
              lambda db, a, fx: problems(db, a).register(
                  _problem_input(fx), assign=Assignment(Responsible.HOUSEHOLD)),
              Permission.REGISTER_PROBLEMS, _home),
    Operation("problems.assign",
              lambda db, a, fx: problems(db, a).assign(fx["problem_id"],
                                                       Assignment(Responsible.HOUSEHOLD)),
              Permission.REGISTER_PROBLEMS, _home, prepare=_prepare_problem("registered")),
    Operation("problems.rectify",
              lambda db, a, fx: problems(db, a).rectify(fx["problem_id"], "已清理干净"),
              Permission.RECTIFY_PROBLEMS, _home, prepare=_prepare_problem("assign")),
    Operation("problems.verify",
              lambda db, a, fx: problems(db, a).verify(fx["problem_id"], False, "没清干净"),
              Permission.VERIFY_PROBLEMS, _home, prepare=_prepare_problem("rectify")),
    Operation("problems.verify(escalated)",
              lambda db, a, fx: problems(db, a).verify(fx["problem_id"], True),
              Permission.SUPERVISE_PROBLEMS, _home,
              prepare=_prepare_problem("rectify", escalated=True)),
    Operation("problems.escalate",
              lambda db, a, fx: problems(db, a).escalate(fx["problem_id"], "拒不整改"),
              Permission.VERIFY_PROBLEMS, _home, prepare=_prepare_problem("assign")),
    Operation("problems.return_escalation",
              lambda db, a, fx: problems(db, a).return_escalation(fx["problem_id"], "退回村里"),
              Permission.SUPERVISE_PROBLEMS, _home,
              prepare=_prepare_problem("assign", escalated=True)),
    Operation("problems.close",
              lambda db, a, fx: problems(db, a).close(fx["problem_id"]),
              Permission.VERIFY_PROBLEMS, _home, prepare=_prepare_problem("verify")),
    Operation("problems.close(escalated)",
              lambda db, a, fx: problems(db, a).close(fx["problem_id"]),
              Permission.SUPERVISE_PROBLEMS, _home,
              prepare=_prepare_problem("verify", escalated=True)),
    Operation("problems.reopen",
              lambda db, a, fx: problems(db, a).reopen(fx["problem_id"], "问题复发"),
              Permission.VERIFY_PROBLEMS, _home, prepare=_prepare_problem("close")),
    Operation("problems.save_category",
              lambda db, a, fx: problems(db, a).save_category(None, "秸秆焚烧", 1),
              Permission.PROBLEM_CATALOGUE, _township_wide),
    Operation("problems.save_source",
              lambda db, a, fx: problems(db, a).save_source(None, "县级暗访", 3),
              Permission.PROBLEM_CATALOGUE, _township_wide),
    Operation("log.set_patrol",
              lambda db, a, fx: worklog(db, a).set_patrol(fx["log_head_id"], clock.today(), True),
              Permission.EDIT_WORKLOG, _home, audit_table="worklog_patrol_change"),
    Operation("log.add_finding",
              lambda db, a, fx: worklog(db, a).add_finding(fx["log_head_id"], clock.today(),
                                                           "路边有生活垃圾"),
              Permission.EDIT_WORKLOG, _home),
    Operation("log.save_summary",
              lambda db, a, fx: worklog(db, a).save_summary(
                  fx["log_head_id"], date(2026, 11, 30), SummaryInput("本周巡查正常", 1, 1)),
              Permission.EDIT_WORKLOG, _home),
    Operation("log.withdraw_summary",
              lambda db, a, fx: worklog(db, a).withdraw_summary(
                  fx["log_head_id"], fx["log_summary_week"], "登记错了"),
              Permission.EDIT_WORKLOG, _home),
    Operation("log.save_visits",
              lambda db, a, fx: worklog(db, a).save_visits(
                  fx["log_head_id"], Month(2026, 12), [VisitInput(fx["log_household_id"], True)]),
              Permission.EDIT_WORKLOG, _home),
    Operation("log.raise_finding",
              lambda db, a, fx: worklog(db, a).raise_finding(fx["finding_id"],
                                                             fx["problem_category_id"]),
              Permission.REGISTER_PROBLEMS, _home),
    Operation("importing.import_file", _import_log, Permission.EDIT_WORKLOG, _home,
              prepare=_prepare_log_file),
    Operation("matters.record",
              lambda db, a, fx: MatterService(db, a).record(MatterInput(
                  fx["log_head_id"], clock.today(), OfficerRole.DISPUTE, "调解邻里纠纷")),
              Permission.EDIT_WORKLOG, _home),
    Operation("matters.set_status",
              lambda db, a, fx: MatterService(db, a).set_status(fx["matter_id"], MatterStatus.DONE),
              Permission.EDIT_WORKLOG, _home),
    Operation("settlement.confirm",
              lambda db, a, fx: SettlementService(db, a).confirm(fx["village_id"], Month(2026, 11)),
              Permission.EDIT_POINTS, _home),
]

# The actors every operation is tried as: each role, in the home village and in another one.
ACTORS: dict[str, Callable[[Fixture], Actor]] = {
    "secretary": lambda fx: Actor("本村书记", Role.SECRETARY, fx["secretary_account_id"],
                                  fx["village_id"]),
    "secretary_elsewhere": lambda fx: Actor("外村书记", Role.SECRETARY, None,
                                            fx["other_village_id"]),
    "clerk": lambda fx: Actor("本村文书", Role.CLERK, fx["clerk_account_id"], fx["village_id"]),
    "clerk_elsewhere": lambda fx: Actor("外村文书", Role.CLERK, None, fx["other_village_id"]),
    "township_admin": lambda fx: Actor("镇管理员", Role.TOWNSHIP_ADMIN, fx["admin_account_id"]),
    "inspector": lambda fx: Actor("纪工委", Role.INSPECTOR, fx["inspector_account_id"]),
    "patrol": lambda fx: Actor("街道巡查办", Role.PATROL, fx["patrol_account_id"]),
    "cadre": lambda fx: Actor("包村干部", Role.CADRE, fx["cadre_account_id"],
                              village_ids=frozenset({fx["village_id"]})),
    "cadre_elsewhere": lambda fx: Actor("外村包村干部", Role.CADRE, None,
                                        village_ids=frozenset({fx["other_village_id"]})),
}
