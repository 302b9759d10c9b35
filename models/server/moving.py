"""迁入服务器: a village that worked on its own SQLite file joins the township server with its whole
history — organisation, heads, passbooks and their ledgers, goods, stock, redemptions,
evaluations, files, accounts and its audit trail — mapped onto the server's ids, in one
transaction: all of it, or nothing.

How rows travel. Every table has one rule (`PARTS`, and the guard test keeps it complete):
- a village's rows are chosen through their owner (a zone through its natural village, a ledger
  entry through its passbook, …) and get new ids on the server, allocated before anything is
  written, so every reference — foreign keys, and the plain ids a few columns and idempotency
  keys hold — is rewritten in memory first;
- the township's published red/black lists, and its own audit rows, travel when the last village
  of the source township arrives (then every unit they name is on the server), a list only for a
  period the server has not published itself; the rest are reported as left behind. The source
  township's own accounts (its administrator) stay: the server's township has its own;
- the township and the points rules are matched (by name, by code), settings and retry keys stay.

Hash chains. A ledger entry's hash covers the ids of its passbook, rule, operator and reversed
entry, a stock movement's its goods and redemption, an audit row's its village, user and the row
it records, and a published list's snapshot covers its unit ids, so all are re-derived over the
server's ids (the audit rows appended to the server's chain of the village) — after the
source's own chains were verified (`check` on the source must be clean) — and `check` on the
server verifies them again. The source's last hash of every passbook is kept in the audit row
of the move, so a code printed in the village's time can still be traced.
Where every row came from stays in `moved_row`."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, DateTime, Table, insert, select, text, update

from models.areas import metadata
from models.check import run_checks
from models.core import audit
from models.core.access import Permission
from models.core.audit import CHAINED as AUDIT_CHAIN
from models.core.base import utcnow
from models.core.chain import ChainHead, locked_head
from models.core.db import Database
from models.core.errors import NotFound, ValidationError
from models.core.service import Service
from models.core.validation import shown
from models.points.tables import GENESIS, HASHED_FIELDS, entry_hash
from models.people.tables import HONOUR_ENTRY_FIELDS, HONOUR_LIST_FIELDS, record_hash
from models.ranking.tables import Period, snapshot_hash
from models.store.tables import MOVEMENT_CHAIN


@dataclass(frozen=True)
class Part:
    """Rows of `table` whose `column` holds a chosen id of `parent`."""

    table: str
    column: str
    parent: str


VILLAGE_PARTS = (
    Part("natural_village", "admin_village_id", "admin_village"),
    Part("zone", "natural_village_id", "natural_village"),
    Part("alley", "zone_id", "zone"),
    Part("household", "alley_id", "alley"),
    Part("resident", "household_id", "household"),
    Part("head", "admin_village_id", "admin_village"),
    Part("account", "village_id", "admin_village"),
    Part("passbook", "admin_village_id", "admin_village"),
    Part("ledger_entry", "passbook_id", "passbook"),
    Part("goods", "admin_village_id", "admin_village"),
    Part("receipt_sequence", "admin_village_id", "admin_village"),
    Part("redemption", "admin_village_id", "admin_village"),
    Part("redemption_line", "redemption_id", "redemption"),
    Part("stock_movement", "goods_id", "goods"),
    Part("evaluation", "zone_id", "zone"),
    Part("stored_file", "admin_village_id", "admin_village"),
    Part("head_photo", "resident_id", "resident"),
    Part("audit_log", "village_id", "admin_village"),
    Part("problem", "admin_village_id", "admin_village"),
    Part("problem_event", "problem_id", "problem"),
    Part("problem_photo", "problem_id", "problem"),
    Part("problem_points", "problem_id", "problem"),
    Part("pledge_return", "household_id", "household"),
    Part("worklog_patrol", "head_id", "head"),
    Part("worklog_patrol_change", "patrol_id", "worklog_patrol"),
    Part("worklog_summary", "head_id", "head"),
    Part("worklog_visit", "head_id", "head"),
    Part("worklog_finding", "head_id", "head"),
    Part("worklog_matter", "admin_village_id", "admin_village"),
    Part("worklog_settlement", "admin_village_id", "admin_village"),
    Part("worklog_settlement_line", "settlement_id", "worklog_settlement"),
    Part("worklog_settlement_exclusion", "settlement_id", "worklog_settlement"),
    Part("issued_number", "admin_village_id", "admin_village"),
    Part("honour_nomination", "admin_village_id", "admin_village"),
    Part("assessment_result", "admin_village_id", "admin_village"),
    Part("assessment", "admin_village_id", "admin_village"),
    Part("assessment_grade", "assessment_id", "assessment"),
    Part("assessment_replacement", "grade_id", "assessment_grade"),
    Part("talent_entry", "admin_village_id", "admin_village"),
    Part("talent_event", "entry_id", "talent_entry"),
)
TOWNSHIP_PARTS = (
    Part("ranking_list", "township_id", "township"),
    Part("ranking_entry", "list_id", "ranking_list"),
    Part("ranking_points_intent", "entry_id", "ranking_entry"),
    Part("ranking_pay_deduction", "entry_id", "ranking_entry"),
    Part("honour_list", "township_id", "township"),
    Part("honour_entry", "list_id", "honour_list"),
)
# Catalogues shared by the township, matched by the column that names an entry.
CATALOGUES = {"points_rule": "code", "problem_source": "name", "problem_category": "name",
              "honour_kind": "name"}
MATCHED = frozenset({"township", "admin_village", *CATALOGUES})
# The township's own: settings, retry keys, closed years, its cadres' villages, earlier moves.
# Chain heads in chain_head (the audit trail's) are the server's: moved rows join its chains.
STAYING = frozenset({"setting", "operation_key", "points_closed_year", "moved_row",
                     "cadre_village", "chain_head"})
# Plain integer columns that hold another table's id.
LOOSE_IDS = {("ledger_entry", "operator_user_id"): "account", ("audit_log", "user_id"): "account",
             ("audit_log", "village_id"): "admin_village",
             ("problem_event", "operator_user_id"): "account",
             ("worklog_settlement", "user_id"): "account"}
# The ids a problem event's details name (models/problems/workflow.py), by key.
_DETAIL_IDS = {"village": "admin_village", "natural_village": "natural_village", "zone": "zone",
               "alley": "alley", "household": "household", "head": "head",
               "source": "problem_source", "category": "problem_category",
               "points": "ledger_entry"}
_UNIT_TABLES = {Period.MONTH: ("zone", "natural_village"),
                Period.QUARTER: ("natural_village", "admin_village"),
                Period.YEAR: ("admin_village", "township")}
# Idempotency keys of ledger entries that name ids (the areas' own formats), and the table of
# each number in them (None: not an id). Rewritten to the server's ids, so that a later retry
# or re-settlement on the server finds them — and no key of another village is ever hit.
ID_KEYS = (
    (re.compile(r"^(redemption|cancel):(\d+):(.+)$"), ("admin_village",)),
    (re.compile(r"^红黑榜:(\d+):(\d+)$"), ("ranking_list", "ranking_entry")),
    (re.compile(r"^三个一(冲正)?:(\d+):(\d+):(\d+):(\d+)$"), ("head", None, "points_rule", None)),
    (re.compile(r"^整改:(\d+):(.+)$"), ("problem",)),
)
_CHUNK = 2000


def unclassified() -> set[str]:
    """Tables no rule says how to move (a new area must add its own)."""
    known = {p.table for p in (*VILLAGE_PARTS, *TOWNSHIP_PARTS)} | MATCHED | STAYING
    return set(metadata.tables) - known


@dataclass
class MoveReport:
    source: str
    counts: dict[str, int] = field(default_factory=dict)
    lists_left: list[str] = field(default_factory=list)
    accounts_kept: list[str] = field(default_factory=list)

    def describe(self) -> str:
        moved = "，".join(f"{_LABELS.get(t, t)} {n}" for t, n in self.counts.items()
                         if n and t in _LABELS)
        lines = [f"“{self.source}”已迁入服务器：{moved}。"]
        if self.accounts_kept:
            lines.append(f"服务器上已有的账号保留不变：{'、'.join(self.accounts_kept)}。")
        if self.lists_left:
            lines.append(f"没有迁入的红黑榜（原件仍在本村的数据库文件中）：{'；'.join(self.lists_left)}。")
        return "\n".join(lines)


_LABELS = {"natural_village": "自然村", "zone": "片区", "alley": "胡同", "household": "农户",
           "resident": "居民", "head": "片区长和胡同长任职", "passbook": "积分存折",
           "ledger_entry": "积分流水", "goods": "物品", "redemption": "兑换", "stock_movement": "出入库",
           "evaluation": "评议分", "stored_file": "文件", "account": "账号",
           "ranking_list": "红黑榜", "admin_village": "行政村", "receipt_sequence": "凭证号",
           "redemption_line": "兑换明细", "ranking_entry": "上榜单位",
           "ranking_points_intent": "红黑榜奖惩", "ranking_pay_deduction": "扣发绩效补贴",
           "audit_log": "操作记录", "points_rule": "积分细则"}


# ---- the source --------------------------------------------------------------------------
class Source:
    """The village's rows, read from its own database."""

    def __init__(self, db: Database, village_name: str):
        self.db = db
        self.rows: dict[str, list[dict[str, Any]]] = {}
        with db.read() as s:
            self.connection = s.connection()
            found = s.execute(text(
                "SELECT v.id, v.name, t.id AS town_id, t.name AS town FROM admin_village v "
                "JOIN township t ON t.id = v.township_id WHERE v.name = :n"),
                {"n": village_name}).all()
            if len(found) != 1:
                raise NotFound(f"在“{db.describe()}”中找不到行政村“{shown(village_name)}”" if not found
                               else f"“{db.describe()}”中有 {len(found)} 个行政村叫“{village_name}”。")
            self.village = found[0]
            self.town_villages = list(s.execute(text(
                "SELECT id, name FROM admin_village WHERE township_id = :t ORDER BY id"),
                {"t": self.village.town_id}).all())
            self.rows["admin_village"] = self._where("admin_village", "id", [self.village.id])
            for part in VILLAGE_PARTS:
                self.rows[part.table] = self._where(part.table, part.column, self._ids(part.parent))
            self.rows["township"] = self._where("township", "id", [self.village.town_id])
            for catalogue in CATALOGUES:
                self.rows[catalogue] = self._all(catalogue)
            for part in TOWNSHIP_PARTS:
                self.rows[part.table] = self._where(part.table, part.column, self._ids(part.parent))
            self.township_audit = self._township_only("audit_log", "village_id")
            self.township_numbers = self._township_only("issued_number", "admin_village_id")
            self.connection = None

    @property
    def label(self) -> str:
        return f"{self.village.town}/{self.village.name}"

    def _ids(self, table: str) -> list[int]:
        return [row["id"] for row in self.rows[table]]

    def _township_only(self, table: str, column: str) -> list[dict[str, Any]]:
        """The township's own rows of a table that also holds villages' rows."""
        t = metadata.tables[table]
        return [dict(r._mapping) for r in self.connection.execute(
            select(t).where(t.c[column].is_(None)).order_by(t.c.id))]

    def _all(self, table: str) -> list[dict[str, Any]]:
        t = metadata.tables[table]
        return [dict(r._mapping) for r in self.connection.execute(select(t).order_by(t.c.id))]

    def _where(self, table: str, column: str, ids: list[int]) -> list[dict[str, Any]]:
        t = metadata.tables[table]
        order = t.c.id if "id" in t.c else t.c[column]
        found = []
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            found += [dict(r._mapping) for r in self.connection.execute(
                select(t).where(t.c[column].in_(chunk)).order_by(order))]
        return sorted(found, key=lambda row: row.get("id", 0))


