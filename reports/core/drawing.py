"""Canvas helpers shared by the card-like documents: output, wrapping, photos, QR, cut marks."""

import io
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import segno
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from models.core.privacy import redact_ids
from reports.core.fonts import draw_text, primary_font, text_width
from reports.core.linebreak import break_lines
from reports.core.titles import balanced_lines

Output = str | Path | BinaryIO
log = logging.getLogger(__name__)

RED = HexColor("#C8161D")  # the red of official headers
INK = HexColor("#1A1A1A")
GREY = HexColor("#666666")
LIGHT = HexColor("#D9D9D9")
WHITE = Color(1, 1, 1)


def new_canvas(out: Output, pagesize: tuple[float, float], title: str) -> Canvas:
    target = str(out) if isinstance(out, Path) else out
    # A Chinese initial font: otherwise reportlab lists an unembedded Helvetica.
    canvas = Canvas(
        target,
        pagesize=pagesize,
        pageCompression=1,
        initialFontName=primary_font("hei"),
        initialFontSize=10,
    )
    canvas.setTitle(title)
    canvas.setCreator("村治通")
    return canvas


def wrap_lines(text: str, width: float, size: float, role: str = "hei",
               atoms: Iterable[str] = ()) -> list[str]:
    """Chinese line breaking (reports.core.linebreak): names in `atoms` stay whole."""
    text = redact_ids(text)  # before breaking, so no ID number survives split in two
    return break_lines(text, width, lambda piece: text_width(piece, size, role), atoms) if text else []


def at_most_two_lines(text: str, width: float, size: float, role: str = "hei",
                      balanced: bool = False) -> list[str]:
    """One line if it fits, else two: broken where Chinese breaks (into near-equal halves when
    `balanced`), or in the middle when even two such lines would not hold it (the caller then
    condenses each line to the width)."""
    lines = wrap_lines(text, width, size, role)
    if len(lines) == 2 and balanced:
        lines = balanced_lines(text, width, lambda piece: text_width(piece, size, role))
    if len(lines) <= 2:
        return lines
    middle = (len(text) + 1) // 2
    return [text[:middle], text[middle:]]


def draw_wrapped(
    canvas,
    text: str,
    x: float,
    top: float,
    width: float,
    height: float,
    size: float,
    role: str = "hei",
    min_size: float = 6.0,
    leading: float = 1.35,
) -> float:
    """Draw text wrapped into a box, shrinking until it fits; returns the bottom used."""
    while True:
        lines = wrap_lines(text, width, size, role)
        if len(lines) * size * leading <= height or size <= min_size:
            break
        size -= 0.5
    baseline = top - size
    for line in lines:
        draw_text(canvas, x, baseline, line, size, role, max_width=width)
        baseline -= size * leading
    last_baseline = baseline + size * leading
    return last_baseline - 0.2 * size  # below the descenders of the last line


def draw_photo(canvas, photo: bytes | str | None, x: float, y: float, width: float,
               height: float) -> None:
    """The head's photo (the stored JPEG's bytes, or a file), centred in its box on a light
    ground; a neat grey silhouette when there is none or it cannot be read."""
    readable = (isinstance(photo, bytes) and photo) or (isinstance(photo, str)
                                                        and Path(photo).is_file())
    if readable:
        canvas.saveState()
        try:
            source = ImageReader(io.BytesIO(photo)) if isinstance(photo, bytes) else photo
            canvas.setFillColor(HexColor("#F4F5F7"))
            canvas.rect(x, y, width, height, stroke=0, fill=1)
            canvas.drawImage(source, x, y, width, height, preserveAspectRatio=True, anchor="c")
            return
        except (OSError, ValueError) as error:
            log.warning("照片无法读取，改印占位图：%s", error)
        finally:
            canvas.restoreState()
    canvas.saveState()
    canvas.setFillColor(HexColor("#EEF0F2"))
    canvas.setStrokeColor(LIGHT)
    canvas.setLineWidth(0.5)
    canvas.rect(x, y, width, height, stroke=1, fill=1)
    canvas.setFillColor(HexColor("#B8BEC6"))
    head_r = width * 0.2
    canvas.circle(x + width / 2, y + height * 0.62, head_r, stroke=0, fill=1)
    shoulders = canvas.beginPath()
    shoulders.moveTo(x + width * 0.12, y)
    shoulders.curveTo(
        x + width * 0.12,
        y + height * 0.42,
        x + width * 0.88,
        y + height * 0.42,
        x + width * 0.88,
        y,
    )
    shoulders.close()
    canvas.drawPath(shoulders, stroke=0, fill=1)
    canvas.restoreState()


def draw_qr(canvas, data: str, x: float, y: float, size: float) -> None:
    """QR code as ONE filled path of merged horizontal module runs (10x faster than widgets)."""
    matrix = segno.make(data, error="m", micro=False).matrix
    module = size / len(matrix)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + 1) * module
        start = None
        for col, dark in enumerate((*row, 0)):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                path.rect(x + start * module, top, (col - start) * module, module)
                start = None
    canvas.saveState()
    canvas.setFillColor(INK)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def draw_cut_marks(
    canvas,
    xs: list[float],
    ys: list[float],
    left: float,
    right: float,
    bottom: float,
    top: float,
    gap: float,
    length: float,
) -> None:
    """Short hairlines in the margin, in line with every cut, never over the cards."""
    canvas.saveState()
    canvas.setLineWidth(0.3)
    canvas.setStrokeColor(INK)
    for x in xs:
        canvas.line(x, top + gap, x, top + gap + length)
        canvas.line(x, bottom - gap, x, bottom - gap - length)
    for y in ys:
        canvas.line(left - gap, y, left - gap - length, y)
        canvas.line(right + gap, y, right + gap + length, y)
    canvas.restoreState()


def label_value(
    canvas,
    x: float,
    y: float,
    label: str,
    value: str,
    size: float,
    label_width: float,
    value_width: float,
    label_size: float = 7.5,
) -> None:
    """A grey label and its value on one baseline, the value shrunk to its width."""
    canvas.setFillColor(GREY)
    draw_text(canvas, x, y, label, label_size, max_width=label_width - label_size / 2)
    canvas.setFillColor(INK)
    # Long names keep a readable size and are condensed rather than shrunk to specks.
    draw_text(canvas, x + label_width, y, value, size, max_width=value_width, min_size=size * 0.75)
