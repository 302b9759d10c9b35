"""Evidence lives in the database: posted on one PC, opened on another (the township), never
changed; the files of the old layout (a PC's 证据 folder) come in by their recorded hash."""

from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy.orm import load_only
from sqlalchemy import func, select

from models.check import run_checks
from models.core.access import SYSTEM, Actor, Role
from models.core.errors import NotFound
from models.core.files import StoredFile
from models.core.schema import migrate
from models.org.tables import Head
from models.points import ledger
from models.points.ledger import Evidence
from models.points.service import PointsService, RuleInput
from models.points.tables import LedgerEntry, PointsRule
from tests.store.counter_setup import make_village

ON = date(2026, 11, 20)


def _photo(path: Path) -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 2000), (120, 160, 90)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_evidence_posted_on_one_pc_is_opened_on_another(db, tmp_path: Path):
    v = make_village(db)
    points = PointsService(db, SYSTEM)
    rule = points.save_rule(None, RuleInput("Z-1", "乱堆乱放", -2, evidence_required=True))
    photo = _photo(tmp_path / "IMG_20261120_083000.jpg")
    entry = points.post(v.head_id, rule, ON, "门前堆放柴草", evidence_file=photo)
    photo.unlink()                                   # gone from the PC that posted it
    township = PointsService(db, Actor("镇管理员", Role.TOWNSHIP_ADMIN))
    shown = township.evidence_of(entry)
    assert shown.name == "IMG_20261120_083000.jpg" and shown.media_type == "image/jpeg"
    with Image.open(io.BytesIO(shown.content)) as image:
        assert max(image.size) == 1600               # stored as the photo importer makes it
    with db.read() as s:
        recorded = s.get(LedgerEntry, entry).evidence_sha256
    assert recorded == hashlib.sha256(shown.content).hexdigest()
    elsewhere = PointsService(db, Actor("外村书记", Role.SECRETARY, village_id=v.village_id + 1))
    with pytest.raises(Exception, match="只能查看本村"):
        elsewhere.evidence_of(entry)
    assert run_checks(db) == []


def _old_style_entry(db, head_id: int, folder: Path) -> tuple[int, bytes]:  # type: ignore[no-untyped-def]
    """An entry as the program before stored files posted it: the evidence copied into the PC's
    data folder as 证据/xx/<sha256>.pdf, the entry naming that path and hash, nothing stored."""
    letter = b"%PDF-1.4 commendation from the county"
    digest = hashlib.sha256(letter).hexdigest()
    recorded = f"证据/{digest[:2]}/{digest}.pdf"
    (folder / recorded).parent.mkdir(parents=True)
    (folder / recorded).write_bytes(letter)
    with db.write() as s:
        rule = PointsRule(code="Z-2", text="上级通报表扬", points=3, evidence_required=True)
        s.add(rule)
        s.flush()
        # the head's columns of that time only (later migrations add others)
        head = s.scalars(select(Head).where(Head.id == head_id).options(load_only(
            Head.id, Head.resident_id, Head.role, Head.zone_id, Head.alley_id,
            Head.admin_village_id, Head.started_on, Head.ended_on))).one()
        entry = ledger.post_rule(s, SYSTEM, head, rule, on=ON, note="表扬",
                                 evidence=Evidence(recorded, digest))
        return entry.id, letter


def test_the_old_folders_evidence_is_imported_by_its_recorded_hash(db, tmp_path: Path):
    v = make_village(db)
    entry, letter = _old_style_entry(db, v.head_id, tmp_path / "data")
    points = PointsService(db, SYSTEM)
    assert any("还没有存入数据库" in p for p in run_checks(db))
    with pytest.raises(NotFound, match="import-evidence"):
        points.evidence_of(entry)
    done = points.import_evidence(tmp_path / "another-pc")
    assert (done.imported, len(done.missing)) == (0, 1)
    done = points.import_evidence(tmp_path / "data")
    assert (done.imported, done.missing) == (1, ())
    assert points.evidence_of(entry).content == letter
    assert run_checks(db) == []


def test_opening_an_old_sqlite_file_imports_its_folders_evidence(tmp_path: Path):
    """Migration 0009 on a SQLite file: the data folder is the file's own."""
    from alembic import command

    from models.core.db import Database
    from models.core.schema import _config

    db = Database(tmp_path / "cunzhi.db")
    migrate(db)
    v = make_village(db)
    with db.write() as s:  # opened by today's program (its audit row needs today's schema)
        ledger.passbook_for(s, SYSTEM, s.get(Head, v.head_id), ON.year)
    command.downgrade(_config(db), "0012_server")
    entry, letter = _old_style_entry(db, v.head_id, tmp_path)
    migrate(db)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(StoredFile)) == 1
    assert PointsService(db, SYSTEM).evidence_of(entry).content == letter
    assert run_checks(db) == []
    db.dispose()
