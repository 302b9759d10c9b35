"""A zone or alley is named to a user with its natural village (models.org.naming.unit_label):
韩家村 of the demo has a 四片区 in five natural villages, each with a 四二胡同."""

from __future__ import annotations

from models.accounts.service import actor_for
from models.org.naming import unit_label
from models.points.service import PointsService
from models.printing.service import PrintService
from models.store.counter import CounterService


def test_every_head_of_hanjia_is_named_without_confusion(demo_db):  # type: ignore[no-untyped-def]
    actor = actor_for(demo_db, "hanjia")
    hits = PointsService(demo_db, actor).heads_of_village(actor.village_id)
    zones = [h.unit for h in hits if h.role == "片区长"]
    alleys = [h.unit for h in hits if h.role == "胡同长"]
    assert zones and all(u.count("·") == 1 and u.endswith("片区") for u in zones)
    assert alleys and all(u.count("·") == 2 and u.endswith("胡同") for u in alleys)
    assert len(set(zones)) == len(zones) and len(set(alleys)) == len(alleys)
    assert sum(u.endswith("·四片区") for u in zones) == 5  # the bare name would be five zones
    assert sum(u.endswith("·四片区·四二胡同") for u in alleys) == 5
    assert "新杏园·四片区·四二胡同" in alleys
    counter = CounterService(demo_db, actor)
    for hit in (next(h for h in hits if h.role == "片区长"), next(h for h in hits if h.role == "胡同长")):
        assert hit.unit in {h.unit for h in counter.find_heads(actor.village_id, hit.name)}


def test_the_talk_list_and_the_work_ids_name_the_natural_village(demo_db, system):
    printing = PrintService(demo_db, system)
    village = printing.scope("village:韩家村")
    notice = printing.talk_list_notice(village, 2026)
    units = [row[3] for row in notice.table.rows]
    assert units and all(u.count("·") in (1, 2) for u in units)
    cards = printing.work_ids(village, 2026)
    assert sum(card.area.endswith("·四片区·四二胡同") for card in cards) == 5
    assert unit_label("新杏园", "四片区", "四二胡同") == "新杏园·四片区·四二胡同"
