"""Finding people: by name, pinyin initials (张三丰 → zsf), full pinyin, or the last digits of a
phone; in one village or everywhere; fast enough to run at every keystroke over a county.

The keys are computed when a name is saved (models.names). Here they are loaded once per
database into sorted arrays, so a keystroke is a few binary searches (bisect) rather than a scan.
Call `PeopleSearch.invalidate(db)` after people change (the UI does it on `changed("org")`)."""

from __future__ import annotations

import re
import threading
import weakref
from bisect import bisect_left
from dataclasses import dataclass

from sqlalchemy import select

from models.access import Role
from models.db import Database
from models.names import key_variants
from models.org import AdminVillage, Alley, Head, Household, NaturalVillage, Resident, Zone
from models.services.base import Service
from models.validation import normalise_text

_LATIN = re.compile(r"[a-z]+")
_DIGITS = re.compile(r"\d+")
_HIGH = "\U0010ffff"


@dataclass(frozen=True)
class PersonHit:
    """One person found. `place` is e.g. “韩家村 南片区 南一胡同”; `roles` e.g. ("片区长",)."""

    resident_id: int
    name: str
    household_id: int
    village_id: int
    village: str
    place: str
    address: str
    phone: str
    relation: str
    is_party_member: bool
    roles: tuple[str, ...]

    @property
    def is_head(self) -> bool:
        return bool(self.roles)


class _Keys:
    """Sorted (key, position) pairs: all keys starting with a prefix lie in one slice."""

    def __init__(self, pairs: list[tuple[str, int]]):
        pairs.sort()
        self.keys = [k for k, _ in pairs]
        self.positions = [p for _, p in pairs]

    def prefixed(self, prefix: str, limit: int) -> list[int]:
        start = bisect_left(self.keys, prefix)
        end = bisect_left(self.keys, prefix + _HIGH, lo=start)
        return self.positions[start:min(end, start + limit)]

    def exact(self, key: str, limit: int) -> list[int]:
        start = bisect_left(self.keys, key)
        end = bisect_left(self.keys, key + "\0", lo=start)
        return self.positions[start:min(end, start + limit)]


class _Index:
    """The searchable keys of a list of people (a village, everyone, or the heads)."""

    def __init__(self, hits: list[PersonHit], keys: list[tuple[str, str]],
                 phones: list[tuple[str, ...]]):
        self.hits = hits
        initials, pinyin, names, tails = [], [], [], []
        for position, hit in enumerate(hits):
            for short, full in key_variants(hit.name, *keys[position]):
                initials.append((short, position))
                pinyin.append((full, position))
            names.append((hit.name, position))
            for phone in phones[position]:
                tails.append((phone[::-1], position))
        self.initials, self.pinyin = _Keys(initials), _Keys(pinyin)
        self.names, self.tails = _Keys(names), _Keys(tails)
        self.keys, self.phones = keys, phones

    def subset(self, keep: list[int]) -> _Index:
        return _Index([self.hits[p] for p in keep], [self.keys[p] for p in keep],
                      [self.phones[p] for p in keep])

    def find(self, text: str, limit: int) -> list[PersonHit]:
        found: dict[int, None] = {}  # ordered, without repeats
        latin = "".join(_LATIN.findall(text.lower()))
        digits = "".join(_DIGITS.findall(text))
        han = "".join(c for c in text if not c.isascii() and not c.isspace())
        if han:
            found.update(dict.fromkeys(self.names.exact(han, limit)))
            found.update(dict.fromkeys(self.names.prefixed(han, limit)))
            if len(found) < limit:  # a given name alone: 秀英 finds 王秀英
                found.update(dict.fromkeys(self._containing(han, limit - len(found))))
        if latin:
            found.update(dict.fromkeys(self.initials.exact(latin, limit)))
            found.update(dict.fromkeys(self.pinyin.exact(latin, limit)))
            found.update(dict.fromkeys(self.initials.prefixed(latin, limit)))
            found.update(dict.fromkeys(self.pinyin.prefixed(latin, limit)))
        if digits and len(digits) >= 3:
            found.update(dict.fromkeys(self.tails.prefixed(digits[::-1], limit)))
        return [self.hits[p] for p in list(found)[:limit]]

    def _containing(self, han: str, limit: int) -> list[int]:
        out = []
        for position, hit in enumerate(self.hits):
            if han in hit.name:
                out.append(position)
                if len(out) >= limit:
                    break
        return out


