"""The ruled table look shared by the roster, passbook and notices' attachments."""

from reportlab.lib.colors import HexColor
from reportlab.platypus import Table, TableStyle

from reports.drawing import INK
from reports.styles import para

HEADER_FILL = HexColor("#F2F2F2")


def ruled_table(headers, rows, widths, size: float = 10.5, align=None,
                extra_style=()) -> Table:
    """Grid table, grey header repeated on every page; cells wrap instead of overflowing."""
    align = align or ["centre"] * len(headers)
    cells = [[para(h, "hei", size, "centre", leading=1.3) for h in headers]]
    cells += [[para(str(value), "song", size, a, leading=1.3) for value, a in zip(row, align)]
              for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, INK),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        *extra_style,
    ]))
    return table
