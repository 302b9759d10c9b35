"""Real image files made with Pillow for the photo tests and the benchmark: phone photos with
EXIF (orientation, time, GPS), and the hostile or broken files a village office might be sent."""

from __future__ import annotations

import io
import random
import struct
import zlib

from PIL import ExifTags, Image

RED, BLUE = (220, 20, 20), (20, 40, 220)
BEIJING = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)}


def phone_exif(orientation: int = 1, taken: str | None = None, gps: bool = True) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "村治通测试手机"
    if taken:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    if gps:
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(BEIJING)
    return exif


def jpeg(image: Image.Image, exif: Image.Exif | None = None, quality: int = 90) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def red_corner(size: tuple[int, int], corner: int = 1000) -> Image.Image:
    """Blue, with a red square in the stored top-left corner: shows where a rotation put it."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, corner, corner))
    return image


def textured(size: tuple[int, int], seed: int = 0) -> Image.Image:
    """Gradients and noise that compress and decode about like a phone photo; the same seed
    gives the same pixels."""
    width, height = size
    noise = Image.frombytes("L", size, random.Random(seed).randbytes(width * height)).point(
        lambda value: 96 + value // 4)
    return Image.merge("RGB", (Image.linear_gradient("L").resize(size).rotate(seed % 360),
                               noise, Image.radial_gradient("L").resize((width, height))))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares width × height but is a few hundred bytes: a decompression bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 4096, 9)) + chunk(b"IEND", b""))


def heic_header() -> bytes:
    """The start of an iPhone photo: an ISO media `ftyp` box of brand heic, then a stub box."""
    ftyp = b"ftyp" + b"heic" + b"\0\0\0\0" + b"mif1heic"
    return struct.pack(">I", 4 + len(ftyp)) + ftyp + struct.pack(">I", 16) + b"meta" + b"\0" * 8


def truncated(content: bytes) -> bytes:
    return content[: len(content) * 2 // 3]
