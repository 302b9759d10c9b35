"""Photos of a problem, through the core importer and the core file store: before-photos at 登记,
after-photos at 整改, shown side by side on the card; a bomb, a truncated file, a non-image
named .jpg and an iPhone HEIC are refused by name, and nothing at all is stored."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from PIL import Image
from sqlalchemy import func, select

from models.core.access import SYSTEM
from models.core.files import StoredFile
from models.core.images import ImageRefused
from models.problems.service import ProblemsService, prepare_photos
from models.problems.tables import Problem, ProblemEvent, ProblemPhoto
from tests.core.photos import heic_header, jpeg, png_header_only, textured, truncated
from tests.problems.helpers import CHECKER, FIXER, make_town, register
from tests.problems.photos import write_photo


def counts(db) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return tuple(s.scalar(select(func.count()).select_from(t))  # type: ignore[return-value]
                     for t in (Problem, ProblemEvent, ProblemPhoto, StoredFile))


def test_before_and_after_photos_are_stored_and_shown_side_by_side(db, tmp_path):
    town = make_town(db)
    before = [write_photo(tmp_path / f"微信图片_2026110{i}093000.jpg", i, size=(3000, 2000))
              for i in (1, 2)]
    problem_id = register(db, town, photos=before)
    after = write_photo(tmp_path / "after.jpg", 9, taken="2026:11:04 10:00:00")
    ProblemsService(db, FIXER).rectify(problem_id, "已清理", [after], on=date(2026, 11, 4))
    card = ProblemsService(db, CHECKER).card(problem_id)
    assert len(card.before) == 2 and len(card.after) == 1
    assert card.timeline[0].photos == card.before and card.timeline[2].photos == card.after
    shown = Image.open(io.BytesIO(ProblemsService(db, SYSTEM).photo(card.before[0])))
    assert shown.format == "JPEG" and max(shown.size) == 1600  # downscaled on import
    assert not shown.getexif()  # no GPS leaves the phone


def test_the_time_a_photo_was_taken_proposes_when_found(tmp_path):
    by_exif = write_photo(tmp_path / "a.jpg", 1, taken="2026:10:03 08:15:00")
    by_name = write_photo(tmp_path / "mmexport1760000000000.jpg", 2)
    taken = [p.taken_at for p in prepare_photos([by_exif, by_name])]
    assert taken == [datetime(2026, 10, 3, 8, 15), datetime(2025, 10, 9, 16, 53, 20)]


BAD = {
    "bomb.png": (png_header_only(30000, 30000), "像素过多"),
    "truncated.jpg": (truncated(jpeg(textured((1200, 900), 3))), "不完整"),
    "notes.jpg": ("这不是照片，是一段文字。".encode(), "不是图片"),
    "IMG_0001.jpg": (heic_header(), "HEIC"),
}


@pytest.mark.parametrize("name", BAD)
def test_a_bad_file_is_refused_by_name_and_nothing_is_stored(db, tmp_path, name):
    town = make_town(db)
    good = write_photo(tmp_path / "good.jpg", 1)
    content, reason = BAD[name]
    (tmp_path / name).write_bytes(content)
    before = counts(db)
    with pytest.raises(ImageRefused, match=reason) as refusal:
        register(db, town, photos=[good, tmp_path / name])
    assert name in str(refusal.value) and "没有保存任何内容" in str(refusal.value)
    assert counts(db) == before
    problem_id = register(db, town)
    with pytest.raises(ImageRefused, match=reason):
        ProblemsService(db, FIXER).rectify(problem_id, "已清理", [tmp_path / name])
    assert counts(db) == (before[0] + 1, before[1] + 2, before[2], before[3])
