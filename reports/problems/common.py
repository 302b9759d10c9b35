"""What the rectification ledger's paper shares: a photo from the bytes a document carries, and
the label/value form grid of the notice and the 督办单."""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, Table

from reports.core.styles import para
from reports.core.tables import HEADER_FILL, grid_style


def photo(content: bytes, max_width: float, max_height: float) -> Flowable:
    """The JPEG scaled to fit the box, keeping its proportions."""
    width, height = ImageReader(io.BytesIO(content)).getSize()
    scale = min(max_width / width, max_height / height)
    return Image(io.BytesIO(content), width * scale, height * scale)


def form_grid(rows: list[tuple[str, str] | tuple[str, str, str, str]], width: float,
              label_share: float = 0.16, size: float = 11) -> Table:
    """Rows of label, value (or two pairs side by side); a one-pair row spans the line."""
    label = width * label_share
    value = width / 2 - label
    cells, spans = [], []
    for index, row in enumerate(rows):
        if len(row) == 2:
            cells.append([para(row[0], "hei", size, "centre"), para(row[1], "song", size), "", ""])
            spans.append(("SPAN", (1, index), (3, index)))
        else:
            cells.append([para(row[0], "hei", size, "centre"), para(row[1], "song", size),
                          para(row[2], "hei", size, "centre"), para(row[3], "song", size)])
    table = Table(cells, colWidths=[label, value, label, value])
    table.setStyle(grid_style(*spans, ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL),
                              *(("BACKGROUND", (2, i), (2, i), HEADER_FILL)
                                for i, row in enumerate(rows) if len(row) == 4),
                              ("TOPPADDING", (0, 0), (-1, -1), 4),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 5)))
    return table


def day(value) -> str:  # type: ignore[no-untyped-def]
    return f"{value.year}年{value.month}月{value.day}日" if value else "—"


BLANK = "＿" * 8
GAP = 4 * mm
