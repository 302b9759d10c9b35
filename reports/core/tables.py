"""The ruled table look shared by the roster, passbook and notices' attachments."""

from reportlab.lib.colors import HexColor
from reportlab.platypus import Table, TableStyle

from reports.core.drawing import INK
from reports.core.fonts import primary_font
from reports.core.styles import para

HEADER_FILL = HexColor("#F2F2F2")


def grid_style(*extra) -> TableStyle:
    """Black hairline grid, middle-aligned; the cell font set so no Helvetica is referenced."""
    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, INK),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("FONTNAME", (0, 0), (-1, -1), primary_font("song")),
            *extra,
        ]
    )


def ruled_table(headers, rows, widths, size: float = 10.5, align=None, extra_style=()) -> Table:
    """Grid table, grey header repeated on every page; cells wrap instead of overflowing."""
    align = align or ["centre"] * len(headers)
    cells = [[para(h, "hei", size, "centre", leading=1.3) for h in headers]]
    cells += [
        [para(str(value), "song", size, a, leading=1.3) for value, a in zip(row, align, strict=False)]
        for row in rows
    ]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(
        grid_style(
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            *extra_style,
        )
    )
    return table