class _Cache:
    """Indexes of one database: everyone, the heads, and one per village, built on demand."""

    def __init__(self, everyone: _Index):
        self.everyone = everyone
        self.parts: dict[tuple[int | None, bool], _Index] = {(None, False): everyone}
        self.lock = threading.Lock()

    def index(self, village_id: int | None, heads_only: bool) -> _Index:
        key = (village_id, heads_only)
        with self.lock:
            if key not in self.parts:
                keep = [p for p, hit in enumerate(self.everyone.hits)
                        if (village_id is None or hit.village_id == village_id)
                        and (not heads_only or hit.roles)]
                self.parts[key] = self.everyone.subset(keep)
            return self.parts[key]


_caches: weakref.WeakKeyDictionary[Database, _Cache] = weakref.WeakKeyDictionary()
_loading = threading.Lock()


class PeopleSearch(Service):
    def find(self, text: str, village_id: int | None = None, heads_only: bool = False,
             limit: int = 30) -> list[PersonHit]:
        """People matching `text` (a name or part of it, pinyin initials or full pinyin, or at
        least 3 last digits of a phone), best matches first. Village-bound accounts only ever
        see their own village."""
        text = normalise_text(text)
        if not text:
            return []
        if self.actor.role in (Role.SECRETARY, Role.CLERK):
            village_id = self.actor.village_id
        return self._cache().index(village_id, heads_only).find(text, limit)

    def warm(self, village_id: int | None = None) -> None:
        """Build the index ahead of the first keystroke (e.g. when a page opens)."""
        self._cache().index(village_id, False)

    @staticmethod
    def invalidate(db: Database) -> None:
        _caches.pop(db, None)

    def _cache(self) -> _Cache:
        cache = _caches.get(self.db)
        if cache is None:
            with _loading:
                cache = _caches.get(self.db)
                if cache is None:
                    cache = _Cache(_load(self.db))
                    _caches[self.db] = cache
        return cache


def _load(db: Database) -> _Index:
    with db.read() as s:
        roles: dict[int, list[str]] = {}
        for resident_id, role in s.execute(
                select(Head.resident_id, Head.role).where(Head.ended_on.is_(None))
                .order_by(Head.role.desc())):
            roles.setdefault(resident_id, []).append(role.label)
        rows = s.execute(
            select(Resident.id, Resident.name, Resident.name_initials, Resident.name_pinyin,
                   Resident.phone, Resident.relation, Resident.is_party_member,
                   Household.id, Household.phone, Household.address,
                   AdminVillage.id, AdminVillage.name, NaturalVillage.name, Zone.name,
                   Alley.name)
            .join(Household, Household.id == Resident.household_id)
            .join(Alley, Alley.id == Household.alley_id)
            .join(Zone, Zone.id == Alley.zone_id)
            .join(NaturalVillage, NaturalVillage.id == Zone.natural_village_id)
            .join(AdminVillage, AdminVillage.id == NaturalVillage.admin_village_id)
            .where(Resident.removed_on.is_(None), Household.removed_on.is_(None))
            .order_by(AdminVillage.sort_order, AdminVillage.id, Resident.id)).all()
    hits, keys, phones = [], [], []
    for (rid, name, initials, pinyin, phone, relation, party, hid, home_phone, address,
         vid, village, natural, zone, alley) in rows:
        hits.append(PersonHit(rid, name, hid, vid, village, f"{natural} {zone} {alley}", address,
                              phone or home_phone, relation, party, tuple(roles.get(rid, ()))))
        keys.append((initials, pinyin))
        phones.append(tuple({p for p in (phone, home_phone) if p}))
    return _Index(hits, keys, phones)
