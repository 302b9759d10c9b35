"""Village scope on reads, as on writes: every read method of every service, called by a village's
secretary and clerk with another village's ids, is refused or returns nothing of that village
(none of its people's names, phones, addresses or ID numbers, nor its goods' stock).

READS names how each read method is called; a guard test fails when a service gains a public
read method that is not in it, so a new area's reads are tried too. A few reads are the
township's by design (its published red/black lists, the rules catalogue): they say why."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

import models
from models.accounts.audit_log import AuditService
from models.accounts.service import AccountService
from models.accounts.tables import Account
from models.backup.service import BackupService
from models.core.access import Actor, Role
from models.core.db import Database
from models.core.errors import DomainError
from models.core.service import Service
from models.org.directory import DirectoryService, Level
from models.org.photos import HeadPhotoService
from models.org.pledges import PledgeService
from models.org.roster import RosterService
from models.org.search import PeopleSearch
from models.org.service import OrganisationService
from models.org.work_id_code import WorkIdCode, card_check
from models.org.tables import AdminVillage, Alley, Head, HeadRole, Household, NaturalVillage, Resident, Zone
from models.people.assessment import AssessmentService
from models.people.eligibility import EligibilityService
from models.people.honours import HonoursService
from models.people.tables import HonourList, TalentEntry
from models.people.talent import TalentService
from models.points.demo import DEMO_YEAR
from models.points.service import PointsService
from models.points.tables import LedgerEntry, Passbook
from models.printing.scope import ScopeKind
from models.printing.service import PrintService
from models.problems.service import ProblemsService
from models.problems.views import ProblemFilter
from models.ranking.service import RankingService
from models.ranking.tables import RankingList
from models.server.package import PackageService
from models.settings_service import SettingsService
from models.store.counter import CounterService
from models.store.goods import GoodsService
from models.store.report_tables import StoreReportService
from models.store.tables import Goods, Redemption
from models.worklog.calendar import Month
from models.worklog.completeness import CompletenessService
from models.worklog.importing import LogImportService
from models.worklog.log import WorkLogService
from models.worklog.matters import MatterService
from models.worklog.settlement import SettlementService

Fixture = dict[str, Any]
YEAR = DEMO_YEAR
START, END = date(YEAR, 1, 1), date(YEAR, 12, 31)
MONTH = Month(YEAR, 11)


def _other_village(s) -> Fixture:  # type: ignore[no-untyped-def]
    villages = s.scalars(select(AdminVillage).order_by(AdminVillage.sort_order)).all()
    home, other = villages[0], villages[1]
    natural = s.scalars(select(NaturalVillage).where(NaturalVillage.admin_village_id == other.id)
                        .order_by(NaturalVillage.id)).first()
    zone = s.scalars(select(Zone).where(Zone.natural_village_id == natural.id)
                     .order_by(Zone.id)).first()
    alley = s.scalars(select(Alley).where(Alley.zone_id == zone.id).order_by(Alley.id)).first()
    household = s.scalars(select(Household).where(Household.alley_id == alley.id)
                          .order_by(Household.id)).first()
    head = s.scalars(select(Head).where(Head.admin_village_id == other.id, Head.ended_on.is_(None),
                                        Head.role == HeadRole.ZONE).order_by(Head.id)).first()
    entry = s.scalars(select(LedgerEntry).join(Passbook).where(
        Passbook.admin_village_id == other.id, LedgerEntry.kind == "award")
        .order_by(LedgerEntry.id)).first()
    redemption = s.scalars(select(Redemption).where(Redemption.admin_village_id == other.id)
                           .order_by(Redemption.id)).first()
    goods = s.scalars(select(Goods).where(Goods.admin_village_id == other.id)
                      .order_by(Goods.id)).first()
    people = s.execute(select(Resident.name, Resident.phone, Resident.id_number, Household.address)
                       .join(Household).join(Alley).join(Zone).join(NaturalVillage)
                       .where(NaturalVillage.admin_village_id == other.id)).all()
    home_names = set(s.scalars(select(Resident.name).join(Household).join(Alley).join(Zone)
                               .join(NaturalVillage)
                               .where(NaturalVillage.admin_village_id == home.id)))
    # What must never reach the home village's accounts: the other village's own people.
    # (A name inside one of the home village's names, 朱永 in 朱永强, is no leak when said.)
    secrets = ({name for name, *_ in people
                if len(name) > 1 and not any(name in mine for mine in home_names)}
               | {phone for _, phone, *_ in people if phone}
               | {number for *_, number, _ in people if number}
               | {address for *_, address in people if address})
    talent = s.scalar(select(TalentEntry.id).where(TalentEntry.admin_village_id == other.id)
                      .order_by(TalentEntry.id))
    return {"resident": head.resident_id, "talent": talent or 0,
            "honour_list": s.scalar(select(func.min(HonourList.id))) or 0,
            "head_check": card_check(head.work_id_number or ""), "home": home.id,
            "other": other.id, "natural": natural.id, "zone": zone.id,
            "alley": alley.id, "household": household.id, "head": head.id, "entry": entry.id,
            "evidence": entry.evidence_path, "redemption": redemption.id,
            "number": redemption.number, "goods": goods.id, "secrets": secrets,
            "other_name": other.name, "list": s.scalar(select(RankingList.id).limit(1))}


Call = Callable[[Database, Actor, Fixture], object]
TOWNSHIP_WIDE = "township"  # a read whose answer is the township's, the same for everyone

# Each read method, called with the other village's ids. A (call, TOWNSHIP_WIDE, why) entry is
# checked only for running; its answer is public within the township.
READS: dict[str, Call | tuple[Call, str, str]] = {
    "AuditService.entries": lambda db, a, fx: AuditService(db, a).entries(text=fx["other_name"]),
    "AccountService.accounts": lambda db, a, fx: AccountService(db, a).accounts(),
    "AccountService.villages": lambda db, a, fx: AccountService(db, a).villages(),
    "BackupService.backups": lambda db, a, fx: BackupService(db, a).backups(),
    "BackupService.backup_now": lambda db, a, fx: BackupService(db, a).backup_now(),
    "BackupService.export_copy": lambda db, a, fx: BackupService(db, a).export_copy(
        fx["folder"] / "copy.db"),
    "DirectoryService.stats": lambda db, a, fx: DirectoryService(db, a).stats(),
    "DirectoryService.village_summaries": lambda db, a, fx: DirectoryService(db, a).village_summaries(),
    "DirectoryService.natural_village_summaries":
        lambda db, a, fx: DirectoryService(db, a).natural_village_summaries(fx["other"]),
    "DirectoryService.children": lambda db, a, fx: [
        DirectoryService(db, a).children(level, fx[key])
        for level, key in ((Level.ADMIN_VILLAGE, "other"), (Level.NATURAL_VILLAGE, "natural"),
                           (Level.ZONE, "zone"))],
    "DirectoryService.details": lambda db, a, fx: [
        DirectoryService(db, a).details(level, fx[key])
        for level, key in ((Level.ADMIN_VILLAGE, "other"), (Level.ZONE, "zone"),
                           (Level.ALLEY, "alley"))],
    "DirectoryService.households": lambda db, a, fx: DirectoryService(db, a).households(fx["alley"]),
    "RosterService.export_rows": lambda db, a, fx: RosterService(db, a).export_rows(
        Level.ADMIN_VILLAGE, fx["other"]),
    "PeopleSearch.find": lambda db, a, fx: [PeopleSearch(db, a).find(name, fx["other"])
                                            for name in sorted(fx["secrets"])[:5]],
    "PeopleSearch.warm": lambda db, a, fx: PeopleSearch(db, a).warm(fx["other"]),
    "OrganisationService.members": lambda db, a, fx: OrganisationService(db, a).members(fx["household"]),
    "OrganisationService.unit_path": lambda db, a, fx: OrganisationService(db, a).unit_path(fx["alley"]),
    "OrganisationService.head_history": lambda db, a, fx: OrganisationService(db, a).head_history(
        Level.ZONE, fx["zone"]),
    "OrganisationService.heads_roster": lambda db, a, fx: OrganisationService(db, a).heads_roster(
        fx["other"]),
    "PointsService.find_heads": lambda db, a, fx: [PointsService(db, a).find_heads(name)
                                                   for name in sorted(fx["secrets"])[:5]],
    "PointsService.heads_of_village": lambda db, a, fx: PointsService(db, a).heads_of_village(
        fx["other"]),
    "PointsService.villages": lambda db, a, fx: PointsService(db, a).villages(),
    "PointsService.passbook": lambda db, a, fx: PointsService(db, a).passbook(fx["head"], YEAR),
    "PointsService.years": lambda db, a, fx: PointsService(db, a).years(fx["head"]),
    "PointsService.rules": (lambda db, a, fx: PointsService(db, a).rules(), TOWNSHIP_WIDE,
                            "积分细则全镇共用"),
    "PointsService.may_edit_rules": lambda db, a, fx: PointsService(db, a).may_edit_rules(),
    "PointsService.evidence_of": lambda db, a, fx: PointsService(db, a).evidence_of(fx["entry"]),
    "PointsService.talk_list": lambda db, a, fx: PointsService(db, a).talk_list(YEAR, fx["other"]),
    "PointsService.lapsing": lambda db, a, fx: PointsService(db, a).lapsing(YEAR, fx["other"]),
    "PrintService.scope": lambda db, a, fx: PrintService(db, a).scope(f"alley:{fx['alley']}"),
    "PrintService.unit_scope": lambda db, a, fx: PrintService(db, a).unit_scope(
        ScopeKind.ALLEY, fx["alley"]),
    "PrintService.work_ids": lambda db, a, fx: PrintService(db, a).work_ids(_scope(db, fx), YEAR),
    "PrintService.duty_cards": lambda db, a, fx: PrintService(db, a).duty_cards(_scope(db, fx)),
    "PrintService.rosters": lambda db, a, fx: PrintService(db, a).rosters(_scope(db, fx), END),
    "PrintService.pledges": lambda db, a, fx: PrintService(db, a).pledges(_scope(db, fx), YEAR),
    "PrintService.passbook": lambda db, a, fx: PrintService(db, a).passbook(
        _scope(db, fx, ScopeKind.HEAD, "head"), YEAR),
    "PrintService.receipt": lambda db, a, fx: [PrintService(db, a).receipt(fx["number"]),
                                               PrintService(db, a).receipt(str(fx["redemption"]))],
    "PrintService.talk_list_notice": lambda db, a, fx: PrintService(db, a).talk_list_notice(
        _scope(db, fx), YEAR),
    "PrintService.job": lambda db, a, fx: PrintService(db, a).job("roster", _scope(db, fx)),
    "PrintService.redemptions": lambda db, a, fx: PrintService(db, a).redemptions(
        fx["other"], START, END),
    "RankingService.grid": lambda db, a, fx: RankingService(db, a).grid(fx["natural"], "2026-10"),
    "RankingService.rules": (lambda db, a, fx: RankingService(db, a).rules(), TOWNSHIP_WIDE,
                             "评议规则全镇统一"),
    "RankingService.latest_month": lambda db, a, fx: RankingService(db, a).latest_month(),
    "RankingService.townships": lambda db, a, fx: RankingService(db, a).townships(),
    "RankingService.selection": (lambda db, a, fx: RankingService(db, a).selection("2026-10"),
                                 TOWNSHIP_WIDE, "红黑榜在全镇评选，各村看到的是同一份"),
    "RankingService.pay_deductions": lambda db, a, fx: RankingService(db, a).pay_deductions(),
    "RankingService.points_intents": lambda db, a, fx: RankingService(db, a).points_intents(),
    "RankingService.published_lists": (lambda db, a, fx: RankingService(db, a).published_lists(),
                                       TOWNSHIP_WIDE, "已公示的红黑榜向全镇公开"),
    "RankingService.published_list": (lambda db, a, fx: RankingService(db, a).published_list(
        fx["list"]), TOWNSHIP_WIDE, "已公示的红黑榜向全镇公开"),
    "RankingService.latest_list": (lambda db, a, fx: RankingService(db, a).latest_list("2026-10"),
                                   TOWNSHIP_WIDE, "已公示的红黑榜向全镇公开"),
    "RankingService.rank_history": lambda db, a, fx: RankingService(db, a).rank_history(
        fx["natural"], YEAR),
    "RankingService.natural_villages": lambda db, a, fx: RankingService(db, a).natural_villages(),
    "SettingsService.values": (lambda db, a, fx: SettingsService(db, a).values(), TOWNSHIP_WIDE,
                               "政策数字全镇统一"),
    "CounterService.villages": lambda db, a, fx: CounterService(db, a).villages(),
    "CounterService.find_heads": lambda db, a, fx: [CounterService(db, a).find_heads(
        fx["other"], name) for name in sorted(fx["secrets"])[:5]],
    "AssessmentService.sheet": lambda db, a, fx: AssessmentService(db, a).sheet(fx["other"], YEAR),
    "AssessmentService.history": lambda db, a, fx: AssessmentService(db, a).history(
        fx["resident"]),
    "EligibilityService.of": lambda db, a, fx: EligibilityService(db, a).of(fx["resident"], YEAR),
    "EligibilityService.barred": lambda db, a, fx: EligibilityService(db, a).barred(
        fx["other"], YEAR),
    "HonoursService.kinds": (lambda db, a, fx: HonoursService(db, a).kinds(), TOWNSHIP_WIDE,
                             "表彰项目全镇统一"),
    "HonoursService.tie_break_rule": (lambda db, a, fx: HonoursService(db, a).tie_break_rule(),
                                      TOWNSHIP_WIDE, "并列时的比较规则全镇统一"),
    "HonoursService.top_scorers": lambda db, a, fx: HonoursService(db, a).top_scorers(
        YEAR, fx["other"]),
    "HonoursService.nominations": lambda db, a, fx: HonoursService(db, a).nominations(
        YEAR, fx["other"]),
    "HonoursService.published_lists": (lambda db, a, fx: HonoursService(db, a).published_lists(),
                                       TOWNSHIP_WIDE, "公布的表彰名单向全镇公开"),
    "HonoursService.latest_list": (lambda db, a, fx: HonoursService(db, a).latest_list(YEAR),
                                   TOWNSHIP_WIDE, "公布的表彰名单向全镇公开"),
    "HonoursService.published_list": (lambda db, a, fx: HonoursService(db, a).published_list(
        fx["honour_list"]), TOWNSHIP_WIDE, "公布的表彰名单向全镇公开"),
    "TalentService.register": lambda db, a, fx: TalentService(db, a).register(fx["other"]),
    "TalentService.counts": lambda db, a, fx: TalentService(db, a).counts(),
    "TalentService.history": lambda db, a, fx: TalentService(db, a).history(fx["talent"]),
    "TalentService.forms": lambda db, a, fx: TalentService(db, a).forms(fx["other"]),
    "TalentService.suggestions": lambda db, a, fx: TalentService(db, a).suggestions(
        fx["resident"], YEAR),
    "HeadPhotoService.photo": lambda db, a, fx: HeadPhotoService(db, a).photo(fx["head"]),
    "CounterService.head_by_code": lambda db, a, fx: CounterService(db, a).head_by_code(
        WorkIdCode(fx["other"], fx["head"], fx["head_check"])),
    "CounterService.head_card": lambda db, a, fx: CounterService(db, a).head_card(fx["head"]),
    "CounterService.receipt_data": lambda db, a, fx: CounterService(db, a).receipt_data(
        fx["redemption"]),
    "CounterService.redemptions": lambda db, a, fx: CounterService(db, a).redemptions(
        fx["other"], START, END),
    "GoodsService.catalogue": lambda db, a, fx: GoodsService(db, a).catalogue(fx["other"]),
    "GoodsService.goods": lambda db, a, fx: GoodsService(db, a).goods(fx["goods"]),
    "StoreReportService.village_id": lambda db, a, fx: StoreReportService(db, a).village_id(
        fx["other_name"]),
    "StoreReportService.redemptions_by_day": lambda db, a, fx: StoreReportService(db, a)
        .redemptions_by_day(fx["other"], START, END),
    "StoreReportService.redemptions_by_month": lambda db, a, fx: StoreReportService(db, a)
        .redemptions_by_month(fx["other"], START, END),
    "StoreReportService.redemptions_by_village": lambda db, a, fx: StoreReportService(db, a)
        .redemptions_by_village(START, END),
    "StoreReportService.stock_on_hand": lambda db, a, fx: StoreReportService(db, a).stock_on_hand(
        fx["other"]),
    "StoreReportService.movements": lambda db, a, fx: StoreReportService(db, a).movements(
        fx["other"], START, END),
    "StoreReportService.donations": lambda db, a, fx: StoreReportService(db, a).donations(
        fx["other"], START, END),
    "PledgeService.alley_pledges": lambda db, a, fx: PledgeService(db, a).alley_pledges(
        fx["alley"], YEAR),
    "PledgeService.missing": lambda db, a, fx: PledgeService(db, a).missing(fx["other"], YEAR),
    "PledgeService.return_rate": lambda db, a, fx: PledgeService(db, a).return_rate(
        fx["other"], YEAR),
    "PointsService.working_year": lambda db, a, fx: PointsService(db, a).working_year(),
    "PointsService.open_years": lambda db, a, fx: PointsService(db, a).open_years(),
    "PrintService.log_sheets": lambda db, a, fx: PrintService(db, a).log_sheets(
        _scope(db, fx), MONTH),
    "PrintService.reminder_sheet": lambda db, a, fx: PrintService(db, a).reminder_sheet(
        _scope(db, fx, ScopeKind.VILLAGE, "other")),
    "PrintService.default_year": lambda db, a, fx: PrintService(db, a).default_year("passbook"),
    "ProblemsService.categories": (lambda db, a, fx: ProblemsService(db, a).categories(),
                                   TOWNSHIP_WIDE, "问题类别全镇共用"),
    "ProblemsService.sources": (lambda db, a, fx: ProblemsService(db, a).sources(), TOWNSHIP_WIDE,
                                "问题来源全镇共用"),
    "ProblemsService.source_named": (lambda db, a, fx: ProblemsService(db, a).source_named(
        fx["source_name"]), TOWNSHIP_WIDE, "问题来源全镇共用"),
    "ProblemsService.may_edit_catalogues": lambda db, a, fx: ProblemsService(db, a)
        .may_edit_catalogues(),
    "ProblemsService.villages": lambda db, a, fx: ProblemsService(db, a).villages(),
    "ProblemsService.problems": lambda db, a, fx: ProblemsService(db, a).problems(
        ProblemFilter(village_id=fx["other"])),
    "ProblemsService.card": lambda db, a, fx: ProblemsService(db, a).card(fx["problem"]),
    "ProblemsService.photo": lambda db, a, fx: ProblemsService(db, a).photo(fx["photo"]),
    "ProblemsService.statistics": lambda db, a, fx: ProblemsService(db, a).statistics(
        YEAR, fx["other"]),
    "ProblemsService.rectification_record": lambda db, a, fx: ProblemsService(db, a)
        .rectification_record(fx["head"], YEAR),
    "ProblemsService.rectification_records": lambda db, a, fx: ProblemsService(db, a)
        .rectification_records(YEAR, head_ids=[fx["head"]], village_id=fx["other"]),
    "CompletenessService.month": lambda db, a, fx: CompletenessService(db, a).month(
        MONTH, village_id=fx["other"]),
    "CompletenessService.reminders": lambda db, a, fx: CompletenessService(db, a).reminders(
        village_id=fx["other"]),
    "LogImportService.template": lambda db, a, fx: LogImportService(db, a).template(
        fx["other"], MONTH),
    "WorkLogService.villages": lambda db, a, fx: WorkLogService(db, a).villages(),
    "WorkLogService.grid": lambda db, a, fx: WorkLogService(db, a).grid(fx["other"], MONTH),
    "WorkLogService.summaries": lambda db, a, fx: WorkLogService(db, a).summaries(
        fx["head"], MONTH),
    "WorkLogService.summary": lambda db, a, fx: WorkLogService(db, a).summary(
        fx["head"], date(YEAR, 11, 2)),
    "WorkLogService.visit_sheet": lambda db, a, fx: WorkLogService(db, a).visit_sheet(
        fx["head"], MONTH),
    "WorkLogService.patrol_history": lambda db, a, fx: WorkLogService(db, a).patrol_history(
        fx["head"], MONTH),
    "WorkLogService.findings": lambda db, a, fx: WorkLogService(db, a).findings(
        fx["head"], date(YEAR, 11, 2)),
    "MatterService.matters": lambda db, a, fx: MatterService(db, a).matters(fx["other"], MONTH),
    "MatterService.role_counts": lambda db, a, fx: MatterService(db, a).role_counts(MONTH),
    "SettlementService.preview": lambda db, a, fx: SettlementService(db, a).preview(
        MONTH, village_id=fx["other"]),
    "AccountService.account_named": lambda db, a, fx: AccountService(db, a).account_named(
        fx["other_account"]),
    "AccountService.village_named": lambda db, a, fx: AccountService(db, a).village_named(
        fx["other_name"]),
    "PackageService.export_up": lambda db, a, fx: PackageService(db, a).export_up(
        fx["other"], f"{YEAR}-11", fx["folder"] / "up.json"),
    "PackageService.export_down": lambda db, a, fx: PackageService(db, a).export_down(
        fx["other"], f"{YEAR}-11", fx["folder"] / "down.json"),
    "ProblemsService.find": lambda db, a, fx: ProblemsService(db, a).find(
        f"ZG{YEAR}-001", fx["other"]),
    "ProblemsService.ledger": lambda db, a, fx: ProblemsService(db, a).ledger(
        ProblemFilter(village_id=fx["other"])),
    "ProblemsService.notice": lambda db, a, fx: ProblemsService(db, a).notice(fx["problem"]),
    "ProblemsService.supervision_slip": lambda db, a, fx: ProblemsService(db, a)
        .supervision_slip(fx["problem"]),
    "ProblemsService.proposed_deadline": (lambda db, a, fx: ProblemsService(db, a)
        .proposed_deadline(fx["category"], fx["source"], START), TOWNSHIP_WIDE,
        "整改期限由全镇共用的问题类别和来源决定"),
    "ProblemsService.village_of": lambda db, a, fx: ProblemsService(db, a).village_of(
        fx["problem"]),
    "RankingService.correction_warning": (lambda db, a, fx: RankingService(db, a)
        .correction_warning("2026-10"), TOWNSHIP_WIDE, "已公示的红黑榜向全镇公开"),
    "RankingService.replaced_list": (lambda db, a, fx: RankingService(db, a).replaced_list(
        RankingService(db, a).published_list(fx["list"])), TOWNSHIP_WIDE,
        "已公示的红黑榜向全镇公开"),
}


def _scope(db: Database, fx: Fixture, kind: ScopeKind = ScopeKind.ALLEY, key: str = "alley"):  # type: ignore[no-untyped-def]
    """The other village's unit as a scope: parsed by the system (the actor's own parse of it is
    a read tried on its own above)."""
    from models.core.access import SYSTEM

    return PrintService(db, SYSTEM).unit_scope(kind, fx[key])


def read_methods() -> set[str]:
    """"Class.method" of every public method of a Service under models/ that opens no
    operation: the reads (and the few writes of their own, such as a backup)."""
    found = set()
    for info in pkgutil.walk_packages(models.__path__, "models."):
        if info.ispkg or info.name.startswith("models.migrations"):
            continue
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if inspect.isclass(cls) and issubclass(cls, Service) and cls is not Service \
                    and cls.__module__ == module.__name__:
                for name, method in vars(cls).items():
                    if not name.startswith("_") and inspect.isfunction(method) \
                            and "self.operation(" not in inspect.getsource(method):
                        found.add(f"{cls.__name__}.{name}")
    # Writes that open their transaction another way: tried in tests/test_permissions.py.
    return found - {"AccountService.change_own_password", "PointsService.post",
                    "BackupService.restore", "ProblemsService.save_category",
                    "ProblemsService.save_source"}


def test_every_read_method_is_tried() -> None:
    missing = read_methods() - set(READS)
    assert not missing, f"add these to READS in tests/test_read_scope.py: {sorted(missing)}"


def _said(result: object) -> str:
    """Everything a result holds, as text (dataclasses, lists, dicts, tables, ORM rows)."""
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return repr(dataclasses.asdict(result))
    if isinstance(result, list | tuple | set):
        return "".join(_said(item) for item in result)
    if isinstance(result, dict):
        return "".join(f"{key}{_said(value)}" for key, value in result.items())
    return repr(getattr(result, "__dict__", result))


@pytest.fixture
def other_village(demo_db: Database, tmp_path) -> Fixture:  # type: ignore[no-untyped-def]
    """The other village's ids, and a problem registered there with a photo."""
    from models.core.access import SYSTEM
    from models.core.files import FileContent
    from models.problems.service import ProblemInput
    from models.problems.tables import ProblemCategory, ProblemPhoto, ProblemSource

    with demo_db.read() as s:
        fx = _other_village(s) | {"folder": tmp_path}
        source, category = (s.scalars(select(model).order_by(model.id)).first()
                            for model in (ProblemSource, ProblemCategory))
    photo = FileContent("门前.jpg", b"\xff\xd8 not really a photo", "image/jpeg")
    problem = ProblemsService(demo_db, SYSTEM).register(ProblemInput(
        START, source.id, category.id, "门前堆放杂物", household_id=fx["household"]),
        [photo]).problem_id
    with demo_db.read() as s:
        file_id = s.scalar(select(ProblemPhoto.stored_file_id)
                           .where(ProblemPhoto.problem_id == problem))
    with demo_db.read() as s:
        account = s.scalar(select(Account.username).where(Account.village_id == fx["other"])
                           .order_by(Account.id))
    return fx | {"problem": problem, "photo": file_id, "source_name": source.name,
                 "source": source.id, "category": category.id, "other_account": account}


