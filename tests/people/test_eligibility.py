"""Eligibility enforced: a head who falls onto the year's 约谈 list may not be nominated for an
honour nor entered into the talent pool, with the reason (since when, which entries); the test
recomputes who is on the list independently (raw SQL) on SQLite and PostgreSQL. Being removed
as a head (撤换) and a 不称职 grade bar too, as the settings say."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from models.core.access import SYSTEM
from models.core.errors import ValidationError
from models.org.tables import HeadRole, Resident
from models.people.eligibility import EligibilityService
from models.ranking.eligibility import red_ineligible
from models.people.honours import HonoursService
from models.people.policy import BAR_DISMISSED
from models.people.tables import EvidenceKind, TalentCategory
from models.people.talent import TalentService
from models.settings_service import SettingsService
from models.org.service import OrganisationService
from tests.people.helpers import build_village, post, year


def _kind(db, name: str) -> int:  # type: ignore[no-untyped-def]
    return next(k.id for k in HonoursService(db, SYSTEM).kinds() if k.name == name)


def _on_talk_list(db) -> set[int]:  # type: ignore[no-untyped-def]
    """Independently: a passbook of the year whose score is below its opening, or 0."""
    with db.read() as s:
        return set(s.execute(text(
            "SELECT resident_id FROM passbook WHERE year = :y AND (score < opening OR score = 0)"),
            {"y": year()}).scalars())


def test_a_head_on_the_talk_list_is_refused_everywhere_with_the_reason(db):  # type: ignore[no-untyped-def]
    world = build_village(db)
    head = world.heads["zone0"]
    other = world.heads["zone1"]
    post(db, other, 5, "胡同整洁")
    post(db, head, -2, "未按时汇总")
    assert _on_talk_list(db) == {_resident(db, head)}  # 28 < 30
    post(db, head, 3, "巡查认真")  # back to 31: off the list again
    assert _on_talk_list(db) == set()
    post(db, head, -4, "门前垃圾未清理")  # 27: on the list
    resident = _resident(db, head)
    assert _on_talk_list(db) == {resident}

    found = EligibilityService(db, SYSTEM).of(resident, year())
    assert not found.eligible
    bar, = found.bars
    assert bar.kind == "talk" and "约谈名单" in bar.text and "27分" in bar.text
    assert "街道（镇）纪工委" in bar.text
    assert bar.entries == tuple(e for e in bar.entries if "分" in e) and len(bar.entries) == 2
    assert "门前垃圾未清理" not in bar.text and any("-4分" in e for e in bar.entries)
    assert EligibilityService(db, SYSTEM).of(_resident(db, other), year()).eligible

    honours = HonoursService(db, SYSTEM)
    with pytest.raises(ValidationError, match="约谈名单") as refused:
        honours.nominate(year(), _kind(db, "年度优秀片区长"), resident, "带头整治")
    assert "不能被提名为“年度优秀片区长”" in str(refused.value)
    honours.nominate(year(), _kind(db, "年度优秀片区长"), _resident(db, other), "带头整治")
    with pytest.raises(ValidationError, match="约谈名单"):
        TalentService(db, SYSTEM).enter(resident, TalentCategory.MODEL,
                                        evidence_kind=EvidenceKind.OTHER, evidence="积极")
    with db.read() as s:
        nominated = set(s.execute(text("SELECT resident_id FROM honour_nomination")).scalars())
        pooled = set(s.execute(text("SELECT resident_id FROM talent_entry")).scalars())
    assert nominated == {_resident(db, other)} and pooled == set()
    barred = EligibilityService(db, SYSTEM).barred(world.village_id, year())
    assert [b.resident_id for b in barred] == sorted(_on_talk_list(db))


def test_an_approval_is_refused_once_the_nominee_falls_onto_the_list(db):  # type: ignore[no-untyped-def]
    world = build_village(db)
    head = world.heads["alley0"]
    honours = HonoursService(db, SYSTEM)
    nomination = honours.nominate(year(), _kind(db, "年度优秀胡同长"), _resident(db, head), "认真")
    post(db, head, -10, "巡查发现垃圾堆放")
    with pytest.raises(ValidationError, match="约谈名单"):
        honours.decide(nomination, True, reward_what="荣誉证书")
    row, = honours.nominations(year(), world.village_id)
    assert row.status.value == "nominated" and not row.eligible_now and "约谈" in row.barred_because


def test_a_dismissed_head_is_barred_when_the_setting_says_so(db):  # type: ignore[no-untyped-def]
    world = build_village(db)
    head = world.heads["alley1"]
    resident = _resident(db, head)
    newcomer = list(world.people.values())[1 * 4 + 1]  # his own son
    OrganisationService(db, SYSTEM).appoint_head(
        HeadRole.ALLEY, world.alleys[1], newcomer, chosen_on=date(year(), 1, 5),
        end_reason="不履行职责，经党员群众会议撤换", dismissed=True)
    found = EligibilityService(db, SYSTEM).of(resident, year())
    assert [b.kind for b in found.bars] == ["dismissed"]
    assert "被撤换胡同长职务" in found.reason and "不履行职责" in found.reason
    SettingsService(db, SYSTEM).put(BAR_DISMISSED.key, False)
    assert EligibilityService(db, SYSTEM).of(resident, year()).eligible
    assert EligibilityService(db, SYSTEM).of(resident, year() - 1).eligible


def test_a_routine_reelection_bars_nobody(db):  # type: ignore[no-untyped-def]
    world = build_village(db)
    resident = _resident(db, world.heads["alley2"])
    OrganisationService(db, SYSTEM).appoint_head(
        HeadRole.ALLEY, world.alleys[2], list(world.people.values())[2 * 4 + 1],
        chosen_on=date(year(), 1, 5))
    assert EligibilityService(db, SYSTEM).of(resident, year()).eligible


def _resident(db, head_id: int) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.execute(text("SELECT resident_id FROM head WHERE id = :h"), {"h": head_id}).scalar_one()


def test_the_red_list_asks_which_zones_have_a_barred_head(db):  # type: ignore[no-untyped-def]
    """The zone of a zone head or of an alley head on the 约谈 list is named, with the reason."""
    world = build_village(db)
    post(db, world.heads["alley3"], -5, "门前垃圾未清理")  # alley3 lies in the second zone
    resident = _resident(db, world.heads["alley3"])
    with db.read() as s:
        found = red_ineligible(s, year(), world.zones)
        name = s.get(Resident, resident).name
    assert list(found) == [world.zones[1]]
    assert found[world.zones[1]].startswith(f"因胡同长{name}在{year()}年度约谈名单上")
    post(db, world.heads["zone0"], -5, "巡查不到位")
    with db.read() as s:
        assert set(red_ineligible(s, year(), world.zones)) == set(world.zones)
