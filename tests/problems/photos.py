"""Phone-like JPEG files for the problem tests (the core's photo helpers draw them)."""

from __future__ import annotations

from pathlib import Path

from tests.core.photos import jpeg, phone_exif, textured


def write_photo(path: Path, seed: int = 0, taken: str | None = None,
                size: tuple[int, int] = (640, 480)) -> Path:
    path.write_bytes(jpeg(textured(size, seed), phone_exif(taken=taken)))
    return path
