"""How units are named: the key two sibling names are compared by, the length a name may have,
and the one way a zone or alley is named to a user so that it cannot be confused — with its
natural village (韩家村 of the demo has a 四片区 in each of five natural villages)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from models.org.directory import Level
from models.org.tables import Alley, NaturalVillage, Zone

# Longest names per level: a unit's name goes on cards and into table cells; a township or an
# administrative village may carry a longer official name.
NAME_LIMITS = {Level.TOWNSHIP: 30, Level.ADMIN_VILLAGE: 30, Level.NATURAL_VILLAGE: 20,
               Level.ZONE: 20, Level.ALLEY: 20}
SEPARATOR = "·"


def name_key(name: str) -> str:
    """What two sibling names are compared by: full-width and half-width alike, letters in
    either case alike, spaces ignored ("三片区", "三 片区" and "三片区 " are one name)."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def unit_label(natural_village: str, zone: str = "", alley: str = "") -> str:
    """东杏园·四片区·四二胡同: a zone or alley named with its natural village."""
    return SEPARATOR.join(part for part in (natural_village, zone, alley) if part)


def unit_labels(session: Session, *, zone_ids: Iterable[int] = (),
                alley_ids: Iterable[int] = ()) -> tuple[dict[int, str], dict[int, str]]:
    """The labels of many zones and alleys in two queries: ({zone id: label}, {alley id: label})."""
    zones, alleys = list(set(zone_ids)), list(set(alley_ids))
    by_zone: dict[int, str] = {}
    by_alley: dict[int, str] = {}
    if zones:
        for zone_id, natural, zone in session.execute(
                select(Zone.id, NaturalVillage.name, Zone.name)
                .join(NaturalVillage, NaturalVillage.id == Zone.natural_village_id)
                .where(Zone.id.in_(zones))):
            by_zone[zone_id] = unit_label(natural, zone)
    if alleys:
        alley_zone = aliased(Zone)
        for alley_id, natural, zone, alley in session.execute(
                select(Alley.id, NaturalVillage.name, alley_zone.name, Alley.name)
                .join(alley_zone, alley_zone.id == Alley.zone_id)
                .join(NaturalVillage, NaturalVillage.id == alley_zone.natural_village_id)
                .where(Alley.id.in_(alleys))):
            by_alley[alley_id] = unit_label(natural, zone, alley)
    return by_zone, by_alley


def zone_label(session: Session, zone: Zone) -> str:
    return unit_labels(session, zone_ids=[zone.id])[0].get(zone.id, zone.name)


def alley_label(session: Session, alley: Alley) -> str:
    return unit_labels(session, alley_ids=[alley.id])[1].get(alley.id, alley.name)
