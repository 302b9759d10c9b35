"""评先树优: nominated by the village, approved by the township with the reward recorded,
published as a frozen list (database triggers, `check`), a correction as a new version; the
top-score prize only for the computed top scorer(s); the demo's year complete and clean."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from models.check import run_checks
from models.core.access import SYSTEM, Actor, Role
from models.core.errors import PermissionDenied, ValidationError
from models.people.honours import HonoursService
from models.people.tables import HonourScope, Nominee
from models.points.demo import DEMO_YEAR
from tests.people.helpers import build_village, post, year


def _kind(service: HonoursService, name: str) -> int:
    return next(k.id for k in service.kinds() if k.name == name)


def test_nominate_approve_publish_and_correct(db):  # type: ignore[no-untyped-def]
    world = build_village(db)
    secretary = Actor("韩书记", Role.SECRETARY, village_id=world.village_id)
    village, township = HonoursService(db, secretary), HonoursService(db, SYSTEM)
    for index, head in enumerate(world.heads.values()):
        post(db, head, 10 + 10 * (index == 3), "巡查认真")  # alley3 is the top scorer, 60
    alley0 = _resident(db, world.heads["alley0"])
    zone0 = _resident(db, world.heads["zone0"])
    with pytest.raises(ValidationError, match="没有担任片区长"):
        village.nominate(year(), _kind(village, "年度优秀片区长"), alley0, "认真")
    with pytest.raises(ValidationError, match="只能授予按积分算出的最高分者"):
        village.nominate(year(), _kind(village, "年度积分最高奖"), alley0, "积分高")
    first = village.nominate(year(), _kind(village, "年度优秀胡同长"), alley0, "巡查认真，胡同整洁")
    second = village.nominate(year(), _kind(village, "年度优秀片区长"), zone0, "带头整治")
    top, = village.nominate_top_scorers(year(), world.village_id)
    with pytest.raises(PermissionDenied):
        village.decide(first, True, reward_what="荣誉证书")
    with pytest.raises(ValidationError, match="没有审批"):
        township.publish(year(), township_id=world.township_id)
    with pytest.raises(ValidationError, match="奖励价值"):
        township.decide(first, True, reward_what="荣誉证书", reward_value="abc")
    township.decide(first, True, reward_what="荣誉证书及奖品", reward_value="200")
    with pytest.raises(ValidationError, match="已是“已批准”"):
        township.decide(first, True, reward_what="荣誉证书")
    township.decide(top, True, reward_what="荣誉证书及电水壶", reward_value="150.5")
    with pytest.raises(ValidationError, match="写明理由"):
        township.decide(second, False)
    township.decide(second, False, note="片区本年度有两次黑榜")
    list_id = township.publish(year(), township_id=world.township_id)
    published = township.latest_list(year(), world.township_id)
    assert published.id == list_id and published.version == 1
    assert [(e.kind_name, e.name, e.reward_what, str(e.reward_value)) for e in published.entries] == [
        ("年度优秀胡同长", _name(db, alley0), "荣誉证书及奖品", "200.00"),
        ("年度积分最高奖", _name(db, _resident(db, world.heads["alley3"])), "荣誉证书及电水壶",
         "150.50")]
    assert "积分最高" in published.top_scorers and "先达到最终得分" in published.tie_break
    assert run_checks(db) == []
    # A correction is a new version, with its reason.
    with pytest.raises(ValidationError, match="更正原因"):
        township.publish(year(), township_id=world.township_id)
    township.decide(first, False, note="经复核，该胡同长本年度有被通报情况")
    township.publish(year(), township_id=world.township_id, change_note="撤销一名胡同长的荣誉")
    again = township.latest_list(year(), world.township_id)
    assert again.version == 2 and again.supersedes_id == list_id
    assert [e.kind_name for e in again.entries] == ["年度积分最高奖"]
    assert "更正原因：撤销一名胡同长的荣誉" in again.change_note
    assert [s.current for s in township.published_lists(world.township_id)] == [False, True]


def test_the_township_adds_its_own_honour(db):  # type: ignore[no-untyped-def]
    world = build_village(db)
    township = HonoursService(db, SYSTEM)
    kind = township.add_kind("最美庭院户", Nominee.ANYONE)
    with pytest.raises(ValidationError, match="已经有了"):
        township.add_kind("最美庭院户", Nominee.ANYONE)
    with pytest.raises(PermissionDenied):
        HonoursService(db, Actor("书记", Role.SECRETARY, village_id=world.village_id)).add_kind(
            "文明户", Nominee.ANYONE)
    villager = list(world.people.values())[1]  # not a head
    made = HonoursService(db, Actor("书记", Role.SECRETARY, village_id=world.village_id)).nominate(
        year(), kind, villager, "庭院整洁，带动邻里")
    row, = township.nominations(year(), world.village_id)
    assert (row.id, row.kind, row.scope, row.role) == (made, "最美庭院户", HonourScope.VILLAGE, "")


def _published_entry(db):  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.execute(text("SELECT id, list_id FROM honour_entry ORDER BY id LIMIT 1")).one()


@pytest.mark.parametrize("statement", [
    "UPDATE honour_entry SET name = '别人' WHERE id = :id",
    "DELETE FROM honour_entry WHERE id = :id",
    "UPDATE honour_list SET publisher = '别人' WHERE id = :list_id",
])
def test_the_database_refuses_changing_a_published_list(demo_db, statement):  # type: ignore[no-untyped-def]
    entry = _published_entry(demo_db)
    with pytest.raises(DBAPIError, match="只能追加"):
        with demo_db.write() as s:
            s.execute(text(statement), {"id": entry.id, "list_id": entry.list_id})


def test_check_finds_a_list_changed_behind_the_programs_back(demo_db):  # type: ignore[no-untyped-def]
    entry = _published_entry(demo_db)
    with demo_db.write() as s:
        if demo_db.is_sqlite:
            s.execute(text("DROP TRIGGER honour_entry_no_update"))
        else:
            s.execute(text("DROP TRIGGER honour_entry_no_change ON honour_entry"))
        s.execute(text("UPDATE honour_entry SET reward_value = 9999 WHERE id = :id"), {"id": entry.id})
    problem, = run_checks(demo_db)
    assert "评先树优名单第1版" in problem and "已被程序以外的方式改动" in problem


def test_the_demo_year_is_complete_and_nobody_ineligible_is_honoured(demo_db):  # type: ignore[no-untyped-def]
    with demo_db.read() as s:
        pending = s.execute(text("SELECT COUNT(*) FROM honour_nomination WHERE status = 'nominated'"))
        assert pending.scalar_one() == 0
        lists = s.execute(text("SELECT township_id, COUNT(*) FROM honour_list WHERE year = :y "
                               "GROUP BY township_id"), {"y": DEMO_YEAR}).all()
        assert [n for _, n in lists] == [1]
        honoured = s.execute(text(
            "SELECT e.resident_id, e.kind_name, e.admin_village_id FROM honour_entry e"
            " JOIN honour_list l ON l.id = e.list_id WHERE l.year = :y"), {"y": DEMO_YEAR}).all()
        talk = set(s.execute(text("SELECT resident_id FROM passbook WHERE year = :y AND "
                                  "(score < opening OR score = 0)"), {"y": DEMO_YEAR}).scalars())
        unfit = set(s.execute(text("SELECT resident_id FROM assessment_grade WHERE grade = '不称职'"))
                    .scalars())
        dismissed = set(s.execute(text("SELECT resident_id FROM head WHERE dismissed")).scalars())
        excellent = set(s.execute(text("SELECT resident_id FROM assessment_grade "
                                       "WHERE grade = '优秀'")).scalars())
        assert excellent and excellent <= {r for r, k, _ in honoured if k.startswith("年度优秀")}
        villages = s.execute(text("SELECT COUNT(*) FROM admin_village")).scalar_one()
    assert talk and unfit
    assert not {r for r, _, _ in honoured} & (talk | unfit | dismissed)
    top = [v for _, k, v in honoured if k == "年度积分最高奖"]
    assert len(set(top)) == villages  # every village's top scorer
    assert sum(k == "全镇年度积分最高奖" for _, k, _ in honoured) >= 1


def _resident(db, head_id: int) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.execute(text("SELECT resident_id FROM head WHERE id = :h"), {"h": head_id}).scalar_one()


def _name(db, resident_id: int) -> str:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.execute(text("SELECT name FROM resident WHERE id = :r"), {"r": resident_id}).scalar_one()
