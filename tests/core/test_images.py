"""Photos from files, on real images made with Pillow: upright, small, without EXIF; hostile and
broken files refused by name; the time taken from EXIF or the file name; the ID-photo crop."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import datetime

import pytest
from PIL import Image

from models.core.errors import ValidationError
from models.core.images import (
    MAX_PIXELS,
    ONE_INCH,
    ImageRefused,
    aspect_box,
    container_format,
    crop_to_aspect,
    image_files,
    prepare_folder,
    prepare_image,
    taken_from_name,
)
from tests.core.photos import (
    BLUE,
    RED,
    heic_header,
    jpeg,
    phone_exif,
    png_header_only,
    red_corner,
    textured,
    truncated,
)


def decoded(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def near(pixel: tuple[int, ...], colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=True))


@pytest.fixture(scope="module")
def phone_photo() -> bytes:
    """6000 × 4000 as stored by the sensor, shown turned a quarter clockwise (orientation 6)."""
    return jpeg(red_corner((6000, 4000)), phone_exif(6, "2026:03:15 09:30:12"))


def test_a_phone_photo_comes_out_upright_small_and_without_exif(phone_photo):
    assert Image.open(io.BytesIO(phone_photo)).getexif().get_ifd(0x8825)  # the input has GPS
    photo = prepare_image(phone_photo, "IMG_1.jpg")
    image = decoded(photo.content)
    assert image.format == "JPEG" and image.mode == "RGB"
    assert (photo.width, photo.height) == image.size == (1067, 1600)
    # Turned a quarter clockwise, the stored top-left corner is shown top right.
    assert near(image.getpixel((image.width - 20, 20)), RED)
    assert near(image.getpixel((20, 20)), BLUE)
    assert near(image.getpixel((20, image.height - 20)), BLUE)
    assert not image.getexif() and b"Exif" not in photo.content and "exif" not in image.info
    assert photo.sha256 == hashlib.sha256(photo.content).hexdigest()
    assert photo.media_type == "image/jpeg" and photo.name == "IMG_1.jpg"
    assert photo.taken_at == datetime(2026, 3, 15, 9, 30, 12)


def test_a_small_photo_is_not_enlarged_and_a_transparent_one_lies_on_white(tmp_path):
    path = tmp_path / "截图.png"
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (0, 0, 100, 100))
    image.save(path)
    photo = prepare_image(path)
    out = decoded(photo.content)
    assert out.size == (300, 200) and photo.name == "截图.png"
    assert near(out.getpixel((250, 150)), (255, 255, 255))
    assert near(out.getpixel((50, 50)), (200, 0, 0))


def test_the_long_side_follows_the_limit_given():
    photo = prepare_image(jpeg(textured((4000, 3000))), "a.jpg", max_side=800)
    assert (photo.width, photo.height) == (800, 600)


@pytest.mark.parametrize(("content", "name", "says"), [
    (png_header_only(100_000, 100_000), "炸弹.png", "像素过多（1000000万像素），可能是恶意文件，已拒绝"),
    (png_header_only(8000, 8000), "IMG_2.png", "像素过多（6400万像素），可能是恶意文件，已拒绝"),
    (b"\xff\xd8" + b"not really" * 100, "IMG_3.jpg", "不是图片文件"),
    ("这不是照片，是一份会议记录。".encode() * 50, "IMG_1.jpg", "不是图片文件"),
    (heic_header() + b"\0" * 2000, "IMG_4.HEIC",
     "是 HEIC 格式，程序不能读取；请在手机相册里选择“以 JPEG 格式导出”后再导入"),
    (heic_header() + b"\0" * 2000, "改了名字.jpg", "是 HEIC 格式"),
])
def test_hostile_and_foreign_files_are_refused_by_name(content, name, says):
    with pytest.raises(ImageRefused) as refused:
        prepare_image(content, name)
    assert f"照片“{name}”" in str(refused.value) and says in str(refused.value)


def test_a_truncated_photo_is_refused_whether_or_not_it_is_scaled_while_decoding():
    for size in ((4000, 3000), (800, 600)):  # decoded at 1/2 scale, and at full size
        with pytest.raises(ImageRefused, match=re.escape("照片“半张.jpg”文件不完整（可能没有传完）")):
            prepare_image(truncated(jpeg(textured(size))), "半张.jpg")


def test_the_pixel_cap_is_checked_on_the_header_before_decoding():
    side = int(MAX_PIXELS ** 0.5) + 1
    with pytest.raises(ImageRefused, match="像素过多"):
        prepare_image(png_header_only(side, side), "大.png")
    # Just under the cap the header passes, and the (absent) pixel data is what fails.
    with pytest.raises(ImageRefused, match="文件不完整"):
        prepare_image(png_header_only(side - 2, side - 2), "大.png")


def test_an_unreadable_or_oversized_file_is_refused_by_name(tmp_path, monkeypatch):
    with pytest.raises(ImageRefused, match=re.escape("照片“不在了.jpg”无法读取")):
        prepare_image(tmp_path / "不在了.jpg")
    monkeypatch.setattr("models.core.images.MAX_FILE_BYTES", 1000)
    with pytest.raises(ImageRefused, match="太大"):
        prepare_image(jpeg(textured((400, 300))), "大.jpg")


def test_container_format_tells_heic_from_avif_by_the_ftyp_box():
    assert container_format(heic_header()) == "HEIC"
    assert container_format(b"\0\0\0\x1cftypmif1\0\0\0\0mif1miafMA1B") == "HEIC"
    assert container_format(b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf") == "AVIF"
    assert container_format(jpeg(textured((8, 8)))[:64]) is None


def test_taken_at_comes_from_exif_before_the_file_name():
    content = jpeg(textured((64, 48)), phone_exif(1, "2025:07:01 18:00:05", gps=False))
    assert prepare_image(content, "IMG_20260315_093012.jpg").taken_at == datetime(2025, 7, 1, 18, 0, 5)
    plain = jpeg(textured((64, 48)))
    assert prepare_image(plain, "IMG_20260315_093012.jpg").taken_at == datetime(2026, 3, 15, 9, 30, 12)
    assert prepare_image(plain, "村口.jpg").taken_at is None


@pytest.mark.parametrize(("name", "taken"), [
    ("IMG_20260315_093012.jpg", datetime(2026, 3, 15, 9, 30, 12)),
    ("IMG20260315093012.jpg", datetime(2026, 3, 15, 9, 30, 12)),
    ("微信图片_20260315093012.jpg", datetime(2026, 3, 15, 9, 30, 12)),
    ("微信图片_20260315093012_3.jpg", datetime(2026, 3, 15, 9, 30, 12)),
    ("mmexport1678871234567.jpg", datetime(2023, 3, 15, 17, 7, 14, 567000)),  # ms since 1970, UTC+8
    ("wx_camera_1678871234567.jpg", datetime(2023, 3, 15, 17, 7, 14, 567000)),
    ("Screenshot_2026-03-15-09-30-12-123_com.tencent.mm.jpg", datetime(2026, 3, 15, 9, 30, 12)),
    ("Screenshot_20260315_093012.png", datetime(2026, 3, 15, 9, 30, 12)),
    ("2026-03-15 09.30.12.jpg", datetime(2026, 3, 15, 9, 30, 12)),
    ("PXL_20260315_093012345.jpg", datetime(2026, 3, 15, 9, 30, 12)),
    ("20260315_093012.jpg", datetime(2026, 3, 15, 9, 30, 12)),
    ("村口垃圾.jpg", None),
    ("IMG_1234.jpg", None),
    ("IMG_20261345_093012.jpg", None),  # month 13
    ("IMG_20300101_000000.jpg", None),  # after today (the suite runs on 2026-12-01)
    ("mmexport99.jpg", None),
])
def test_taken_at_from_phone_and_wechat_file_names(name, taken):
    assert taken_from_name(name) == taken


def test_aspect_box_covers_a_box_or_takes_the_largest_around_a_centre():
    assert aspect_box((1000, 1400), ONE_INCH) == (0, 0, 1000, 1400)
    # The largest 25:35 crop of a landscape photo, centred, then pushed inside at an edge.
    assert aspect_box((1600, 1200), ONE_INCH) == (371, 0, 1229, 1200)
    assert aspect_box((1600, 1200), ONE_INCH, centre=(100, 600)) == (0, 0, 857, 1200)
    # A face box 200 wide and 200 high: the 25:35 crop around it is 200 × 280 about its centre.
    assert aspect_box((1600, 1200), ONE_INCH, box=(700, 300, 900, 500)) == (700, 260, 900, 540)
    # A box at the top edge: the crop slides down rather than leaving the image.
    assert aspect_box((1600, 1200), ONE_INCH, box=(700, 0, 900, 100)) == (700, 0, 900, 280)


def test_crop_to_the_one_inch_ratio_keeps_the_box_content():
    image = Image.new("RGB", (1600, 1200), BLUE)
    image.paste(RED, (700, 300, 900, 500))
    photo = prepare_image(jpeg(image), "IMG_20260315_093012.jpg")
    head = crop_to_aspect(photo, ONE_INCH, box=(700, 300, 900, 500))
    out = decoded(head.content)
    assert out.size == (head.width, head.height) == (200, 280)
    assert near(out.getpixel((100, 140)), RED) and near(out.getpixel((100, 10)), BLUE)
    assert head.taken_at == photo.taken_at and head.sha256 != photo.sha256


def test_a_folder_lists_images_by_suffix_in_any_case_and_refuses_each_bad_file(tmp_path):
    (tmp_path / "IMG_20260315_093012.JPG").write_bytes(jpeg(textured((640, 480))))
    (tmp_path / "b.Png").write_bytes(png_header_only(100_000, 100_000))
    (tmp_path / "c.jpeg").write_bytes(b"hello")
    (tmp_path / "d.heic").write_bytes(heic_header())
    (tmp_path / "说明.txt").write_text("不是照片")
    (tmp_path / "子文件夹.jpg").mkdir()
    assert [p.name for p in image_files(tmp_path)] == ["IMG_20260315_093012.JPG", "b.Png", "c.jpeg", "d.heic"]
    batch = prepare_folder(tmp_path)
    assert [p.name for p in batch.prepared] == ["IMG_20260315_093012.JPG"]
    expected = {"b.Png": "像素过多", "c.jpeg": "不是图片文件", "d.heic": "是 HEIC 格式"}
    assert [r.name for r in batch.refused] == list(expected)
    assert all(f"照片“{r.name}”" in r.reason and expected[r.name] in r.reason for r in batch.refused)


def test_a_missing_folder_is_a_plain_refusal(tmp_path):
    with pytest.raises(ValidationError, match=r"文件夹“.*没有这个”无法打开"):
        image_files(tmp_path / "没有这个")
