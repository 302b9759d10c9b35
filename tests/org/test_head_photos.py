"""Heads' photos: attached from a file or a folder, cropped to 25 × 35, kept in the database,
printed on the work ID; hostile files refused with nothing saved."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select, text

from models.core.access import SYSTEM, Actor, Role
from models.core.errors import DomainError
from models.core.files import StoredFile
from models.core.images import ImageRefused
from models.org.photos import HeadPhotoService, prepare_photo
from models.org.tables import HeadPhoto
from models.printing.scope import ALL, ScopeKind
from models.printing.service import PrintService
from models.store.counter import CounterService
from reports.org.work_id import render_work_ids
from reports.printing import print_document
from tests.core.photos import jpeg, png_header_only, textured
from tests.store.queue_setup import make_queue

RED = (200, 16, 46)


def portrait_jpeg(size: tuple[int, int] = (6000, 4000)) -> bytes:
    """A camera-sized photo: texture, with a red "face" in the middle the crop must keep."""
    image = textured(size, seed=7)
    width, height = size
    image.paste(RED, (width // 2 - height // 6, height // 4, width // 2 + height // 6,
                      height * 3 // 4))
    return jpeg(image, quality=85)


def _photo_rows(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalar(select(func.count(HeadPhoto.id)))


def test_a_camera_photo_is_cropped_to_one_inch_and_shown_on_the_counter(db, tmp_path):
    queue = make_queue(db)
    source = tmp_path / "吴珍山.jpg"
    source.write_bytes(portrait_jpeg())
    service = HeadPhotoService(db, SYSTEM)
    service.attach(queue.wu_head, prepare_photo(source))
    stored = service.photo(queue.wu_head)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and abs(image.width / image.height - 25 / 35) < 0.01
        assert max(image.size) <= 1600
        centre = image.getpixel((image.width // 2, image.height // 2))
        assert centre[0] > 150 and centre[1] < 80  # the red face, not the background
    assert CounterService(db, SYSTEM).head_card(queue.wu_head).photo == stored
    assert CounterService(db, SYSTEM).head_card(queue.wang_head).photo is None


def test_the_photo_is_on_the_printed_work_id_duty_card_and_passbook(db, tmp_path):
    queue = make_queue(db)
    service = HeadPhotoService(db, SYSTEM)
    service.attach(queue.wu_head, prepare_photo(portrait_jpeg(), "吴珍山.jpg"))
    printing = PrintService(db, SYSTEM)
    cards = {c.name: c for c in printing.work_ids(ALL, 2026)}
    assert cards["吴珍山"].photo == service.photo(queue.wu_head) and cards["汪志云"].photo is None
    assert {c.name: c.photo for c in printing.duty_cards(ALL)}["吴珍山"] == cards["吴珍山"].photo
    passbook = printing.passbook(printing.unit_scope(ScopeKind.HEAD, queue.wu_head), 2026)
    assert passbook.photo == cards["吴珍山"].photo
    pdf = tmp_path / "工作证.pdf"
    print_document(printing, "work-ids", printing.scope("all"), pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(tmp_path / "page")], check=True)
    red = _red_pixels(tmp_path / "page.png")
    # The card headers are red too (three cards); the photo adds a solid block on one of them.
    assert red > _red_pixels_without_photo(db, tmp_path) + 1500


def _red_pixels_without_photo(db, tmp_path: Path) -> int:  # type: ignore[no-untyped-def]
    cards = [replace(c, photo=None) for c in PrintService(db, SYSTEM).work_ids(ALL, 2026)]
    pdf = tmp_path / "无照片.pdf"
    render_work_ids(cards, pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", str(pdf),
                    str(tmp_path / "plain")], check=True)
    return _red_pixels(tmp_path / "plain.png")


def _red_pixels(png: Path) -> int:
    with Image.open(png) as page:
        data = page.convert("RGB").tobytes()
    return sum(1 for i in range(0, len(data), 3)
               if 160 < data[i] < 240 and data[i + 1] < 70 and data[i + 2] < 90)


def test_a_decompression_bomb_and_a_text_file_are_refused(db, tmp_path):
    bomb = tmp_path / "炸弹.png"
    bomb.write_bytes(png_header_only(40_000, 40_000))
    with pytest.raises(ImageRefused, match=re.escape("炸弹.png")):
        prepare_photo(bomb)
    note = tmp_path / "说明.jpg"
    note.write_text("不是照片", encoding="utf-8")
    with pytest.raises(ImageRefused, match=re.escape("说明.jpg")):
        prepare_photo(note)


def test_a_folder_by_name_and_number_is_all_or_nothing(db, tmp_path):
    queue = make_queue(db)
    village = queue.village.village_id
    folder = tmp_path / "照片"
    folder.mkdir()
    (folder / "吴珍山.jpg").write_bytes(jpeg(textured((800, 1000), 1)))
    (folder / "wz000386.JPG").write_bytes(jpeg(textured((1000, 800), 2)))  # 汪志云's number
    (folder / "李四.jpg").write_bytes(jpeg(textured((300, 400), 3)))
    service = HeadPhotoService(db, SYSTEM)
    with pytest.raises(DomainError, match=re.escape("李四.jpg")) as refused:
        service.attach_folder(village, folder)
    assert "没有导入任何照片" in str(refused.value) and _photo_rows(db) == 0
    (folder / "李四.jpg").unlink()
    (folder / "炸弹.png").write_bytes(png_header_only(40_000, 40_000))
    with pytest.raises(ImageRefused, match=re.escape("炸弹.png")):
        service.attach_folder(village, folder)
    assert _photo_rows(db) == 0
    (folder / "炸弹.png").unlink()
    assert service.attach_folder(village, folder) == 2
    assert service.photo(queue.wu_head) and service.photo(queue.wang_head)
    assert service.photo(queue.village.head_id) is None


def test_a_name_two_heads_share_must_be_the_number(db, tmp_path):
    from models.org.service import HouseholdInput, OrganisationService
    from models.org.tables import HeadRole, Resident, Zone

    queue = make_queue(db)
    org = OrganisationService(db, SYSTEM)
    with db.read() as s:
        zone = s.scalar(select(Zone.id))
    alley = org.create_alley(zone, "四胡同")
    org.add_household(alley, HouseholdInput("吴珍山", "四胡同1号", ""))
    with db.read() as s:
        second = s.scalar(select(Resident.id).where(Resident.name == "吴珍山")
                          .order_by(Resident.id.desc()))
    org.appoint_head(HeadRole.ALLEY, alley, second, chosen_on=date(2024, 1, 1))
    folder = tmp_path / "照片"
    folder.mkdir()
    (folder / "吴珍山.jpg").write_bytes(jpeg(textured((300, 400), 1)))
    with pytest.raises(DomainError, match="2 位负责人叫吴珍山，请把文件名改成他的工作证编号"):
        HeadPhotoService(db, SYSTEM).attach_folder(queue.village.village_id, folder)


def test_only_the_villages_editors_attach_and_photos_stay_as_stored(db, tmp_path):
    queue = make_queue(db)
    photo = prepare_photo(jpeg(textured((300, 400), 1)), "a.jpg")
    stranger = Actor("外村书记", Role.SECRETARY, village_id=queue.village.village_id + 100)
    with pytest.raises(DomainError):
        HeadPhotoService(db, stranger).attach(queue.wu_head, photo)
    assert _photo_rows(db) == 0
    HeadPhotoService(db, SYSTEM).attach(queue.wu_head, photo)
    for statement in ("UPDATE head_photo SET attached_by = 'x'", "DELETE FROM head_photo"):
        with pytest.raises(Exception, match="只能追加"), db.write() as s:
            s.execute(text(statement))
    with db.read() as s:
        assert s.scalar(select(func.count(StoredFile.id))) == 1