@pytest.mark.parametrize("role", [Role.SECRETARY, Role.CLERK, Role.CADRE])
def test_a_village_account_reads_nothing_of_another_village(demo_db: Database,
                                                            other_village: Fixture,
                                                            role: Role) -> None:
    fx = other_village
    actor = Actor("包村干部", role, None, None, frozenset({fx["home"]})) if role is Role.CADRE \
        else Actor("本村账号", role, None, fx["home"])
    leaks, ran = [], 0
    for name, read in READS.items():
        call, township_wide = (read[0], True) if isinstance(read, tuple) else (read, False)
        try:
            answer = call(demo_db, actor, fx)
        except DomainError:
            continue  # refused: in Chinese, nothing said
        ran += 1
        if township_wide:
            continue
        said = _said(answer)
        leaked = sorted(secret for secret in fx["secrets"] if secret in said)
        if leaked:
            leaks.append(f"{name}: {leaked[:3]}")
    assert not leaks, "\n".join(leaks)
    assert ran > 20  # most reads answer (with the actor's own village's data or nothing)


def test_the_secrets_are_found_where_they_are_allowed(demo_db: Database,
                                                      other_village: Fixture) -> None:
    """The check above would pass vacuously if the secrets were never in any answer: the
    township administrator's answers do hold them."""
    from models.core.access import SYSTEM

    fx = other_village
    said = _said(DirectoryService(demo_db, SYSTEM).households(fx["alley"]))
    assert any(secret in said for secret in fx["secrets"])


