"""Photos from files. A hostile, broken or unreadable file is refused with a Chinese message that
names it; any other image is decoded in full (so a half-copied file is caught), turned upright
by its EXIF orientation, converted to RGB, scaled so its long side fits, and saved as a JPEG
without EXIF, so that no GPS position leaves the phone. The time it was taken comes from EXIF or
from the file name that phones and WeChat give."""

from __future__ import annotations

import io
import re
import struct
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from sqlalchemy.orm import Session

from models.core import clock
from models.core.errors import ValidationError
from models.core.files import FileContent, StoredFile, store

MAX_SIDE = 1600
MAX_PIXELS = 50_000_000
MAX_FILE_BYTES = 64 * 1024 * 1024
JPEG_QUALITY = 85
ONE_INCH = (25, 35)  # width : height of a 1-inch ID photo, in millimetres
# Only these decoders ever see a file: no plugin that calls out to another program (EPS).
READABLE_FORMATS = ("JPEG", "PNG", "WEBP", "BMP", "GIF", "TIFF")
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".bmp", ".gif",
                            ".tif", ".tiff", ".heic", ".heif", ".avif"})
HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs",
                         b"mif1", b"msf1"})
AV1_BRANDS = frozenset({b"avif", b"avis"})
CHINA_TIME = timezone(timedelta(hours=8))
# Broken EXIF must not cost the photo: it only loses its time or orientation.
_EXIF_ERRORS = (OSError, ValueError, SyntaxError, TypeError, KeyError, IndexError, struct.error)
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, IndexError, struct.error)


class ImageRefused(ValidationError):
    """A file that is not taken as a photo; the message names the file and why."""


def prepare_image(source: Path | bytes, name: str | None = None, *,
                  max_side: int = MAX_SIDE) -> FileContent:
    """The photo as it will be stored (a JPEG), or ImageRefused."""
    label = name or (Path(source).name if not isinstance(source, bytes) else "未命名")
    data = _read(source, label)
    image = _open(data, label)
    taken_at = taken_from_exif(image) or taken_from_name(label)
    upright = _decode_upright(image, label, max_side)
    return FileContent(name=label, content=_jpeg(upright), media_type="image/jpeg",
                       width=upright.width, height=upright.height, taken_at=taken_at)


def _read(source: Path | bytes, label: str) -> bytes:
    try:
        size = len(source) if isinstance(source, bytes) else Path(source).stat().st_size
        if size > MAX_FILE_BYTES:  # refused by its size alone, before reading it
            raise ImageRefused(f"照片“{label}”太大（{size / 1024 / 1024:.0f} MB），不像手机照片，已拒绝。")
        return source if isinstance(source, bytes) else Path(source).read_bytes()
    except OSError as error:
        raise ImageRefused(f"照片“{label}”无法读取（{error.strerror or error}）。") from error


