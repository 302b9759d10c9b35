"""迁入服务器: the demo town's villages move up one by one from their SQLite file to a server;
when the last one (韩家村) arrives, the server holds what the file holds — every count, every
passbook's score and every ledger entry, the chains re-derived over the server's ids — and
`check` is clean on both sides. A refused move writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from models.accounts.tables import Account
from models.areas import metadata
from models.check import run_checks
from models.core.access import SYSTEM, Role
from models.core.audit import AuditLog
from models.core.db import Database
from models.core.errors import ValidationError
from models.org.service import OrganisationService
from models.org.tables import AdminVillage, Township
from models.points.tables import LedgerEntry, Passbook
from models.server.moving import TOWNSHIP_PARTS, VILLAGE_PARTS, MoveService, unclassified
from models.server.tables import MovedRow

MOVED = [p.table for p in (*VILLAGE_PARTS, *TOWNSHIP_PARTS)] + ["admin_village"]
CONTENT = ("seq", "kind", "rule_code", "rule_text", "rule_points", "requested", "score_delta",
           "spend_delta", "score_after", "spent_after", "occurred_on", "operator_name", "note",
           "reference", "evidence_sha256")


def test_every_table_has_a_rule_for_moving_up():
    assert unclassified() == set()


def counts(db: Database) -> dict[str, int]:
    """Rows per moved table; of the accounts the villages' (the township's own stay), of the audit
    trail what happened in the villages and the township (not the moves themselves)."""
    with db.read() as s:
        found = {t: s.scalar(select(func.count()).select_from(metadata.tables[t])) for t in MOVED}
        found["account"] = s.scalar(select(func.count(Account.id)).where(
            Account.village_id.is_not(None)))
        found["audit_log"] = s.scalar(select(func.count(AuditLog.id)).where(
            AuditLog.action.not_in(["迁入服务器", "新建镇街"])))
    return found


@pytest.fixture
def file_and_server(templates, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The demo town on a SQLite file, and an empty server with its township."""
    if templates.server is None:
        pytest.skip("未安装 PostgreSQL 服务器程序，跳过 PostgreSQL 上的测试（CI 中不会跳过）。")
    village_file = templates.fresh("sqlite", "demo", tmp_path)
    server = templates.fresh("postgresql", "empty", tmp_path)
    with village_file.read() as s:
        town = s.scalar(select(Township.name))
        villages = list(s.scalars(select(AdminVillage.name).order_by(AdminVillage.sort_order)))
    OrganisationService(server, SYSTEM).create_township(town)
    yield village_file, server, villages
    village_file.dispose()
    server.dispose()
    templates.server.admin(f"DROP DATABASE IF EXISTS {server.url.database} WITH (FORCE)")


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)


def _ledger(db: Database, where) -> dict[int, tuple]:  # type: ignore[no-untyped-def]
    """Every entry's content (all but ids and hashes), by `where(entry)`."""
    with db.read() as s:
        return {where(e): (*(getattr(e, f) for f in CONTENT), _utc(e.recorded_at))
                for e in s.scalars(select(LedgerEntry))}


def test_the_demo_town_moves_up_village_by_village_and_the_server_holds_it_all(file_and_server):
    village_file, server, villages = file_and_server
    mover = MoveService(server, SYSTEM)
    hanjia, *others = villages
    for name in others:
        report = mover.move_up(village_file, name)
        assert report.lists_left  # the township's lists wait for the last village
    assert run_checks(server) == []
    before = counts(village_file)
    report = mover.move_up(village_file, hanjia)
    print(report.describe())
    assert not report.lists_left
    assert counts(server) == before
    assert before["ledger_entry"] > 1000 and before["ranking_list"] > 10
    assert run_checks(server) == [] and run_checks(village_file) == []

    # Every entry, passbook by passbook, is the same entry: found through where it went.
    with server.read() as s:
        went = {(m.table_name, m.source_id): m.target_id for m in s.scalars(select(MovedRow))}
    old = _ledger(village_file, lambda e: went[("ledger_entry", e.id)])
    new = _ledger(server, lambda e: e.id)
    assert old == new
    with village_file.read() as a, server.read() as b:
        for book in a.scalars(select(Passbook)):
            there = b.get(Passbook, went[("passbook", book.id)])
            assert (there.year, there.score, there.spent, there.last_seq) == \
                (book.year, book.score, book.spent, book.last_seq)

    with pytest.raises(ValidationError, match="已经迁入过"):
        mover.move_up(village_file, hanjia)


def test_a_refused_move_writes_nothing(file_and_server):
    village_file, server, villages = file_and_server
    with server.write() as s:
        town = s.scalar(select(Township.id))
        other = AdminVillage(township_id=town, name="别的村", sort_order=9)
        s.add(other)
        s.flush()
        s.add(Account(username="hanjia-wenshu", display_name="别村文书", role=Role.CLERK.value,
                      village_id=other.id, password_hash="x", active=True, failed_logins=0))
    before = counts(server)
    with pytest.raises(ValidationError, match="登录名“hanjia-wenshu”在服务器上已被其他人使用"):
        MoveService(server, SYSTEM).move_up(village_file, villages[0])
    assert counts(server) == before
    with server.read() as s:
        assert s.scalar(select(func.count()).select_from(MovedRow)) == 0
        assert s.execute(text("SELECT count(*) FROM ledger_entry")).scalar() == 0