def test_backups_are_for_the_roles_the_backup_page_is_for(demo_db: Database,
                                                          other_village: Fixture) -> None:
    if demo_db.path is None:
        pytest.skip("PostgreSQL 由服务器备份。")
    fx = other_village
    for role in (Role.CLERK, Role.INSPECTOR):
        with pytest.raises(DomainError):
            BackupService(demo_db, Actor("不该备份的人", role, None,
                                         fx["home"] if role is Role.CLERK else None)).backup_now()
    assert BackupService(demo_db, Actor("书记", Role.SECRETARY, None, fx["home"])).backup_now()


# ---- searches: LIKE's own characters match themselves, a pasted page is cut short ----------
def test_searches_take_percent_and_underscore_literally_and_long_text_calmly(
        demo_db: Database, other_village: Fixture) -> None:
    from models.core.access import SYSTEM

    home = Actor("本村书记", Role.SECRETARY, None, other_village["home"])
    for wildcard in ("%", "_", "%%", "\\"):
        assert PointsService(demo_db, home).find_heads(wildcard) == []
        assert CounterService(demo_db, home).find_heads(other_village["home"], wildcard) == []
    for wildcard in ("%", "%_%", "\\"):  # ("_" itself is in the trail's "head_id")
        assert AuditService(demo_db, SYSTEM).entries(text=wildcard) == []
    huge = "张" * 100_000
    assert PointsService(demo_db, home).find_heads(huge) == []
    assert CounterService(demo_db, home).find_heads(other_village["home"], huge) == []
    assert AuditService(demo_db, SYSTEM).entries(text=huge) == []
    assert PeopleSearch(demo_db, home).find(huge) == []