def container_format(head: bytes) -> str | None:
    """'HEIC' or 'AVIF' for an ISO base media file (an `ftyp` box), which Pillow cannot read."""
    if head[4:8] != b"ftyp":
        return None
    box_size = int.from_bytes(head[:4], "big")
    brands = {head[8:12]} | {head[i:i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
    if brands & AV1_BRANDS:
        return "AVIF"
    return "HEIC" if brands & HEIF_BRANDS else None


def _open(data: bytes, label: str) -> Image.Image:
    foreign = container_format(data[:64])
    if foreign:
        raise ImageRefused(f"照片“{label}”是 {foreign} 格式，程序不能读取；"
                           "请在手机相册里选择“以 JPEG 格式导出”后再导入。")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=READABLE_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        found = re.search(r"\((\d+) pixels\)", str(error))
        raise _too_many_pixels(label, int(found.group(1)) if found else None) from error
    except UnidentifiedImageError as error:
        raise ImageRefused(f"照片“{label}”不是图片文件。") from error
    except _DECODE_ERRORS as error:
        raise _broken(label) from error
    # The header's size, checked before a single pixel is decoded.
    if image.width * image.height > MAX_PIXELS:
        raise _too_many_pixels(label, image.width * image.height)
    return image


def _too_many_pixels(label: str, pixels: int | None) -> ImageRefused:
    count = f"（{pixels // 10_000}万像素）" if pixels else ""
    return ImageRefused(f"照片“{label}”像素过多{count}，可能是恶意文件，已拒绝。")


def _broken(label: str) -> ImageRefused:
    return ImageRefused(f"照片“{label}”文件不完整（可能没有传完）或已损坏，已拒绝。")


def _decode_upright(image: Image.Image, label: str, max_side: int) -> Image.Image:
    # A JPEG is decoded straight at 1/2, 1/4 or 1/8 scale when that still leaves the long side
    # at least max_side: the whole stream is still read, so a truncated file is still caught.
    scale = max_side / max(image.size)
    if scale < 1:
        image.draft("RGB", (max(1, int(image.width * scale + 1)), max(1, int(image.height * scale + 1))))
    try:
        image.load()
        upright = _rgb(_transposed(image))
        upright.thumbnail((max_side, max_side))
    except _DECODE_ERRORS as error:
        raise _broken(label) from error
    upright.info = {}
    return upright


def _transposed(image: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(image)
    except _EXIF_ERRORS:
        return image


def _rgb(image: Image.Image) -> Image.Image:
    """RGB, with transparent parts on white (not black)."""
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, "white")
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


# ---- when a photo was taken ---------------------------------------------------------------

_EXIF_TIMES = (ExifTags.Base.DateTimeOriginal, ExifTags.Base.DateTimeDigitized)
# IMG_20260315_093012, 微信图片_20260315093012, Screenshot_2026-03-15-09-30-12, 2026-03-15 09.30.12
_NAME_STAMP = re.compile(r"(?<!\d)(20\d\d)[-_.]?(\d\d)[-_.]?(\d\d)[ _T-]?(\d\d)[-_.:]?(\d\d)[-_.:]?(\d\d)")
# WeChat's own saves: mmexport1678871234567, wx_camera_1678871234567 (milliseconds since 1970)
_NAME_EPOCH_MS = re.compile(r"(?:mmexport|wx_camera_)(1\d{12})(?!\d)", re.IGNORECASE)


def taken_from_exif(image: Image.Image) -> datetime | None:
    try:
        exif = image.getexif().get_ifd(ExifTags.IFD.Exif)
    except _EXIF_ERRORS:
        return None
    for tag in _EXIF_TIMES:
        value = exif.get(tag)
        if isinstance(value, str):
            try:
                taken = datetime.strptime(value.strip("\0 "), "%Y:%m:%d %H:%M:%S")
            except ValueError:
                continue
            if _plausible(taken):
                return taken
    return None


def taken_from_name(name: str) -> datetime | None:
    """The local time a phone or WeChat wrote into a photo's file name, if it did."""
    epoch = _NAME_EPOCH_MS.search(name)
    if epoch:
        taken = datetime.fromtimestamp(int(epoch.group(1)) / 1000, CHINA_TIME).replace(tzinfo=None)
        return taken if _plausible(taken) else None
    stamp = _NAME_STAMP.search(name)
    if stamp is None:
        return None
    try:
        taken = datetime(*(int(part) for part in stamp.groups()))
    except ValueError:
        return None
    return taken if _plausible(taken) else None


def _plausible(taken: datetime) -> bool:
    return taken.year >= 2000 and taken.date() <= clock.today() + timedelta(days=1)


# ---- a crop for ID photos -----------------------------------------------------------------

def aspect_box(size: tuple[int, int], aspect: tuple[int, int] = ONE_INCH, *,
               box: tuple[int, int, int, int] | None = None,
               centre: tuple[float, float] | None = None) -> tuple[int, int, int, int]:
    """The (left, top, right, bottom) crop of width:height = aspect inside an image of `size`:
    with `box`, the smallest such crop centred on the box that covers it (as far as the image
    allows); otherwise the largest such crop centred on `centre` (default: the image's
    centre). Near an edge the crop slides inwards rather than shrinking."""
    width, height = size
    ratio = aspect[0] / aspect[1]
    if box is not None:
        left, top, right, bottom = box
        crop_w = max(right - left, (bottom - top) * ratio)
        centre = ((left + right) / 2, (top + bottom) / 2)
    else:
        crop_w = width
    crop_w = min(crop_w, width, height * ratio)
    crop_h = crop_w / ratio
    cx, cy = centre or (width / 2, height / 2)
    left = min(max(cx - crop_w / 2, 0), width - crop_w)
    top = min(max(cy - crop_h / 2, 0), height - crop_h)
    return round(left), round(top), round(left + crop_w), round(top + crop_h)


def crop_to_aspect(photo: FileContent, aspect: tuple[int, int] = ONE_INCH, *,
                   box: tuple[int, int, int, int] | None = None,
                   centre: tuple[float, float] | None = None,
                   max_side: int = MAX_SIDE) -> FileContent:
    """A prepared photo cropped by `aspect_box` (box and centre in its own pixels)."""
    with Image.open(io.BytesIO(photo.content), formats=("JPEG",)) as image:
        cropped = image.crop(aspect_box(image.size, aspect, box=box, centre=centre))
    cropped.thumbnail((max_side, max_side))
    return FileContent(name=photo.name, content=_jpeg(cropped), media_type="image/jpeg",
                       width=cropped.width, height=cropped.height, taken_at=photo.taken_at)


# ---- many files at once -------------------------------------------------------------------

@dataclass(frozen=True)
class Refusal:
    name: str
    reason: str


@dataclass(frozen=True)
class PreparedBatch:
    """Every file prepared or refused; a caller importing all-or-nothing stores only when
    `refused` is empty."""

    prepared: list[FileContent]
    refused: list[Refusal]


def image_files(folder: Path) -> list[Path]:
    """The image files directly in `folder` (by suffix, any case), by name."""
    try:
        entries = sorted(Path(folder).iterdir(), key=lambda path: path.name)
    except OSError as error:
        raise ValidationError(f"文件夹“{folder}”无法打开（{error.strerror or error}）。") from error
    return [path for path in entries if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file()]


def prepare_files(paths: Iterable[Path], *, max_side: int = MAX_SIDE) -> PreparedBatch:
    prepared, refused = [], []
    for path in paths:
        try:
            prepared.append(prepare_image(path, max_side=max_side))
        except ImageRefused as refusal:
            refused.append(Refusal(Path(path).name, str(refusal)))
    return PreparedBatch(prepared, refused)


def prepare_folder(folder: Path, *, max_side: int = MAX_SIDE) -> PreparedBatch:
    return prepare_files(image_files(folder), max_side=max_side)


def store_batch(session: Session, batch: PreparedBatch, village_id: int | None,
                actor_name: str) -> list[StoredFile]:
    """Every prepared photo stored or, when any file was refused, none (ImageRefused naming
    each refused file and why)."""
    if batch.refused:
        raise ImageRefused(f"有 {len(batch.refused)} 个文件不能导入，本次没有导入任何照片：\n"
                           + "\n".join(refusal.reason for refusal in batch.refused))
    return [store(session, photo, village_id, actor_name) for photo in batch.prepared]
