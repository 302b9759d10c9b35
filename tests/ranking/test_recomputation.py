"""Every published list of the demo town, recomputed here from the raw rows with this file's own
arithmetic (plain SQL, Fractions, DOMAIN §5 and §7 read directly), equals what was published:
the points component of each zone-month (its serving heads' net points, not the lists' own
awards, over the month's share of cap − opening), the evaluation, the weighted total, the
ranking with its tie-break, the 约谈 list at the day of publication passing a zone over for the
red list, the averages of natural and administrative villages, and the scores shown 四舍五入."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import text

W_POINTS, W_VILLAGERS, W_HEADS, W_SECRETARY = 30, 50, 30, 20  # DOMAIN §7's defaults
OPENING, CAP = 30, 100  # DOMAIN §5
COUNTED = {"award", "deduction", "reversal"}


def _day(value) -> date:  # type: ignore[no-untyped-def]
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _month_range(month: str) -> tuple[date, date]:
    first = date(int(month[:4]), int(month[5:7]), 1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _half_up(value: Fraction) -> Decimal:
    hundredths = value * 100
    return Decimal((2 * hundredths.numerator + hundredths.denominator)
                   // (2 * hundredths.denominator)) / 100


def _mean(rows):  # type: ignore[no-untyped-def]
    return tuple(sum(r[i] for r in rows) / len(rows) for i in range(len(rows[0])))


class Town:
    """The raw rows, read with plain SQL."""

    def __init__(self, db):  # type: ignore[no-untyped-def]
        with db.read() as s:
            q = lambda sql: s.execute(text(sql)).all()  # noqa: E731
            overridden = q("SELECT key FROM setting WHERE key IN ('ranking_weight_points', "
                           "'ranking_weight_villagers', 'ranking_weight_heads', "
                           "'ranking_weight_secretary', 'points_cap', 'points_opening', "
                           "'ranking_tie_break', 'ranking_month_red', 'ranking_month_black', "
                           "'ranking_quarter_red', 'ranking_quarter_black')")
            assert overridden == []  # the demo keeps every default, so DOMAIN's numbers hold
            self.zones = q("SELECT z.id, z.name, z.natural_village_id, z.sort_order, n.admin_village_id, "
                           "n.sort_order, n.name FROM zone z JOIN natural_village n "
                           "ON n.id = z.natural_village_id")
            self.evaluation = {(z, m): tuple(Fraction(str(x)) for x in values) for z, m, *values in q(
                "SELECT zone_id, month, villagers, heads, secretary FROM evaluation")}
            self.heads = q("SELECT h.resident_id, COALESCE(h.zone_id, a.zone_id), h.started_on, "
                           "h.ended_on FROM head h LEFT JOIN alley a ON a.id = h.alley_id")
            self.entries = q("SELECT p.resident_id, p.year, p.opening, e.kind, e.score_delta, "
                             "e.score_after, e.occurred_on, e.idempotency_key FROM ledger_entry e "
                             "JOIN passbook p ON p.id = e.passbook_id ORDER BY p.id, e.seq")
            self.lists = q("SELECT id, kind, period, version, published_on, unranked FROM ranking_list")
            self.listed = q("SELECT e.list_id, e.colour, e.unit_id, e.unit_name, e.group_id, "
                            "e.score FROM ranking_entry e")
        self.net: dict[tuple[int, str], int] = defaultdict(int)
        for resident, _year, _opening, kind, delta, _after, occurred, key in self.entries:
            if kind in COUNTED and not (key or "").startswith("红黑榜:"):
                on = _day(occurred)
                self.net[(resident, f"{on.year}-{on.month:02d}")] += delta

    def serving(self, zone: int, month: str, *, now: bool = False) -> set[int]:
        start, end = _month_range(month)
        return {r for r, z, started, ended in self.heads if z == zone and (
            ended is None if now else
            _day(started) <= end and (ended is None or _day(ended) >= start))}

    def zone_month(self, zone: int, month: str) -> tuple[Fraction, ...]:
        """(total, villagers, heads, secretary)."""
        v, h, s = self.evaluation[(zone, month)]
        heads = self.serving(zone, month)
        mean_net = Fraction(sum(self.net[(r, month)] for r in heads), len(heads))
        points = min(Fraction(100), max(Fraction(0), 100 * mean_net / Fraction(CAP - OPENING, 12)))
        evaluation = (W_VILLAGERS * v + W_HEADS * h + W_SECRETARY * s) / 100
        return ((W_POINTS * points + (100 - W_POINTS) * evaluation) / 100, v, h, s)

    def on_talk_list(self, residents: set[int], year: int, day: date) -> bool:
        """Anyone of them below the opening points, or at 0, in `year` before `day`."""
        score: dict[int, tuple[int, int]] = {}
        for resident, book_year, opening, _kind, _delta, after, on, _key in self.entries:
            if resident in residents and book_year == year and _day(on) < day:
                score[resident] = (after, opening)
        return any(after < opening or after == 0 for after, opening in score.values())


def _ordered(items):  # type: ignore[no-untyped-def]
    """(unit, figures, register order): highest total first, then villagers, heads, secretary,
    then the register order."""
    return sorted(items, key=lambda x: (*(-f for f in x[1]), x[2]))


def _month(town: Town, code: str, published: date):  # type: ignore[no-untyped-def]
    by_nv = defaultdict(list)
    for zone, _name, nv, order, *_ in town.zones:
        by_nv[nv].append((zone, town.zone_month(zone, code), (order, zone)))
    result, passed, totals = {}, set(), {}
    for nv, items in by_nv.items():
        ordered = _ordered(items)
        black = ordered[-1][0]
        red = []
        for zone, _figures, _order in ordered[:-1]:
            if town.on_talk_list(town.serving(zone, code, now=True), int(code[:4]), published):
                passed.add(zone)
            else:
                red.append(zone)
                break
        result[nv] = (red, [black])
        totals.update({zone: figures[0] for zone, figures, _ in items})
    return result, passed, totals


def _quarter(town: Town, year: int, quarter: int):  # type: ignore[no-untyped-def]
    months = [f"{year}-{m:02d}" for m in range(quarter * 3 - 2, quarter * 3 + 1)]
    zones_of, villages = defaultdict(list), defaultdict(set)
    nv_order = {}
    for zone, _name, nv, _order, av, order, _nv_name in town.zones:
        zones_of[nv].append(zone)
        villages[av].add(nv)
        nv_order[nv] = (order, nv)
    nv_score = {nv: _mean([_mean([town.zone_month(z, m) for z in zones]) for m in months])
                for nv, zones in zones_of.items()}
    result = {}
    for av, nvs in villages.items():
        ordered = _ordered([(nv, nv_score[nv], nv_order[nv]) for nv in nvs])
        result[av] = ([ordered[0][0]], [ordered[-1][0]])
    return result, {nv: s[0] for nv, s in nv_score.items()}


def test_every_demo_list_equals_the_independent_recomputation(demo_db):
    town = Town(demo_db)
    current = {}
    for list_id, kind, period, version, published, unranked in town.lists:
        if current.get((kind, period), (0,))[0] < version:
            current[(kind, period)] = (version, list_id, _day(published), unranked or "")
    assert len(current) == 13  # January – October, three quarters
    passed_total = 0
    for (kind, period), (_version, list_id, published, unranked) in sorted(current.items()):
        if kind == "month":
            expected, passed, totals = _month(town, period, published)
            names = {zone: (name, nv_name) for zone, name, _nv, _o, _av, _no, nv_name in town.zones}
            assert {names[z][0] for z in passed} == {
                line.split("：", 1)[1].split("（第")[0] for line in unranked.split("\n") if line}, period
            passed_total += len(passed)
        else:
            expected, totals = _quarter(town, int(period[:4]), int(period[-1]))
        got = defaultdict(lambda: ([], []))
        for entry_list, colour, unit, _name, group, score in town.listed:
            if entry_list == list_id:
                got[group][0 if colour == "red" else 1].append(unit)
                assert Decimal(str(score)) == _half_up(totals[unit]), (period, unit)
        assert dict(got) == expected, period
    assert passed_total > 0  # the 约谈 rule did pass zones over in the demo year
