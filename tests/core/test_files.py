"""Files in the database, on SQLite and PostgreSQL: byte-identical round trips, one row per
content and village, append-only in the database itself, altered content found by `check`, and a
folder with a bad file stores nothing."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from models.backup import files as backup
from models.check import run_checks
from models.core.append_only import drop_triggers
from models.core.db import Database
from models.core.errors import DomainError, NotFound
from models.core.files import FileContent, StoredFile, load, store
from models.core.images import ImageRefused, prepare_folder, prepare_image, store_batch
from models.org.tables import AdminVillage, Township
from tests.core.photos import heic_header, jpeg, phone_exif, png_header_only, textured, truncated


@pytest.fixture
def villages(db) -> tuple[int, int]:
    with db.write() as s:
        town = Township(name="文件镇")
        s.add(town)
        s.flush()
        first, second = (AdminVillage(township_id=town.id, name=name) for name in ("东村", "西村"))
        s.add_all([first, second])
        s.flush()
        return first.id, second.id


def count(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(StoredFile))


def photo(seed: int = 0, name: str = "IMG_20260315_093012.jpg") -> FileContent:
    return prepare_image(jpeg(textured((1200, 900), seed), phone_exif(6, "2026:03:14 08:00:00")), name)


def test_a_stored_photo_comes_back_byte_identical_with_its_metadata(db, villages):
    prepared = photo()
    with db.write() as s:
        file_id = store(s, prepared, villages[0], "dongcun-clerk").id
    with db.read() as s:
        stored = load(s, file_id)
    assert stored.content == prepared.content and stored.sha256 == prepared.sha256
    assert (stored.original_name, stored.media_type, stored.byte_size) == (
        "IMG_20260315_093012.jpg", "image/jpeg", len(prepared.content))
    assert (stored.width, stored.height) == (900, 1200)  # turned upright, not enlarged
    assert stored.taken_at == prepared.taken_at and stored.taken_at.hour == 8
    assert stored.created_by == "dongcun-clerk" and stored.admin_village_id == villages[0]
    assert stored.created_at is not None


def test_a_file_that_is_not_an_image_is_stored_too(db):
    evidence = FileContent(name="通报.pdf", content=b"%PDF-1.4 \x00\xff binary", media_type="application/pdf")
    with db.write() as s:
        file_id = store(s, evidence, None, "zhen-admin").id
    with db.read() as s:
        stored = load(s, file_id)
    assert stored.content == evidence.content and stored.width is None and stored.admin_village_id is None


def test_the_same_bytes_give_the_same_row_per_village(db, villages):
    first, second = photo(1, "a.jpg"), photo(1, "b.jpg")
    with db.write() as s:
        ids = [store(s, first, villages[0], "x").id, store(s, second, villages[0], "y").id,
               store(s, first, villages[1], "x").id, store(s, first, None, "x").id,
               store(s, first, None, "x").id, store(s, photo(2), villages[0], "x").id]
    assert ids[0] == ids[1] and ids[3] == ids[4]
    assert len({ids[0], ids[2], ids[3], ids[5]}) == 4 and count(db) == 4
    with db.read() as s:
        assert load(s, ids[1]).original_name == "a.jpg"  # the first name stays


def test_pcs_storing_the_same_photo_at_once_get_one_row(db, villages):
    prepared, ids, errors = photo(3), [], []

    def one() -> None:
        try:
            with db.write() as s:
                ids.append(store(s, prepared, villages[0], "pc").id)
        except Exception as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=one) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(set(ids)) == 1 and len(ids) == 6 and count(db) == 1


def test_loading_a_missing_file_is_a_plain_refusal(db):
    with db.read() as s, pytest.raises(NotFound, match="文件（编号 999）不存在"):
        load(s, 999)


@pytest.mark.parametrize("statement", [
    "UPDATE stored_file SET original_name = '改名.jpg'",
    "UPDATE stored_file SET content = :junk",
    "DELETE FROM stored_file",
])
def test_the_database_refuses_to_change_or_remove_a_stored_file(db, villages, statement):
    with db.write() as s:
        store(s, photo(), villages[0], "x")
    with pytest.raises(DBAPIError, match="已存入的文件和照片只能追加，不能修改或删除"), db.write() as s:
        s.execute(text(statement), {"junk": b"junk"} if ":junk" in statement else {})
    assert count(db) == 1


def test_check_reports_content_altered_with_the_triggers_dropped(db, villages):
    with db.write() as s:
        good = store(s, photo(4, "门前.jpg"), villages[0], "x").id
        bad = store(s, photo(5, "村口垃圾.jpg"), villages[0], "x").id
    assert run_checks(db) == []
    dialect = "sqlite" if db.is_sqlite else "postgresql"
    with db.write() as s:
        for statement in drop_triggers("stored_file", dialect):
            s.execute(text(statement))
        s.execute(text("UPDATE stored_file SET content = :other WHERE id = :id"),
                  {"other": photo(6).content, "id": bad})
    assert run_checks(db) == [
        f"文件 {bad}“村口垃圾.jpg”的内容与存入时登记的校验值不符，已被程序以外的方式改动。"]
    with db.read() as s:
        assert load(s, good).original_name == "门前.jpg"
        with pytest.raises(DomainError, match=f"文件 {bad}“村口垃圾.jpg”的内容与存入时不符"):
            load(s, bad)


def test_a_folder_with_any_bad_file_stores_nothing(db, villages, tmp_path):
    for i in range(3):
        (tmp_path / f"IMG_2026031{i}_080000.jpg").write_bytes(jpeg(textured((800, 600), i)))
    bad = {"炸弹.png": png_header_only(100_000, 100_000), "半张.jpg": truncated(jpeg(textured((800, 600)))),
           "记录.jpg": "会议记录".encode() * 100, "苹果.heic": heic_header()}
    for name, content in bad.items():
        (tmp_path / name).write_bytes(content)
    batch = prepare_folder(tmp_path)
    assert len(batch.prepared) == 3 and sorted(r.name for r in batch.refused) == sorted(bad)
    with pytest.raises(ImageRefused) as refused, db.write() as s:
        store_batch(s, batch, villages[0], "x")
    message = str(refused.value)
    assert message.startswith("有 4 个文件不能导入，本次没有导入任何照片")
    for says in ("“炸弹.png”像素过多", "“半张.jpg”文件不完整", "“记录.jpg”不是图片文件",
                 "“苹果.heic”是 HEIC 格式"):
        assert says in message
    assert count(db) == 0
    for name in bad:
        (tmp_path / name).unlink()
    with db.write() as s:
        stored = store_batch(s, prepare_folder(tmp_path), villages[0], "x")
    assert len(stored) == 3 == count(db)
    assert [f.taken_at.day for f in stored] == [10, 11, 12]


def test_a_backup_carries_the_stored_files(db, villages, tmp_path):
    prepared = photo(7, "村部.jpg")
    with db.write() as s:
        file_id = store(s, prepared, villages[0], "x").id
    if db.is_sqlite:
        copy = Database(backup.make_backup(db.path, "测试", tmp_path / "备份"))
    else:  # the server is backed up by pg_dump; the program's own copy is a SQLite export
        copy = Database(backup.export_to_sqlite(db, tmp_path / "导出.db"))
    try:
        with copy.read() as s:
            assert load(s, file_id).content == prepared.content
        assert run_checks(copy) == []
    finally:
        copy.dispose()
