"""Who may do what with problems, on SQLite and PostgreSQL: a village secretary and clerk in
their own village, a 包村干部 in the villages assigned to him, the 街道巡查办 in every village
(but never the organisation or the points). Every refused action writes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from models.accounts.service import AccountService, login
from models.core.access import Actor, Permission, Role
from models.core.errors import PermissionDenied
from models.org.service import OrganisationService
from models.points.service import PointsService
from models.problems.service import ProblemFilter, ProblemInput, ProblemsService
from tests.problems.helpers import CHECKER, FIXER, make_town, register
from tests.test_permissions import committed_bytes, row_counts


@pytest.fixture
def town(db):  # type: ignore[no-untyped-def]
    return make_town(db)


def refused(db, call) -> None:  # type: ignore[no-untyped-def]
    before, stored = row_counts(db), committed_bytes(db)
    with pytest.raises(PermissionDenied):
        call()
    assert row_counts(db) == before and committed_bytes(db) == stored


def problem_in(db, town, village) -> int:  # type: ignore[no-untyped-def]
    return register(db, town, household=village.households[0])


def test_a_cadre_works_in_his_assigned_villages_only(db, town):
    cadre = Actor("包村干部老王", Role.CADRE, user_id=501, village_ids=frozenset({town.home.village_id}))
    home, away = problem_in(db, town, town.home), problem_in(db, town, town.other)
    service = ProblemsService(db, cadre)
    assert {r.id for r in service.problems(ProblemFilter())} == {home}
    assert [name for _, name in service.villages()] == ["韩家村"]
    refused(db, lambda: service.card(away))
    refused(db, lambda: service.problems(ProblemFilter(village_id=town.other.village_id)))
    data = ProblemInput(date(2026, 11, 3), town.source_id, town.category_id, "柴草乱堆",
                        household_id=town.other.households[1])
    refused(db, lambda: service.register(data))
    refused(db, lambda: service.rectify(away, "已清理"))
    service.rectify(home, "已清理", on=date(2026, 11, 3))  # he follows up in his own village
    ProblemsService(db, CHECKER).verify(home, False, "没清干净", on=date(2026, 11, 4))
    service.escalate(home, "户主拒不整改", on=date(2026, 11, 5))
    refused(db, lambda: service.return_escalation(home, "退回"))  # the street office's
    ProblemsService(db, FIXER).rectify(home, "督办后已清理", on=date(2026, 11, 6))
    refused(db, lambda: service.verify(home, True))  # an escalated problem: the street office's
    refused(db, lambda: service.save_category(None, "新类别", 3))


def test_the_street_office_inspects_every_village_but_never_edits_the_organisation(db, town):
    patrol = Actor("街道巡查办", Role.PATROL, user_id=601)
    service = ProblemsService(db, patrol)
    away = problem_in(db, town, town.other)
    data = ProblemInput(date(2026, 11, 3), town.source_id, town.category_id, "污水乱排",
                        household_id=town.home.households[2])
    home = service.register(data, on=date(2026, 11, 3)).problem_id
    assert {r.id for r in service.problems(ProblemFilter())} == {away, home}
    refused(db, lambda: service.rectify(away, "已清理"))  # the village fixes, the office checks
    service.escalate(away, "拒不整改", on=date(2026, 11, 4))
    ProblemsService(db, FIXER).rectify(away, "督办后已清理", on=date(2026, 11, 5))
    service.verify(away, True, on=date(2026, 11, 6))
    assert service.close(away, on=date(2026, 11, 6)).outcome.value == "refused"
    service.save_category(None, "秸秆焚烧", 1)
    refused(db, lambda: OrganisationService(db, patrol).create_zone(town.home.natural_id, "北片区"))
    refused(db, lambda: PointsService(db, patrol).post(town.home.alley_heads[0], 1, date(2026, 11, 6)))


def test_a_village_secretary_and_clerk_work_in_their_own_village(db, town):
    secretary = Actor("韩书记", Role.SECRETARY, user_id=701, village_id=town.home.village_id)
    clerk = Actor("韩文书", Role.CLERK, user_id=702, village_id=town.home.village_id)
    home, away = problem_in(db, town, town.home), problem_in(db, town, town.other)
    assert {r.id for r in ProblemsService(db, clerk).problems(ProblemFilter())} == {home}
    refused(db, lambda: ProblemsService(db, secretary).rectify(away, "已清理"))
    ProblemsService(db, clerk).rectify(home, "已清理", on=date(2026, 11, 3))
    refused(db, lambda: ProblemsService(db, clerk).verify(home, True))  # a clerk records only
    ProblemsService(db, secretary).verify(home, False, "没清干净", on=date(2026, 11, 4))
    ProblemsService(db, secretary).escalate(home, "拒不整改", on=date(2026, 11, 5))
    refused(db, lambda: ProblemsService(db, secretary).return_escalation(home, "退回"))
    # The catalogues of a township's shared database are the township's.
    refused(db, lambda: ProblemsService(db, secretary).save_category(None, "新类别", 3))


def test_a_cadre_account_signs_in_with_his_villages_and_only_the_township_assigns_them(db, town):
    admin = AccountService(db, Actor("镇管理员", Role.TOWNSHIP_ADMIN))
    account = admin.create_account("laowang", "王包村", Role.CADRE, None, "包村干部的密码",
                                   villages=[town.home.village_id])
    assert login(db, "laowang", "包村干部的密码").village_ids == {town.home.village_id}
    admin.assign_villages(account, [town.home.village_id, town.other.village_id])
    assert login(db, "laowang", "包村干部的密码").village_ids == \
        {town.home.village_id, town.other.village_id}
    assert [r.village_name for r in admin.accounts() if r.username == "laowang"] == ["包：韩家村、李庄村"]
    secretary = Actor("韩书记", Role.SECRETARY, village_id=town.home.village_id)
    refused(db, lambda: AccountService(db, secretary).assign_villages(account, [town.home.village_id]))
    admin.assign_villages(account, [town.other.village_id])
    cadre = login(db, "laowang", "包村干部的密码")
    assert cadre.village_ids == {town.other.village_id}
    assert not cadre.may(Permission.VIEW, town.home.village_id)
    assert cadre.may(Permission.REGISTER_PROBLEMS, town.other.village_id)
