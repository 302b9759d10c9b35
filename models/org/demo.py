"""Writes the report's town (6 administrative villages, 32 natural villages, 193 zones,
385 alleys, 3,070 households, 7,397 residents, 韩家村 with zones 南/北/中 and 8 alleys), N times
for a county. Deterministic: the same scale always gives the same data."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from models.core import audit
from models.core.access import SYSTEM
from models.core.db import Database
from models.core.names import name_keys
from models.core.validation import id_check_digit
from models.demo import names as words
from models.demo.bulk import insert_rows
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

NATURAL_PER_ADMIN = (6, 5, 5, 6, 5, 5)
ZONES, ALLEYS, HOUSEHOLDS, RESIDENTS = 193, 385, 3070, 7397
HANJIA_ALLEYS_PER_ZONE = (3, 3, 2)
APPOINTED_ON = date(2023, 3, 1)


def spread(total: int, slots: int, low: int, high: int, rng: random.Random) -> list[int]:
    """`slots` integers in [low, high] summing to `total`, randomly but reproducibly."""
    if not low * slots <= total <= high * slots:
        raise ValueError(f"cannot spread {total} over {slots} slots within [{low}, {high}]")
    counts = [low] * slots
    open_slots = list(range(slots))
    for _ in range(total - low * slots):
        index = rng.randrange(len(open_slots))
        slot = open_slots[index]
        counts[slot] += 1
        if counts[slot] == high:
            open_slots[index] = open_slots[-1]
            open_slots.pop()
    return counts


@cache
def _part_keys(part: str) -> tuple[str, str]:
    return name_keys(part)


def _keys(name: str) -> tuple[str, str]:
    """Every demo name is a one-character surname and a given name, and for all of them the keys
    of the whole equal the keys of the two parts joined (checked over every combination of the
    word lists; tests/test_demo.py checks the demo town's), so pypinyin runs once per part
    instead of once per person."""
    (surname_initials, surname_full), (given_initials, given_full) = \
        _part_keys(name[:1]), _part_keys(name[1:])
    return surname_initials + given_initials, surname_full + given_full


class _Ids:
    """Pre-assigned primary keys, so that a whole county goes in as a few bulk inserts."""

    def __init__(self, session: Session, models: list[type]):
        self.next = {m: (session.scalar(select(func.max(m.id))) or 0) + 1 for m in models}

    def take(self, model: type) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


@dataclass
class _Rows:
    township: list[dict]
    admin_village: list[dict]
    natural_village: list[dict]
    zone: list[dict]
    alley: list[dict]
    household: list[dict]
    resident: list[dict]
    head: list[dict]


class TownBuilder:
    def __init__(self, rng: random.Random, ids: _Ids, rows: _Rows):
        self.rng, self.ids, self.rows = rng, ids, rows
        self.used_phones: set[str] = set()
        self.used_ids: set[str] = set()

    # ---- people ---------------------------------------------------------------------------
    def phone(self) -> str:
        while True:
            number = self.rng.choice(words.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def given_name(self, gender: str) -> str:
        first = self.rng.choice(words.MALE_GIVEN if gender == "男" else words.FEMALE_GIVEN)
        if self.rng.random() < 0.25:
            return first
        return first + self.rng.choice(words.GIVEN_SECOND)

    def surname(self) -> str:
        return self.rng.choices(words.SURNAMES, weights=words.SURNAME_WEIGHTS)[0]

    def id_number(self, birth_year: int, gender: str) -> str:
        born = date(birth_year, self.rng.randint(1, 12), self.rng.randint(1, 28))
        sequence = self.rng.randrange(50) * 2 + (1 if gender == "男" else 0)
        first17 = (self.rng.choice(words.ID_REGIONS) + born.strftime("%Y%m%d")
                   + f"{self.rng.randrange(10)}{sequence:02d}")
        while first17 in self.used_ids:  # ID numbers are unique; no extra draw keeps the data
            first17 = first17[:14] + f"{(int(first17[14:]) + 2) % 1000:03d}"
        self.used_ids.add(first17)
        return first17 + id_check_digit(first17)

    def members(self, count: int, surname: str) -> list[dict]:
        """A householder, then a spouse, children or a parent, as plain dicts."""
        head_gender = "男" if self.rng.random() < 0.85 else "女"
        born = self.rng.randint(1948, 1985)
        people = [{"name": surname + self.given_name(head_gender), "relation": "户主",
                       "gender": head_gender, "birth_year": born}]
        for index in range(1, count):
            if index == 1 and self.rng.random() < 0.8:
                gender = "女" if head_gender == "男" else "男"
                people.append({"name": self.surname() + self.given_name(gender), "relation": "配偶",
                                   "gender": gender, "birth_year": born + self.rng.randint(-3, 3)})
            elif index == count - 1 and count >= 4 and born > 1965:
                gender = self.rng.choice("男女")
                people.append({"name": surname + self.given_name(gender),
                                   "relation": "父亲" if gender == "男" else "母亲",
                                   "gender": gender, "birth_year": born - self.rng.randint(22, 30)})
            else:
                gender = self.rng.choice("男女")
                people.append({"name": surname + self.given_name(gender),
                                   "relation": "儿子" if gender == "男" else "女儿", "gender": gender,
                                   "birth_year": min(born + self.rng.randint(20, 32), 2020)})
        return people

    # ---- places ---------------------------------------------------------------------------
    def town(self, index: int) -> None:
        township_id = self.ids.take(Township)
        name = words.TOWNSHIPS[index % len(words.TOWNSHIPS)]
        if index >= len(words.TOWNSHIPS):
            name = f"{name[:-1]}{index // len(words.TOWNSHIPS) + 1}{name[-1]}"
        self.rows.township.append({"id": township_id, "name": name, "county": "清河县"})
        naturals = self.natural_villages(township_id)
        zones = self.zones(naturals)
        alleys = self.alleys(zones)
        first_household, first_resident = len(self.rows.household), len(self.rows.resident)
        self.households(alleys)
        self.heads(zones, alleys, self.rows.household[first_household:],
                   self.rows.resident[first_resident:])

    def natural_villages(self, township_id: int) -> list[tuple[int, int, str, bool]]:
        villages = self.rng.sample(words.ADMIN_VILLAGES[1:], len(NATURAL_PER_ADMIN) - 1)
        villages.insert(0, words.ADMIN_VILLAGES[0])
        naturals = []
        for order, (village, count) in enumerate(zip(villages, NATURAL_PER_ADMIN, strict=True)):
            village_id = self.ids.take(AdminVillage)
            self.rows.admin_village.append({
                "id": village_id, "township_id": township_id, "name": village, "sort_order": order + 1,
                "secretary_name": "", "secretary_phone": "", "supervision_phone": self.landline()})
            stems = self.rng.sample(words.NATURAL_STEMS, count)
            for n in range(count):
                hanjia = order == 0 and n == 0
                name = "韩家村" if hanjia else self.rng.choice(words.NATURAL_PREFIXES) + stems[n]
                natural_id = self.ids.take(NaturalVillage)
                self.rows.natural_village.append({
                    "id": natural_id, "admin_village_id": village_id, "name": name, "sort_order": n + 1})
                naturals.append((natural_id, village_id, name, hanjia))
        return naturals

    def landline(self) -> str:
        return f"0534-{self.rng.randrange(2000000, 8999999)}"

    def zones(self, naturals: list[tuple[int, int, str, bool]]) -> list[tuple[int, int, str, bool]]:
        ordinary = [n for n in naturals if not n[3]]
        counts = iter(spread(ZONES - 3, len(ordinary), 3, 9, self.rng))
        zones = []
        for natural_id, village_id, _name, hanjia in naturals:
            names = words.HANJIA_ZONES if hanjia else words.ZONE_NAMES[:next(counts)]
            for order, zone_name in enumerate(names, start=1):
                zone_id = self.ids.take(Zone)
                self.rows.zone.append({"id": zone_id, "natural_village_id": natural_id,
                                           "name": zone_name, "sort_order": order})
                zones.append((zone_id, village_id, zone_name, hanjia))
        return zones

    def alleys(self, zones: list[tuple[int, int, str, bool]]) -> list[tuple[int, int, int, str]]:
        ordinary = [z for z in zones if not z[3]]
        counts = iter(spread(ALLEYS - sum(HANJIA_ALLEYS_PER_ZONE), len(ordinary), 1, 4, self.rng))
        hanjia_counts = iter(HANJIA_ALLEYS_PER_ZONE)
        alleys = []
        for zone_id, village_id, zone_name, hanjia in zones:
            count = next(hanjia_counts) if hanjia else next(counts)
            for order in range(1, count + 1):
                alley_id = self.ids.take(Alley)
                name = f"{zone_name[0]}{words.CHINESE_NUMERALS[order - 1]}胡同"
                self.rows.alley.append({"id": alley_id, "zone_id": zone_id, "name": name,
                                            "sort_order": order})
                alleys.append((alley_id, zone_id, village_id, name))
        return alleys

    def households(self, alleys: list[tuple[int, int, int, str]]) -> None:
        per_alley = spread(HOUSEHOLDS, len(alleys), 4, 10, self.rng)
        sizes = iter(spread(RESIDENTS, HOUSEHOLDS, 1, 6, self.rng))
        for (alley_id, _zone_id, _village, alley_name), count in zip(alleys, per_alley, strict=True):
            street = self.rng.choice(words.STREET_WORDS)
            for door in range(1, count + 1):
                self.household(alley_id, f"{alley_name}{street}{door * 2 - 1}号", next(sizes))

    def household(self, alley_id: int, address: str, size: int) -> None:
        household_id = self.ids.take(Household)
        people = self.members(size, self.surname())
        phone = self.phone()
        householder_id = None
        for order, person in enumerate(people, start=1):
            with_id = self.rng.random() < 0.6
            initials, full = _keys(person["name"])
            resident_id = self.ids.take(Resident)
            householder_id = householder_id or resident_id
            self.rows.resident.append({
                "id": resident_id, "household_id": household_id, "name": person["name"],
                "relation": person["relation"], "gender": person["gender"],
                "birth_year": person["birth_year"],
                "phone": phone if order == 1 else (self.phone() if self.rng.random() < 0.3 else ""),
                "id_number": self.id_number(person["birth_year"], person["gender"]) if with_id else None,
                "is_party_member": self.rng.random() < (0.25 if order == 1 else 0.05),
                "name_initials": initials, "name_pinyin": full, "sort_order": order, "removed_on": None})
        householder = self.rows.resident[-len(people)]
        self.rows.household.append({
            "id": household_id, "alley_id": alley_id, "householder_name": householder["name"],
            "address": address, "phone": phone, "id_number": householder["id_number"],
            "removed_on": None, "removal_reason": ""})

    # ---- heads ----------------------------------------------------------------------------
    def heads(self, zones, alleys, households, residents) -> None:  # type: ignore[no-untyped-def]
        """A householder of each alley heads it; another householder of the zone heads the zone.
        The first zone of every administrative village is led by its Party secretary."""
        householders: dict[int, list[dict]] = {}
        residents_by_household = {r["household_id"]: r for r in residents
                                  if r["relation"] == "户主"}
        for household in households:
            person = residents_by_household.get(household["id"])
            if person is not None:
                householders.setdefault(household["alley_id"], []).append(person)
        zone_alleys: dict[int, list[int]] = {}
        for alley_id, zone_id, village_id, _ in alleys:
            zone_alleys.setdefault(zone_id, []).append(alley_id)
            person = householders[alley_id][0]
            person["is_party_member"] = person["is_party_member"] or self.rng.random() < 0.4
            self.head(person, HeadRole.ALLEY, alley_id, village_id)
        secretaries_done: set[int] = set()
        for zone_id, village_id, _name, _ in zones:
            candidates = [p for a in zone_alleys[zone_id] for p in householders[a][1:]]
            person = self.rng.choice(candidates) if candidates else householders[zone_alleys[zone_id][0]][0]
            if village_id not in secretaries_done:
                secretaries_done.add(village_id)
                person["is_party_member"] = True
                self.make_secretary(village_id, person)
            self.head(person, HeadRole.ZONE, zone_id, village_id)

    def make_secretary(self, village_id: int, person: dict) -> None:
        for village in self.rows.admin_village:
            if village["id"] == village_id:
                village["secretary_name"] = person["name"]
                village["secretary_phone"] = person["phone"] or self.phone()

    def head(self, person: dict, role: HeadRole, unit_id: int, village_id: int) -> None:
        head_id = self.ids.take(Head)
        if not person["phone"]:
            person["phone"] = self.phone()
        self.rows.head.append({
            "id": head_id, "resident_id": person["id"], "role": role.value,
            "zone_id": unit_id if role is HeadRole.ZONE else None,
            "alley_id": unit_id if role is HeadRole.ALLEY else None,
            "admin_village_id": village_id, "started_on": APPOINTED_ON, "ended_on": None, "end_reason": "",
            "chosen_on": APPOINTED_ON, "chosen_method": self.rng.choice(words.HEAD_METHODS),
            "proposer": "村党支部", "vest_issued_on": date(2023, 3, 15),
            "work_id_issued_on": date(2023, 3, 15), "work_id_number": f"WZ{head_id:06d}",
            "photo_path": ""})


_ORDER = (Township, AdminVillage, NaturalVillage, Zone, Alley, Household, Resident, Head)


def write_towns(db: Database, scale: int, seed: int) -> None:
    """Write `scale` demo towns into `db` in one transaction (the year of activity comes after,
    from models.demo.activity)."""
    with db.write() as session:
        ids = _Ids(session, list(_ORDER))
        rows = _Rows(*([] for _ in _ORDER))
        for index in range(scale):
            TownBuilder(random.Random(f"{seed}-{index}"), ids, rows).town(index)
        for model in _ORDER:
            batch = getattr(rows, model.__tablename__)
            insert_rows(session, model.__table__, batch)
        if not db.is_sqlite:
            for model in _ORDER:
                table = model.__tablename__
                session.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
        audit.record(session, SYSTEM, "生成演示数据", "township", None,
                     after={"towns": scale, "seed": seed})
