"""A head's area names its natural village (zone heads) or zone (alley heads): "二片区" repeats."""

from __future__ import annotations


from models.accounts.service import actor_for
from models.points.service import PointsService
from models.store.counter import CounterService


def test_head_areas_name_the_natural_village_or_the_zone(demo_db):  # type: ignore[no-untyped-def]
    actor = actor_for(demo_db, "hanjia")
    hits = PointsService(demo_db, actor).heads_of_village(actor.village_id)
    zones = {h.unit for h in hits if h.role == "片区长"}
    alleys = {h.unit for h in hits if h.role == "胡同长"}
    assert zones and all(u.count("·") == 1 and u.endswith("片区") for u in zones)
    assert alleys and all(u.count("·") == 1 and "片区·" in u and u.endswith("胡同") for u in alleys)
    assert len({u.split("·")[1] for u in zones}) < len(zones)  # bare zone names would collide
    counter = CounterService(demo_db, actor)
    first = next(h for h in hits if h.role == "片区长")
    found = counter.find_heads(actor.village_id, first.name)
    assert first.unit in {h.unit for h in found}
