"""A village without a network and the township, by file: once a month the village sends its
month up (scores, points entries, redemptions and stock movements) and the township sends its
published lists down, with whatever it posted into the village's passbooks (the lists' points).

The village moved up once before (models/server/moving.py), so the server knows where each of
its residents and heads went (`moved_row`); the package always names people by the village's
own ids and the township translates. Units are named by township, administrative village,
natural village and zone — never by a name alone; goods by their name in the village;
redemptions by their receipt number; passbooks by person and year, ledger entries by their
place in the passbook.

Both sides append the other's entries the same way: an entry already there (same place, same
content) is skipped — importing a package twice changes nothing — and the rest must continue
the passbook where it stands, re-chained over this database's ids. A passbook both sides wrote
to since the last exchange is refused by name, with nothing written: the two figures could not
both be right."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, DateTime, Table, insert, select, text, update

from models.areas import metadata
from models.core import audit
from models.core.access import Permission
from models.core.base import utcnow
from models.core.errors import NotFound, ValidationError
from models.core.service import Service
from models.core.validation import shown
from models.points.tables import HASHED_FIELDS, entry_hash
from models.ranking.tables import Period, snapshot_hash
from models.store.tables import MOVEMENT_CHAIN

FORMAT = "村治通月度数据包"
UP, DOWN = "村→镇", "镇→村"
# What makes two ledger entries the same entry, whatever database holds them.
SAME_ENTRY = ("seq", "kind", "rule_code", "requested", "score_delta", "spend_delta",
              "score_after", "spent_after", "occurred_on", "operator_name", "note", "reference",
              "evidence_sha256")
_ENTRY_COPY = ("seq", "kind", "rule_code", "rule_text", "rule_points", "requested", "score_delta",
               "spend_delta", "score_after", "spent_after", "occurred_on", "recorded_at",
               "operator_name", "operator_role", "note", "reference", "evidence_path",
               "evidence_sha256", "idempotency_key")


@dataclass
class PackageSummary:
    direction: str
    village: str
    month: str
    counts: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        parts = "，".join(f"{k} {v}" for k, v in self.counts.items())
        return f"{self.village} {self.month} 月度数据包（{self.direction}）：{parts or '没有新内容'}。"


# ---- values in a file ----------------------------------------------------------------------
def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    if isinstance(value, date | Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


def _typed(table: Table, column: str, value: Any) -> Any:
    if value is None or column not in table.c:
        return value
    kind = table.c[column].type
    python = getattr(kind, "enum_class", None)
    if python is not None:
        return python(value)
    if isinstance(kind, DateTime):  # an instant; SQLite's raw rows give it as naive UTC text
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        wanted = kind.python_type
    except NotImplementedError:
        return value
    if wanted is date:
        return date.fromisoformat(value)
    if wanted is Decimal:
        return Decimal(value)
    return value


def _row(table: str, data: dict[str, Any]) -> dict[str, Any]:
    t = metadata.tables[table]
    return {k: _typed(t, k, v) for k, v in data.items()}


def _month_bounds(month: str) -> tuple[datetime, datetime]:
    """The month on the office PC's clock (China's time there), as UTC instants [start, end):
    the same clock that stamps what is recorded (models.core.clock.utcnow)."""
    try:
        first = datetime.strptime(month, "%Y-%m")
    except ValueError as error:
        raise ValidationError(f"月份“{shown(month)}”的写法不对，应为 2026-11 这样。") from error
    following = (first + timedelta(days=32)).replace(day=1)
    return first.astimezone(UTC), following.astimezone(UTC)


# ---- the service -----------------------------------------------------------------------------
class PackageService(Service):
    # the village's side
    def export_up(self, village_id: int, month: str, path: Path) -> PackageSummary:
        self.require_view(village_id)
        with self.db.read() as s:
            c = s.connection()
            place = _place(c, village_id)
            books = _ledgers(c, village_id, month, lambda rid: rid, lambda hid: hid)
            content = {"format": FORMAT, "direction": UP, "month": month, **place,
                       "ledgers": books, "scores": _scores(c, village_id, month),
                       **_store(c, village_id, month)}
        return _write(path, content)

    def import_down(self, path: Path) -> PackageSummary:
        content = _read(path, DOWN)
        with self.operation(Permission.EDIT_POINTS) as s:
            c = s.connection()
            village_id = _village(c, content)
            self.require(Permission.EDIT_POINTS, village_id)
            summary = PackageSummary(DOWN, content["village"], content["month"])
            summary.counts["积分流水"] = _apply_ledgers(c, village_id, content["ledgers"],
                                                    lambda rid: rid, lambda hid: hid)
            summary.counts["红黑榜"] = _apply_lists(c, content)
            audit.record(s, self.actor, "导入镇里的月度数据包", "admin_village", village_id,
                         village_id=village_id, after=summary.counts | {"month": summary.month})
            return summary

    # the township's side
    def import_up(self, path: Path) -> PackageSummary:
        content = _read(path, UP)
        with self.operation(Permission.SETTINGS) as s:
            self.require(Permission.SETTINGS, None)
            c = s.connection()
            village_id = _village(c, content)
            went = _moved(c, f"{content['township']}/{content['village']}")
            summary = PackageSummary(UP, content["village"], content["month"])
            summary.counts["积分流水"] = _apply_ledgers(
                c, village_id, content["ledgers"], _via(went, "resident"), _via(went, "head"))
            summary.counts["评议分"] = _apply_scores(c, village_id, content)
            summary.counts.update(_apply_store(c, village_id, content, _via(went, "head")))
            audit.record(s, self.actor, "导入村里的月度数据包", "admin_village", village_id,
                         village_id=village_id, after=summary.counts | {"month": summary.month})
            return summary

    def export_down(self, village_id: int, month: str, path: Path) -> PackageSummary:
        self.require_view(village_id)
        with self.db.read() as s:
            c = s.connection()
            place = _place(c, village_id)
            went = _moved(c, f"{place['township']}/{place['village']}")
            back = {table: {t: s_ for s_, t in ids.items()} for table, ids in went.items()}
            books = _ledgers(c, village_id, month, _via(back, "resident"), _via(back, "head"))
            content = {"format": FORMAT, "direction": DOWN, "month": month, **place,
                       "ledgers": books, "lists": _lists(c, village_id, month)}
        return _write(path, content)


def _via(maps: dict[str, dict[int, int]], table: str):  # type: ignore[no-untyped-def]
    def translate(value: int | None) -> int | None:
        if value is None:
            return None
        if value not in maps.get(table, {}):
            raise ValidationError(f"数据包里有一位{'居民' if table == 'resident' else '负责人'}"
                                  f"（编号 {value}）在对方的数据库里没有：村里的组织架构有了变动，"
                                  "请先把变动告诉镇里，在服务器上登记后再导入。没有导入任何数据。")
        return maps[table][value]
    return translate


def _moved(c: Connection, label: str) -> dict[str, dict[int, int]]:
    maps: dict[str, dict[int, int]] = defaultdict(dict)
    for row in c.execute(text("SELECT table_name, source_id, target_id FROM moved_row "
                              "WHERE source = :s"), {"s": label}):
        maps[row.table_name][row.source_id] = row.target_id
    if not maps:
        raise ValidationError(f"“{label}”还没有迁入过服务器：请先用 move-up 把村里的数据迁入一次。")
    return maps


def _write(path: Path, content: dict[str, Any]) -> PackageSummary:
    Path(path).write_text(json.dumps(content, ensure_ascii=False, default=_plain, indent=1),
                          encoding="utf-8")
    summary = PackageSummary(content["direction"], content["village"], content["month"])
    summary.counts = {"存折": len(content["ledgers"]),
                      "积分流水": sum(len(b["entries"]) for b in content["ledgers"])}
    for key, label in (("scores", "评议分"), ("redemptions", "兑换"), ("lists", "红黑榜")):
        if key in content:
            summary.counts[label] = len(content[key])
    return summary


def _read(path: Path, direction: str) -> dict[str, Any]:
    try:
        content = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValidationError(f"无法读取数据包“{Path(path).name}”：文件不完整或不是数据包。") from error
    if not isinstance(content, dict) or content.get("format") != FORMAT:
        raise ValidationError(f"“{Path(path).name}”不是村治通的月度数据包。")
    if content.get("direction") != direction:
        raise ValidationError(f"“{Path(path).name}”是{content.get('direction')}的数据包，"
                              f"这里要导入的是{direction}的。")
    return content


def _place(c: Connection, village_id: int) -> dict[str, str]:
    row = c.execute(text("SELECT v.name, t.name AS town FROM admin_village v JOIN township t "
                         "ON t.id = v.township_id WHERE v.id = :v"), {"v": village_id}).first()
    if row is None:
        raise NotFound("所选的行政村不存在。")
    return {"township": row.town, "village": row.name}


def _village(c: Connection, content: dict[str, Any]) -> int:
    found = c.execute(text("SELECT v.id FROM admin_village v JOIN township t ON t.id = v.township_id "
                           "WHERE t.name = :t AND v.name = :v"),
                      {"t": content["township"], "v": content["village"]}).scalars().all()
    if len(found) != 1:
        raise NotFound(f"这个数据库里没有“{content['township']}{content['village']}”。")
    return found[0]


# ---- ledgers -------------------------------------------------------------------------------
def _ledgers(c: Connection, village_id: int, month: str, resident, head) -> list[dict]:  # type: ignore[no-untyped-def]
    """The village's passbooks that took entries recorded in the month: where each stood before,
    and those entries (people named by the village's ids)."""
    start, end = _month_bounds(month)
    entries = metadata.tables["ledger_entry"]
    books = metadata.tables["passbook"]
    rows = c.execute(select(entries, books.c.resident_id, books.c.head_id, books.c.year,
                            books.c.opening, books.c.opened_on, books.c.closed_on)
                     .join(books, books.c.id == entries.c.passbook_id)
                     .where(books.c.admin_village_id == village_id,
                            entries.c.recorded_at >= start, entries.c.recorded_at < end)
                     .order_by(entries.c.passbook_id, entries.c.seq)).all()
    seqs = {r.id: r.seq for r in c.execute(select(entries.c.id, entries.c.seq).where(
        entries.c.id.in_({r.reverses_id for r in rows if r.reverses_id})))} if rows else {}
    grouped: dict[int, dict[str, Any]] = {}
    for r in rows:
        book = grouped.setdefault(r.passbook_id, {
            "resident": resident(r.resident_id), "head": head(r.head_id), "year": r.year,
            "opening": r.opening, "opened_on": r.opened_on, "closed_on": r.closed_on,
            "entries": []})
        entry = {f: getattr(r, f) for f in _ENTRY_COPY}
        entry["reverses_seq"] = seqs.get(r.reverses_id)
        book["entries"].append(entry)
    return list(grouped.values())


def _apply_ledgers(c: Connection, village_id: int, books: list[dict], resident, head) -> int:  # type: ignore[no-untyped-def]
    appended = 0
    rules = dict(c.execute(text("SELECT code, id FROM points_rule")).all())
    for book in books:
        passbook = _passbook(c, village_id, book, resident(book["resident"]), head(book["head"]))
        appended += _append(c, passbook, book, rules)
    return appended


def _passbook(c: Connection, village_id: int, book: dict, resident_id: int, head_id: int | None):  # type: ignore[no-untyped-def]
    t = metadata.tables["passbook"]
    found = c.execute(select(t).where(t.c.resident_id == resident_id, t.c.year == book["year"])
                      .with_for_update()).first()
    if found is not None:
        return found
    c.execute(insert(t).values(**_row("passbook", {
        "resident_id": resident_id, "year": book["year"], "head_id": head_id,
        "admin_village_id": village_id, "opening": book["opening"], "opened_on": book["opened_on"],
        "score": 0, "spent": 0, "last_seq": 0, "last_hash": "0" * 64,
        "created_at": _plain(utcnow())})))
    return c.execute(select(t).where(t.c.resident_id == resident_id, t.c.year == book["year"])).first()


def _append(c: Connection, passbook: Any, book: dict, rules: dict[str, int]) -> int:
    table = metadata.tables["ledger_entry"]
    have = {r.seq: r for r in c.execute(select(table).where(table.c.passbook_id == passbook.id))}
    state = SimpleNamespace(seq=passbook.last_seq, score=passbook.score, spent=passbook.spent,
                            hash=passbook.last_hash)
    appended = 0
    for data in book["entries"]:
        entry = _row("ledger_entry", {k: v for k, v in data.items() if k != "reverses_seq"})
        there = have.get(entry["seq"])
        if there is not None:
            if any(_plain(getattr(there, f)) != _plain(entry[f]) for f in SAME_ENTRY):
                raise _diverged(book, entry["seq"])
            continue
        if entry["seq"] != state.seq + 1 or (state.score, state.spent) != (
                entry["score_after"] - entry["score_delta"], entry["spent_after"] - entry["spend_delta"]):
            raise _diverged(book, entry["seq"])
        entry.update(passbook_id=passbook.id, operator_user_id=None,
                     rule_id=rules.get(entry["rule_code"]) if entry["rule_code"] else None,
                     reverses_id=have[data["reverses_seq"]].id if data["reverses_seq"] else None,
                     prev_hash=state.hash)
        if entry["rule_code"] and entry["rule_id"] is None:
            raise ValidationError(f"积分细则“{entry['rule_code']} {entry['rule_text']}”在这里没有，"
                                  "请先在积分细则中添加它。没有导入任何数据。")
        entry["hash"] = entry_hash(state.hash, {f: entry[f] for f in HASHED_FIELDS})
        entry["id"] = c.execute(insert(table).values(**entry).returning(table.c.id)).scalar_one()
        have[entry["seq"]] = SimpleNamespace(**entry)
        state = SimpleNamespace(seq=entry["seq"], score=entry["score_after"],
                                spent=entry["spent_after"], hash=entry["hash"])
        appended += 1
    if appended:
        books = metadata.tables["passbook"]
        c.execute(update(books).where(books.c.id == passbook.id).values(
            score=state.score, spent=state.spent, last_seq=state.seq, last_hash=state.hash,
            closed_on=_typed(books, "closed_on", book["closed_on"])))
    return appended


def _diverged(book: dict, seq: int) -> ValidationError:
    return ValidationError(f"{book['year']}年的一本积分存折（第 {seq} 笔）在村里和镇里都有新的记录，"
                           "不能自动合并。请先导入对方上一次的数据包，或与镇里核对后再导。"
                           "没有导入任何数据。")


# ---- scores ----------------------------------------------------------------------------------
def _zones(c: Connection, village_id: int) -> dict[tuple[str, str], int]:
    return {(r.nv, r.zone): r.id for r in c.execute(text(
        "SELECT z.id, z.name AS zone, n.name AS nv FROM zone z JOIN natural_village n "
        "ON n.id = z.natural_village_id WHERE n.admin_village_id = :v"), {"v": village_id})}


def _scores(c: Connection, village_id: int, month: str) -> list[dict]:
    zones = {v: k for k, v in _zones(c, village_id).items()}
    rows = c.execute(text("SELECT zone_id, villagers, heads, secretary, entered_by FROM evaluation "
                          "WHERE month = :m"), {"m": month}).all()
    return [{"natural": zones[r.zone_id][0], "zone": zones[r.zone_id][1],
             "villagers": r.villagers, "heads": r.heads, "secretary": r.secretary,
             "entered_by": r.entered_by} for r in rows if r.zone_id in zones]


def _apply_scores(c: Connection, village_id: int, content: dict) -> int:
    zones, table, changed = _zones(c, village_id), metadata.tables["evaluation"], 0
    for score in content["scores"]:
        zone = zones.get((score["natural"], score["zone"]))
        if zone is None:
            raise ValidationError(f"{content['township']}{content['village']}没有自然村“{score['natural']}”"
                                  f"的片区“{score['zone']}”。没有导入任何数据。")
        values = _row("evaluation", {k: score[k] for k in ("villagers", "heads", "secretary",
                                                            "entered_by")})
        done = c.execute(update(table).where(table.c.zone_id == zone,
                                             table.c.month == content["month"]).values(**values))
        if not done.rowcount:
            c.execute(insert(table).values(zone_id=zone, month=content["month"],
                                           created_at=utcnow(), **values))
        changed += 1
    return changed


# ---- goods and redemptions -------------------------------------------------------------------
_GOODS = ("name", "unit", "price_points", "active", "sort_order")
_MOVEMENT = ("kind", "quantity", "occurred_on", "value_fen", "donor", "reason", "counted",
             "entered_by", "entered_at")
_REDEMPTION = ("number", "total_points", "occurred_on", "status", "idempotency_key", "entered_by",
               "entered_at", "cancelled_by", "cancelled_at", "cancel_reason")


def _store(c: Connection, village_id: int, month: str) -> dict[str, list]:
    start, end = _month_bounds(month)
    goods = {r.id: r for r in c.execute(text("SELECT * FROM goods WHERE admin_village_id = :v"),
                                        {"v": village_id})}
    movements = c.execute(text(
        "SELECT m.*, r.number FROM stock_movement m LEFT JOIN redemption r ON r.id = m.redemption_id "
        "JOIN goods g ON g.id = m.goods_id WHERE g.admin_village_id = :v "
        "AND m.entered_at >= :a AND m.entered_at < :b ORDER BY m.id"),
        {"v": village_id, "a": start, "b": end}).all()
    redemptions = c.execute(text(
        "SELECT r.*, p.resident_id, p.year, e.seq FROM redemption r "
        "JOIN ledger_entry e ON e.id = r.entry_id JOIN passbook p ON p.id = e.passbook_id "
        "WHERE r.admin_village_id = :v AND ((r.entered_at >= :a AND r.entered_at < :b) "
        "OR (r.cancelled_at >= :a AND r.cancelled_at < :b)) ORDER BY r.id"),
        {"v": village_id, "a": start, "b": end}).all()
    lines = defaultdict(list)
    for line in c.execute(text("SELECT * FROM redemption_line WHERE redemption_id IN "
                               "(SELECT id FROM redemption WHERE admin_village_id = :v)"),
                          {"v": village_id}):
        lines[line.redemption_id].append({"goods": goods[line.goods_id].name, "name": line.name,
                                          "unit": line.unit, "quantity": line.quantity,
                                          "price_points": line.price_points})
    return {
        "goods": [{f: getattr(g, f) for f in _GOODS} for g in goods.values()],
        "movements": [{"goods": goods[m.goods_id].name, "redemption": m.number,
                       **{f: getattr(m, f) for f in _MOVEMENT}} for m in movements],
        "redemptions": [{"head": r.head_id, "resident": r.resident_id, "year": r.year,
                         "entry_seq": r.seq, "lines": lines[r.id],
                         **{f: getattr(r, f) for f in _REDEMPTION}} for r in redemptions],
    }


def _apply_store(c: Connection, village_id: int, content: dict, head) -> dict[str, int]:  # type: ignore[no-untyped-def]
    goods_table = metadata.tables["goods"]
    goods = dict(c.execute(text("SELECT name, id FROM goods WHERE admin_village_id = :v"),
                           {"v": village_id}).all())
    for item in content["goods"]:
        if item["name"] not in goods:
            goods[item["name"]] = c.execute(insert(goods_table).values(
                admin_village_id=village_id, stock=0, picture_path="", created_at=utcnow(),
                **_row("goods", item)).returning(goods_table.c.id)).scalar_one()
    numbers = _apply_redemptions(c, village_id, content, goods, head)
    moved = _apply_movements(c, content, goods, numbers)
    return {"兑换": len(numbers), "出入库": moved}


def _apply_redemptions(c: Connection, village_id: int, content: dict, goods: dict[str, int],
                       head) -> dict[str, int]:  # type: ignore[no-untyped-def]
    table, lines = metadata.tables["redemption"], metadata.tables["redemption_line"]
    went = _moved(c, f"{content['township']}/{content['village']}")
    known = dict(c.execute(text("SELECT number, id FROM redemption WHERE admin_village_id = :v"),
                           {"v": village_id}).all())
    numbers = {}
    for r in content["redemptions"]:
        values = _row("redemption", {f: r[f] for f in _REDEMPTION})
        if r["number"] in known:  # a redemption already here, cancelled later in the village
            c.execute(update(table).where(table.c.id == known[r["number"]]).values(
                status=values["status"], cancelled_by=values["cancelled_by"],
                cancelled_at=values["cancelled_at"], cancel_reason=values["cancel_reason"]))
            numbers[r["number"]] = known[r["number"]]
            continue
        entry = c.execute(text(
            "SELECT e.id FROM ledger_entry e JOIN passbook p ON p.id = e.passbook_id "
            "WHERE p.resident_id = :r AND p.year = :y AND e.seq = :s"),
            {"r": went["resident"].get(r["resident"]), "y": r["year"], "s": r["entry_seq"]}).scalar()
        redemption = c.execute(insert(table).values(
            admin_village_id=village_id, head_id=head(r["head"]), entry_id=entry, **values)
            .returning(table.c.id)).scalar_one()
        for line in r["lines"]:
            c.execute(insert(lines).values(redemption_id=redemption, goods_id=goods[line["goods"]],
                                           **{k: v for k, v in line.items() if k != "goods"}))
        numbers[r["number"]] = redemption
        year = values["occurred_on"].year
        sequence = metadata.tables["receipt_sequence"]
        last = int(r["number"].rsplit("-", 1)[1])
        if not c.execute(update(sequence).where(
                sequence.c.admin_village_id == village_id, sequence.c.year == year,
                sequence.c.last < last).values(last=last)).rowcount:
            c.execute(text("INSERT INTO receipt_sequence (admin_village_id, year, last) "
                           "VALUES (:v, :y, :l) ON CONFLICT DO NOTHING"),
                      {"v": village_id, "y": year, "l": last})
    return numbers


def _apply_movements(c: Connection, content: dict, goods: dict[str, int],
                     numbers: dict[str, int]) -> int:
    table, goods_table = metadata.tables["stock_movement"], metadata.tables["goods"]
    added = 0
    for m in content["movements"]:
        values = _row("stock_movement", {f: m[f] for f in _MOVEMENT})
        goods_id = goods[m["goods"]]
        same = c.execute(select(table.c.id).where(
            table.c.goods_id == goods_id, table.c.entered_at == values["entered_at"],
            table.c.kind == values["kind"], table.c.quantity == values["quantity"])).first()
        if same is not None:
            continue
        # Linked into this database's chain of the goods item (its head locked till commit).
        head = c.execute(select(goods_table.c.movement_seq, goods_table.c.movement_hash)
                         .where(goods_table.c.id == goods_id).with_for_update()).one()
        row = MOVEMENT_CHAIN.link(
            {"goods_id": goods_id, "redemption_id": numbers.get(m["redemption"]), **values},
            head.movement_seq + 1, head.movement_hash)
        c.execute(insert(table).values(**row))
        done = c.execute(update(goods_table).where(
            goods_table.c.id == goods_id, goods_table.c.stock + values["quantity"] >= 0)
            .values(stock=goods_table.c.stock + values["quantity"], movement_seq=row["chain_seq"],
                    movement_hash=row["hash"]))
        if not done.rowcount:
            raise ValidationError(f"导入后“{m['goods']}”的库存会小于 0：镇里和村里的出入库记录不一致。"
                                  "没有导入任何数据。")
        added += 1
    return added


# ---- published lists, down to the village ----------------------------------------------------
_UNITS = {Period.MONTH: "zone", Period.QUARTER: "natural_village", Period.YEAR: "admin_village"}
_LIST_COPY = ("kind", "period", "version", "change_note", "published_on", "publisher",
              "doc_number", "formula", "tie_break", "unranked", "created_at")
_ENTRY_COPY_LIST = ("colour", "unit_name", "group_name", "score", "villagers_score", "rank",
                    "group_size", "head_name", "reason", "resident_names", "sort_order")


def _paths(c: Connection, township_id: int) -> dict[tuple[str, int], tuple[str, ...]]:
    """Every unit of the township by its name path: (table, id) → names from the village down."""
    paths: dict[tuple[str, int], tuple[str, ...]] = {}
    for r in c.execute(text("SELECT id, name FROM admin_village WHERE township_id = :t"),
                       {"t": township_id}):
        paths[("admin_village", r.id)] = (r.name,)
    for r in c.execute(text("SELECT id, name, admin_village_id FROM natural_village")):
        if ("admin_village", r.admin_village_id) in paths:
            paths[("natural_village", r.id)] = (*paths[("admin_village", r.admin_village_id)], r.name)
    for r in c.execute(text("SELECT id, name, natural_village_id FROM zone")):
        if ("natural_village", r.natural_village_id) in paths:
            paths[("zone", r.id)] = (*paths[("natural_village", r.natural_village_id)], r.name)
    return paths


def _lists(c: Connection, village_id: int, month: str) -> list[dict]:
    town = c.execute(text("SELECT township_id FROM admin_village WHERE id = :v"),
                     {"v": village_id}).scalar()
    paths = _paths(c, town)
    first = date.fromisoformat(f"{month}-01")
    following = (first + timedelta(days=32)).replace(day=1)
    found = []
    for listing in c.execute(text("SELECT * FROM ranking_list WHERE township_id = :t AND "
                                  "published_on >= :a AND published_on < :b ORDER BY id"),
                             {"t": town, "a": first, "b": following}).all():
        kind = Period(listing.kind)
        entries = c.execute(text("SELECT * FROM ranking_entry WHERE list_id = :l ORDER BY sort_order"),
                            {"l": listing.id}).all()
        supersedes = c.execute(text("SELECT version FROM ranking_list WHERE id = :i"),
                               {"i": listing.supersedes_id}).scalar() if listing.supersedes_id else None
        found.append({**{f: getattr(listing, f) for f in _LIST_COPY}, "supersedes_version": supersedes,
                      "entries": [{"unit": paths.get((_UNITS[kind], e.unit_id)),
                                   **{f: getattr(e, f) for f in _ENTRY_COPY_LIST}}
                                  for e in entries]})
    return found


def _apply_lists(c: Connection, content: dict) -> int:
    town = c.execute(text("SELECT id, name FROM township WHERE name = :n"),
                     {"n": content["township"]}).first()
    if town is None:
        raise NotFound(f"这个数据库里没有镇（街道）“{content['township']}”。")
    ids = {path: key for key, path in _paths(c, town.id).items()}
    lists, entries = metadata.tables["ranking_list"], metadata.tables["ranking_entry"]
    added = 0
    for data in content["lists"]:
        values = _row("ranking_list", {f: data[f] for f in _LIST_COPY})
        same = c.execute(select(lists.c.doc_number).where(
            lists.c.township_id == town.id, lists.c.kind == values["kind"],
            lists.c.period == values["period"], lists.c.version == values["version"])).first()
        if same is not None:
            if same.doc_number != values["doc_number"]:
                raise ValidationError(f"本村已有一份 {values['period']} 第{values['version']}版的红黑榜，"
                                      "和镇里的不是同一份。没有导入任何数据。")
            continue
        supersedes = c.execute(select(lists.c.id).where(
            lists.c.township_id == town.id, lists.c.kind == values["kind"],
            lists.c.period == values["period"], lists.c.version == data["supersedes_version"])
        ).scalar() if data["supersedes_version"] else None
        rows = [_list_entry(e, ids, values["kind"], town.id) for e in data["entries"]]
        listing = dict(values, township_id=town.id, township_name=town.name,
                       supersedes_id=supersedes)
        listing["snapshot_hash"] = snapshot_hash(SimpleNamespace(**listing),
                                                 [SimpleNamespace(**r) for r in rows])
        list_id = c.execute(insert(lists).values(**listing).returning(lists.c.id)).scalar_one()
        for row in rows:
            c.execute(insert(entries).values(list_id=list_id, **row))
        added += 1
    return added


def _list_entry(data: dict, ids: dict[tuple, tuple[str, int]], kind: Period,
                town_id: int) -> dict[str, Any]:
    """An entry of the township's list: a unit of this village by its id here; another
    village's unit (not in this database) as 0, its names kept as published."""
    row = _row("ranking_entry", {f: data[f] for f in _ENTRY_COPY_LIST})
    path = tuple(data["unit"] or ())
    unit, village = ids.get(path), ids.get(path[:1])
    group = town_id if kind is Period.YEAR else (ids.get(path[:-1]) or (None, 0))[1]
    row.update(unit_id=unit[1] if unit else 0, admin_village_id=village[1] if village else 0,
               group_id=group)
    return row
