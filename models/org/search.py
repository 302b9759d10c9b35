"""Finding people: by name, pinyin initials (张三丰 → zsf), full pinyin, or the last digits of a
phone; in one village or everywhere; fast enough to run at every keystroke over a county.

The keys are computed when a name is saved (models.core.names). Here they are loaded once per
database into sorted arrays, so a keystroke is a few binary searches (bisect) rather than a scan.
Call `PeopleSearch.invalidate(db)` after people change (the UI does it on `changed("org")`)."""

from __future__ import annotations

import re
import threading
import weakref
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import select

from models.core.db import Database
from models.core.names import key_variants
from models.core.service import Service
from models.core.validation import search_text
from models.org.naming import unit_label
from models.org.tables import AdminVillage, Alley, Head, Household, NaturalVillage, Resident, Zone

_LATIN = re.compile(r"[a-z]+")
_DIGITS = re.compile(r"\d+")
_HIGH = "\U0010ffff"


@dataclass(frozen=True)
class PersonHit:
    """One person found. `place` is e.g. “韩家村 南片区 南一胡同”; `roles` e.g. ("片区长",)."""

    resident_id: int
    name: str
    household_id: int
    alley_id: int
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

    def __init__(self, keys: list[str], positions: list[int]):
        order = sorted(range(len(keys)), key=keys.__getitem__)  # strings sort faster than pairs
        self.keys = [keys[i] for i in order]
        self.positions = [positions[i] for i in order]

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
        self.hits, self.keys, self.phones = hits, keys, phones

    # Each kind of key is sorted the first time a search needs it.
    @cached_property
    def _pinyin_keys(self) -> tuple[_Keys, _Keys]:
        short, full, positions = [], [], []
        for position, hit in enumerate(self.hits):
            for initials, pinyin in key_variants(hit.name, *self.keys[position]):
                short.append(initials)
                full.append(pinyin)
                positions.append(position)
        return _Keys(short, positions), _Keys(full, positions)

    @property
    def initials(self) -> _Keys:
        return self._pinyin_keys[0]

    @property
    def pinyin(self) -> _Keys:
        return self._pinyin_keys[1]

    @cached_property
    def names(self) -> _Keys:
        return _Keys([hit.name for hit in self.hits], list(range(len(self.hits))))

    @cached_property
    def tails(self) -> _Keys:
        tails, positions = [], []
        for position, phones in enumerate(self.phones):
            for phone in phones:
                tails.append(phone[::-1])
                positions.append(position)
        return _Keys(tails, positions)

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
    """Indexes of one database: everyone, the heads, and one per village, built on demand. A
    village is loaded on its own unless everyone is loaded already."""

    def __init__(self, db: Database):
        self.db = db
        self.parts: dict[tuple[int | None, bool], _Index] = {}
        self.lock = threading.Lock()

    def index(self, village_id: int | None, heads_only: bool) -> _Index:
        key = (village_id, heads_only)
        with self.lock:
            if key not in self.parts:
                whole = self.parts.get((None, False))
                if heads_only or (whole is not None and village_id is not None):
                    base = whole if whole is not None else self._loaded(village_id)
                    keep = [p for p, hit in enumerate(base.hits)
                            if (village_id is None or hit.village_id == village_id)
                            and (not heads_only or hit.roles)]
                    self.parts[key] = base.subset(keep)
                else:
                    self.parts[key] = self._loaded(village_id)
            return self.parts[key]

    def _loaded(self, village_id: int | None) -> _Index:
        if (village_id, False) not in self.parts:
            self.parts[(village_id, False)] = _load(self.db, village_id)
        return self.parts[(village_id, False)]


_caches: weakref.WeakKeyDictionary[Database, _Cache] = weakref.WeakKeyDictionary()
_loading = threading.Lock()


class PeopleSearch(Service):
    def find(self, text: str, village_id: int | None = None, heads_only: bool = False,
             limit: int = 30) -> list[PersonHit]:
        """People matching `text` (a name or part of it, pinyin initials or full pinyin, or at
        least 3 last digits of a phone), best matches first. Village-bound accounts only ever
        see their own village."""
        text = search_text(text)
        if not text:
            return []
        allowed = self.actor.villages
        if allowed is not None and village_id not in allowed:
            # A village account's own villages only (a 包村干部 may have several).
            return [hit for village in sorted(allowed)
                    for hit in self._cache().index(village, heads_only).find(text, limit)][:limit]
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
                    cache = _Cache(self.db)
                    _caches[self.db] = cache
        return cache


def _load(db: Database, village_id: int | None) -> _Index:
    with db.read() as s:
        roles: dict[int, list[str]] = {}
        for resident_id, role in s.execute(
                select(Head.resident_id, Head.role).where(
                    Head.ended_on.is_(None),
                    True if village_id is None else Head.admin_village_id == village_id)
                .order_by(Head.role.desc())):
            roles.setdefault(resident_id, []).append(role.label)
        rows = s.execute(
            select(Resident.id, Resident.name, Resident.name_initials, Resident.name_pinyin,
                   Resident.phone, Resident.relation, Resident.is_party_member,
                   Household.id, Household.alley_id, Household.phone, Household.address,
                   AdminVillage.id, AdminVillage.name, NaturalVillage.name, Zone.name,
                   Alley.name)
            .join(Household, Household.id == Resident.household_id)
            .join(Alley, Alley.id == Household.alley_id)
            .join(Zone, Zone.id == Alley.zone_id)
            .join(NaturalVillage, NaturalVillage.id == Zone.natural_village_id)
            .join(AdminVillage, AdminVillage.id == NaturalVillage.admin_village_id)
            .where(Resident.removed_on.is_(None), Household.removed_on.is_(None),
                   True if village_id is None else AdminVillage.id == village_id)
            .order_by(AdminVillage.sort_order, AdminVillage.id, Resident.id)).all()
    hits, keys, phones = [], [], []
    for (rid, name, initials, pinyin, phone, relation, party, hid, alley_id, home_phone, address,
         vid, village, natural, zone, alley) in rows:
        hits.append(PersonHit(rid, name, hid, alley_id, vid, village, unit_label(natural, zone, alley),
                              address, phone or home_phone, relation, party,
                              tuple(roles.get(rid, ()))))
        keys.append((initials, pinyin))
        phones.append(tuple({p for p in (phone, home_phone) if p}))
    return _Index(hits, keys, phones)