# ---- the move ------------------------------------------------------------------------------
class MoveService(Service):
    def move_up(self, source_db: Database, village_name: str) -> MoveReport:
        """Move the village called `village_name` from `source_db` (its own SQLite file) into this
        database, under the township of the same name. Refused, with nothing written, when the
        source's `check` is not clean, the township is missing, the village is already here with
        data of its own, a login name belongs to another village, or it moved before."""
        self.actor.require(Permission.SETTINGS)
        problems = run_checks(source_db)
        if problems:
            raise ValidationError("本村数据库的检查没有通过，不能迁入：" + "；".join(problems[:3]))
        source = Source(source_db, village_name)
        with self.operation(Permission.SETTINGS) as s:
            self.require(Permission.SETTINGS, None)
            move = _Move(s.connection(), source)
            report = move.run()
            audit.record(s, self.actor, "迁入服务器", "admin_village", move.village_id,
                         village_id=move.village_id,
                         after={"source": source.label, "file": source_db.describe(),
                                "counts": {_LABELS.get(t, t): n for t, n in report.counts.items()},
                                "lists_left": report.lists_left,
                                "source_chain_heads": move.source_heads})
            return report


class _Move:
    def __init__(self, connection: Connection, source: Source):
        self.t, self.source = connection, source
        self.rows = {table: [dict(r) for r in rows] for table, rows in source.rows.items()}
        self.maps: dict[str, dict[int, int]] = defaultdict(dict)  # this move's rows
        self.before: dict[str, dict[int, int]] = defaultdict(dict)  # the township's earlier moves
        self.report = MoveReport(source.label)
        self.source_heads: dict[int, str] = {}
        self.village_id = 0

    def run(self) -> MoveReport:
        if self.t.execute(text("SELECT 1 FROM moved_row WHERE source = :s LIMIT 1"),
                          {"s": self.source.label}).first():
            raise ValidationError(f"“{self.source.label}”已经迁入过服务器，不能再迁一次。")
        self._match_township_and_village()
        for catalogue, key in CATALOGUES.items():
            self._match_catalogue(catalogue, key)
        self._match_accounts()
        self._choose_lists()
        self._allocate()
        self._rewrite()
        self._insert()
        return self.report

    # ---- what is already on the server -----------------------------------------------------
    def _match_township_and_village(self) -> None:
        village, town = self.source.village.name, self.source.village.town
        town_id = self.t.execute(text("SELECT id FROM township WHERE name = :n ORDER BY id"),
                                 {"n": town}).scalar()
        if town_id is None:
            raise NotFound(f"服务器上没有镇（街道）“{town}”。请先做服务器设置，或在组织架构中建立它。")
        self.maps["township"][self.source.village.town_id] = town_id
        self.rows["township"] = []
        here = self.t.execute(text("SELECT id FROM admin_village WHERE township_id = :t AND name = :n"),
                              {"t": town_id, "n": village}).scalar()
        if here is not None:
            busy = self.t.execute(text(
                "SELECT (SELECT count(*) FROM natural_village WHERE admin_village_id = :v) + "
                "(SELECT count(*) FROM head WHERE admin_village_id = :v) + "
                "(SELECT count(*) FROM goods WHERE admin_village_id = :v) + "
                "(SELECT count(*) FROM passbook WHERE admin_village_id = :v)"), {"v": here}).scalar()
            if busy:
                raise ValidationError(f"服务器上的“{town}{village}”已经有自己的组织架构、积分或物品，"
                                      "不能再把本村的数据迁入到它上面。")
            self.maps["admin_village"][self.source.village.id] = here
            self.rows["admin_village"] = []  # the server's row stays as the set-up made it
        self.village_id = here or 0

    def _match_catalogue(self, table: str, key: str) -> None:
        """A catalogue entry the server has (same code or name) is the server's; one it lacks
        comes along."""
        here = dict(self.t.execute(text(f"SELECT {key}, id FROM {table}")).all())
        keep = []
        for row in self.rows[table]:
            if row[key] in here:
                self.maps[table][row["id"]] = here[row[key]]
            else:
                keep.append(row)
        self.rows[table] = keep

    def _match_accounts(self) -> None:
        accounts = self.rows["account"]
        names = [a["username"] for a in accounts]
        taken = {row.username: row for row in self.t.execute(text(
            "SELECT id, username, village_id FROM account WHERE username IN :names")
            .bindparams(_expanding("names")), {"names": names or [""]})}
        keep = []
        for account in accounts:
            there = taken.get(account["username"])
            if there is None:
                keep.append(account)
            elif self.village_id and there.village_id == self.village_id:
                self.maps["account"][account["id"]] = there.id
                self.report.accounts_kept.append(account["username"])
            else:
                raise ValidationError(f"登录名“{account['username']}”在服务器上已被其他人使用，"
                                      "请先在本村把这个账号改名或停用后再迁入。")
        self.rows["account"] = keep

    def _choose_lists(self) -> None:
        """The township's lists travel with the last of its villages, for periods not published
        here; the units of the villages that came before are found where they went."""
        others = [v for v in self.source.town_villages if v.id != self.source.village.id]
        before = self._moved_before(others)
        keep, left = [], set()
        if len(before["admin_village"]) < len(others):
            left = {row["id"] for row in self.rows["ranking_list"]}
            if left:
                self.report.lists_left.append("本镇其他村还没有全部迁入服务器，红黑榜等最后一个村迁入时一起迁")
        else:
            town = self.maps["township"][self.source.village.town_id]
            published = set(self.t.execute(text(
                "SELECT kind, period FROM ranking_list WHERE township_id = :t"), {"t": town}).all())
            for row in self.rows["ranking_list"]:
                kind = row["kind"].value if hasattr(row["kind"], "value") else row["kind"]
                if (kind, row["period"]) in published:
                    left.add(row["id"])
                    self.report.lists_left.append(
                        f"{row['period']} 第{row['version']}版（服务器上已有该期的榜）")
                else:
                    keep.append(row)
            self.before = before
            self.rows["audit_log"] += self.source.township_audit
            self._township_numbers()
        self.rows["ranking_list"] = keep
        entries = [e for e in self.rows["ranking_entry"] if e["list_id"] not in left]
        entry_ids = {e["id"] for e in entries}
        self.rows["ranking_entry"] = entries
        for table in ("ranking_points_intent", "ranking_pay_deduction"):
            self.rows[table] = [r for r in self.rows[table] if r["entry_id"] in entry_ids]
        self._choose_honour_lists(last=not (len(before["admin_village"]) < len(others)))

    def _choose_honour_lists(self, *, last: bool) -> None:
        """The published honours travel as the red/black lists do: with the last village, for
        years the server has not published."""
        lists = self.rows["honour_list"]
        if not last:
            left = {row["id"] for row in lists}
        else:
            town = self.maps["township"][self.source.village.town_id]
            published = set(self.t.execute(text(
                "SELECT year FROM honour_list WHERE township_id = :t"), {"t": town}).scalars())
            left = {row["id"] for row in lists if row["year"] in published}
            self.report.lists_left += [
                f"{row['year']}年度评先树优第{row['version']}版（服务器上已有该年度的）"
                for row in lists if row["id"] in left]
        self.rows["honour_list"] = [row for row in lists if row["id"] not in left]
        self.rows["honour_entry"] = [e for e in self.rows["honour_entry"] if e["list_id"] not in left]

    def _township_numbers(self) -> None:
        """The township's document numbers (its notices'), but for one the server gave out."""
        taken = set(self.t.execute(text("SELECT code, year, sequence FROM issued_number")).all())
        for row in self.source.township_numbers:
            if (row["code"], row["year"], row["sequence"]) in taken:
                self.report.lists_left.append(f"文号 {row['code']}〔{row['year']}〕{row['sequence']}号"
                                              "（服务器上已用过）")
            else:
                self.rows["issued_number"].append(row)

    def _moved_before(self, villages: Iterable[Any]) -> dict[str, dict[int, int]]:
        """Where the rows of the source township's other villages went, when they moved."""
        found: dict[str, dict[int, int]] = defaultdict(dict)
        labels = [f"{self.source.village.town}/{v.name}" for v in villages]
        if labels:
            for row in self.t.execute(text(
                    "SELECT table_name, source_id, target_id FROM moved_row WHERE source IN :s")
                    .bindparams(_expanding("s")), {"s": labels}):
                found[row.table_name][row.source_id] = row.target_id
        return found

    # ---- new ids, then every reference rewritten -------------------------------------------
    def _allocate(self) -> None:
        for table, rows in self.rows.items():
            if rows and "id" in metadata.tables[table].c and table != "township":
                fresh = _new_ids(self.t, table, len(rows))
                self.maps[table].update(zip((r["id"] for r in rows), fresh, strict=True))
        if not self.village_id:
            self.village_id = self.maps["admin_village"][self.source.village.id]

    def _map(self, table: str, value: int | None, *, loose: bool = False) -> int | None:
        if value is None:
            return None
        mapped = self.maps[table].get(value, self.before[table].get(value))
        if mapped is None and not loose:
            raise ValidationError(f"迁入时找不到{_LABELS.get(table, table)}（原编号 {value}）的去处，"
                                  "本村数据库可能不完整。没有迁入任何数据。")
        return mapped

    def _rewrite(self) -> None:
        for table, rows in self.rows.items():
            columns = metadata.tables[table].c
            foreign = {c.name: next(iter(c.foreign_keys)).column.table.name
                       for c in columns if c.foreign_keys}
            aware = [c.name for c in columns
                     if isinstance(c.type, DateTime) and c.type.timezone]
            for row in rows:
                for column, target in foreign.items():
                    row[column] = self._map(target, row[column])
                for (loose_table, column), target in LOOSE_IDS.items():
                    if loose_table == table:
                        row[column] = self._map(target, row[column], loose=True)
                if "id" in row and table in self.maps:
                    row["id"] = self.maps[table][row["id"]]
                for column in aware:  # SQLite hands back naive UTC: say so before PostgreSQL reads it
                    if isinstance(row[column], datetime) and row[column].tzinfo is None:
                        row[column] = row[column].replace(tzinfo=UTC)
        for row in self.rows["audit_log"]:
            ids = self.maps.get(row["entity"])
            if ids and row["entity_id"] in ids:
                row["entity_id"] = ids[row["entity_id"]]
        self._rewrite_list_entries()
        self._rechain_ledgers()
        self._rechain_problems()
        self._rechain_stock()
        self._reseal_lists()

    def _rewrite_list_entries(self) -> None:
        kinds = {row["id"]: row["kind"] for row in self.rows["ranking_list"]}
        for entry in self.rows["ranking_entry"]:
            unit_table, group_table = _UNIT_TABLES[Period(kinds[entry["list_id"]])]
            entry["unit_id"] = self._map(unit_table, entry["unit_id"])
            entry["group_id"] = (self._map(group_table, entry["group_id"])
                                 if entry["group_id"] else entry["group_id"])
            entry["admin_village_id"] = self._map("admin_village", entry["admin_village_id"])

    def _rechain_ledgers(self) -> None:
        books = {b["id"]: b for b in self.rows["passbook"]}
        chains: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for entry in self.rows["ledger_entry"]:
            chains[entry["passbook_id"]].append(entry)
        for book_id, chain in chains.items():
            previous = GENESIS
            for entry in sorted(chain, key=lambda e: e["seq"]):
                entry["idempotency_key"] = self._key(entry["idempotency_key"])
                entry["prev_hash"] = previous
                entry["hash"] = previous = entry_hash(previous, {f: entry[f] for f in HASHED_FIELDS})
            book = books[book_id]
            self.source_heads[book_id] = book["last_hash"]
            book["last_hash"] = previous

    def _rechain_problems(self) -> None:
        """A problem's history: the ids its details name rewritten, its chain re-derived."""
        from models.problems.tables import HASHED_FIELDS as EVENT_FIELDS
        from models.problems.workflow import canonical
        from models.points.tables import chain_hash

        problems = {p["id"]: p for p in self.rows["problem"]}
        histories: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for event in self.rows["problem_event"]:
            histories[event["problem_id"]].append(event)
        for problem_id, events in histories.items():
            previous = GENESIS
            for event in sorted(events, key=lambda e: e["seq"]):
                details = json.loads(event["details"])
                for key, table in _DETAIL_IDS.items():
                    if isinstance(details.get(key), int):
                        details[key] = self._map(table, details[key])
                event["details"] = canonical(details)
                event["prev_hash"] = previous
                event["hash"] = previous = chain_hash(previous, event, EVENT_FIELDS)
            problems[problem_id]["last_hash"] = previous

    def _rechain_stock(self) -> None:
        """Each goods item's movements (their goods and redemption ids rewritten), re-linked."""
        goods = {g["id"]: g for g in self.rows["goods"]}
        chains: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for movement in self.rows["stock_movement"]:
            chains[movement["goods_id"]].append(movement)
        for goods_id, movements in chains.items():
            seq, previous = 0, GENESIS
            for movement in sorted(movements, key=lambda m: m["chain_seq"]):
                seq += 1
                previous = MOVEMENT_CHAIN.link(movement, seq, previous)["hash"]
            goods[goods_id]["movement_seq"], goods[goods_id]["movement_hash"] = seq, previous

    def _join_audit_chains(self) -> None:
        """The moved audit rows, in their order, appended to the server's chain of their village
        (or of the township), whose heads are locked to the end of the move."""
        chains: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in sorted(self.rows["audit_log"], key=lambda r: (r["chain_key"], r["chain_seq"])):
            row["chain_key"] = row["village_id"] or 0
            chains[row["chain_key"]].append(row)
        for key, rows in sorted(chains.items()):
            seq, previous = locked_head(self.t, AUDIT_CHAIN.ledger, key)
            for row in rows:
                seq += 1
                previous = AUDIT_CHAIN.link(row, seq, previous)["hash"]
            self.t.execute(update(ChainHead).where(ChainHead.ledger == AUDIT_CHAIN.ledger,
                                                   ChainHead.chain_key == key)
                           .values(seq=seq, hash=previous))

    def _key(self, key: str | None) -> str | None:
        for pattern, tables in ID_KEYS:
            found = pattern.match(key or "")
            if found is None:
                continue
            numbers = [g for g in found.groups() if g is not None and g.isdigit()]
            mapped = [self._map(t, int(n), loose=True) if t else int(n)
                      for t, n in zip(tables, numbers, strict=False)]
            if any(m is None for m in mapped):  # ids with no place here: kept, never clashing
                return f"迁入{self.village_id}:{key}"[:100]
            parts, rewritten = key.split(":"), iter(mapped)
            return ":".join(str(next(rewritten)) if i and part.isdigit() else part
                            for i, part in enumerate(parts))
        return key

    def _reseal_lists(self) -> None:
        entries: dict[int, list[SimpleNamespace]] = defaultdict(list)
        for entry in self.rows["ranking_entry"]:
            entries[entry["list_id"]].append(SimpleNamespace(**entry))
        for row in self.rows["ranking_list"]:
            row["snapshot_hash"] = snapshot_hash(SimpleNamespace(**row), entries[row["id"]])
        honoured: dict[int, list[SimpleNamespace]] = defaultdict(list)
        for entry in self.rows["honour_entry"]:
            honoured[entry["list_id"]].append(SimpleNamespace(**entry))
        for row in self.rows["honour_list"]:
            row["snapshot_hash"] = record_hash(SimpleNamespace(**row), HONOUR_LIST_FIELDS,
                                               honoured[row["id"]], HONOUR_ENTRY_FIELDS)

    # ---- writing ---------------------------------------------------------------------------
    def _insert(self) -> None:
        label = self.source.label
        moved = []
        self._join_audit_chains()
        for table in metadata.sorted_tables:
            rows = self.rows.get(table.name)
            if not rows:
                continue
            _insert_rows(self.t, table, rows)
            self.report.counts[table.name] = len(rows)
        for table, ids in self.maps.items():
            if table not in ("township", "points_rule"):
                moved += [dict(source=label, table_name=table, source_id=old, target_id=new,
                               moved_at=utcnow()) for old, new in ids.items()]
        _insert_rows(self.t, metadata.tables["moved_row"], moved)


def _expanding(name: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import bindparam

    return bindparam(name, expanding=True)


def _new_ids(connection: Connection, table: str, count: int) -> list[int]:
    """`count` ids the table's own numbering will never hand out again."""
    if connection.dialect.name == "postgresql":
        return sorted(connection.execute(text(
            "SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table, "n": count}).scalars())
    highest = connection.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar()
    return list(range(highest + 1, highest + 1 + count))


def _insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), _CHUNK):
        connection.execute(insert(table), rows[start:start + _CHUNK])
