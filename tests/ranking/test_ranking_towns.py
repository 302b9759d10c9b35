"""Several townships in one database (a county): every selection, list, history and notice is one
township's; a village account sees its own township's lists and cannot do the township's work."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from main import main
from models.core.access import Actor, Role
from models.core.errors import PermissionDenied
from models.org.tables import AdminVillage, NaturalVillage, Zone
from models.ranking.service import RankingService
from models.ranking.tables import Colour, Period
from reports.ranking_notices import notice_for
from ui.context import AppContext
from ui.pages.ranking.page import RankingPage

OFFICE = Actor(name="镇人居办", role=Role.TOWNSHIP_ADMIN)


@pytest.fixture
def county(county_db):  # type: ignore[no-untyped-def]
    db = county_db
    service = RankingService(db, OFFICE)
    towns = service.townships()
    assert len(towns) == 2 and towns[0][1] != towns[1][1]
    with db.read() as s:
        villages = {t: set(s.scalars(select(AdminVillage.id).where(AdminVillage.township_id == t)))
                    for t, _ in towns}
    return db, service, towns, villages


def _units(db, town_villages: set[int], kind: Period) -> set[int]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        if kind is Period.YEAR:
            return set(town_villages)
        if kind is Period.QUARTER:
            return set(s.scalars(select(NaturalVillage.id)
                                 .where(NaturalVillage.admin_village_id.in_(town_villages))))
        return set(s.scalars(select(Zone.id).join(NaturalVillage).where(
            NaturalVillage.admin_village_id.in_(town_villages))))


def test_each_township_has_its_own_lists(county):  # type: ignore[no-untyped-def]
    db, service, towns, villages = county
    for town_id, name in towns:
        quarter = service.latest_list("2026Q3", town_id)
        assert quarter.township_id == town_id and quarter.township_name == name
        assert [e.colour for e in quarter.entries[:2]] == [Colour.RED, Colour.BLACK]
        for period, kind in (("2026-10", Period.MONTH), ("2026Q3", Period.QUARTER)):
            listing = service.latest_list(period, town_id)
            assert {e.unit_id for e in listing.entries} <= _units(db, villages[town_id], kind), period
            assert {e.admin_village_id for e in listing.entries} <= villages[town_id]
        notice = notice_for(quarter)
        assert notice.issuer_header.startswith(name) and notice.doc_number.startswith(name[:2])
        history = service.published_lists(town_id)
        assert len(history) == 14 and sum(not h.current for h in history) == 1  # March corrected
        assert {d.admin_village_id for d in service.pay_deductions(town_id)} <= villages[town_id]
        selection = service.selection("2026-09", town_id)
        assert {g.admin_village_id for g in selection.groups} == villages[town_id]


def test_publishing_one_township_leaves_the_other_alone(county):  # type: ignore[no-untyped-def]
    _db, service, ((first, _), (second, _)), villages = county
    before = [(h.id, h.version, h.current) for h in service.published_lists(first)]
    selection = service.selection("2026-10", second)
    reasons = {m.unit_id: "垃圾清运不及时" for g in selection.groups for m in g.black}
    new_id = service.publish("2026-10", reasons, township_id=second, change_note="复核更正",
                             published_on=date(2026, 11, 20))
    assert [(h.id, h.version, h.current) for h in service.published_lists(first)] == before
    assert service.latest_list("2026-10", first).version == 1
    corrected = service.latest_list("2026-10", second)
    assert corrected.id == new_id and corrected.version == 2
    assert {e.admin_village_id for e in corrected.entries} <= villages[second]


def test_village_secretary_sees_his_own_township(county):  # type: ignore[no-untyped-def]
    db, service, ((first, _), (second, second_name)), villages = county
    village = min(villages[second])
    secretary = RankingService(db, Actor("书记", Role.SECRETARY, village_id=village))
    assert secretary.townships() == [(second, second_name)]
    assert secretary.selection("2026-10").township_id == second
    assert secretary.latest_list("2026Q3").township_id == second
    assert {h.id for h in secretary.published_lists()} == {h.id for h in service.published_lists(second)}
    with pytest.raises(PermissionDenied, match="本镇"):
        secretary.selection("2026-10", first)
    with pytest.raises(PermissionDenied):
        secretary.published_list(service.latest_list("2026Q3", first).id)
    with pytest.raises(PermissionDenied):
        secretary.publish("2026-10", {}, township_id=second, change_note="复核")


def test_page_for_a_village_secretary(county, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    db, service, towns, villages = county
    second, second_name = towns[1]
    actor = Actor("书记", Role.SECRETARY, village_id=min(villages[second]))
    page = RankingPage(AppContext(db, actor, Path(tmp_path)))
    qtbot.addWidget(page)
    assert page.township.currentText() == second_name and not page.township.isEnabled()
    for button in (page.publish_button, page.deduction_button):
        assert not button.isEnabled() and "村级账号只能查看" in button.toolTip()
    assert page.period.text() == "2026-10"
    page.compute()
    assert page.selection.township_id == second
    assert {r.id for r in page.lists.rows} == {h.id for h in service.published_lists(second)}


def test_page_township_chooser_for_the_office(county, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    db, service, towns, _villages = county
    page = RankingPage(AppContext(db, OFFICE, Path(tmp_path)))
    qtbot.addWidget(page)
    assert page.township.isEnabled() and page.publish_button.isEnabled() and page.deduction_button.isEnabled()
    page.township.setCurrentIndex(1)
    assert {r.id for r in page.lists.rows} == {h.id for h in service.published_lists(towns[1][0])}
    assert page.entry_village.count() == len(service.natural_villages(towns[1][0]))
    page.compute()
    assert page.selection.township_id == towns[1][0]


def test_print_notice_names_the_township(county, tmp_path, capsys):  # type: ignore[no-untyped-def]
    db, service, towns, _villages = county
    where = str(db.path) if db.path else db.url.render_as_string(hide_password=False)
    args = ["print", "ranking-notice", "--period", "2026Q3", "--db", where, "-o", str(tmp_path / "n.pdf")]
    assert main(args) == 1
    assert "请用 --township 写明" in capsys.readouterr().err
    assert main([*args, "--township", towns[1][1]]) == 0
    assert service.latest_list("2026Q3", towns[1][0]).doc_number in capsys.readouterr().out
