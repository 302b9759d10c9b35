"""The ruled table look shared by the roster, passbook and notices' attachments.

Tables are read by people looking for their own name: a name is never broken inside (cells
break through reports.core.linebreak with the names as atoms), cells have padding so no mark
touches a grid line, a column is at least as wide as its header's text and its longest name or
number, numbers stand right-aligned, and the header row repeats on every page.
"""

import re
from collections.abc import Iterable, Sequence

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Table, TableStyle

from reports.core.drawing import INK, wrap_lines
from reports.core.fonts import draw_lines, primary_font, text_width
from reports.core.linebreak import clean, tokens

HEADER_FILL = HexColor("#F2F2F2")
PAD = 4  # points between a cell's text and its grid lines, left and right
NUMBER = re.compile(r"^[+\-−]?\d[\d,]*(\.\d+)?%?$")
EMPTY = {"", "—", "-", "–"}
LONG_TEXT = 10  # characters: a column holding longer texts reads better left-aligned
SHORT_TEXT = 8  # characters: a cell this short (a role, a unit's name) is never broken


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


class Cell(Flowable):
    """A cell's text: broken with names whole, aligned inside the width the table gives it."""

    def __init__(self, text: str, role: str, size: float, align: str = "left",
                 leading: float = 1.3, atoms: Iterable[str] = ()):
        super().__init__()
        self.text, self.role, self.size, self.align = clean(str(text)), role, size, align
        self.leading, self.atoms = leading, tuple(atoms)
        self._lines: list[str] = []

    def wrap(self, available_width, available_height):
        self._lines = wrap_lines(self.text, available_width, self.size, self.role, self.atoms) \
            or [""]
        self.width = available_width
        self.height = len(self._lines) * self.size * self.leading
        return self.width, self.height

    def draw(self):
        x = {"left": 0, "centre": self.width / 2, "right": self.width}[self.align]
        pitch = self.size * self.leading
        baseline = self.height - (pitch + 0.7 * self.size) / 2
        draw_lines(self.canv, x, baseline, self._lines, self.size, pitch, self.role, self.align)


def default_alignment(rows: Sequence[Sequence[str]], column: int) -> str:
    """Numbers right, long texts left, short words centred."""
    if is_number_column(rows, column):
        return "right"
    longest = max((len(str(row[column])) for row in rows), default=0)
    return "left" if longest > LONG_TEXT else "centre"


def is_number_column(rows: Sequence[Sequence[str]], column: int) -> bool:
    values = [str(row[column]).strip() for row in rows if str(row[column]).strip() not in EMPTY]
    return bool(values) and all(NUMBER.match(value) for value in values)


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[str]], total: float,
                  shares: Sequence[float] | None = None, size: float = 10.5,
                  atoms: Iterable[str] = ()) -> list[float]:
    """Widths summing to `total`, by `shares`, but none narrower than its header's text on one
    line, nor than its widest short cell or unbreakable piece (a name, a number)."""
    atoms = tuple(atoms)
    shares = list(shares or (1,) * len(headers))
    least = []
    for column, header in enumerate(headers):
        cells = [clean(str(row[column])) for row in rows]
        pieces = [p for c in cells for p in ([c] if len(c) <= SHORT_TEXT else tokens(c, atoms))]
        widest = max((text_width(p, size, "song") for p in pieces), default=0)
        least.append(max(text_width(clean(header), size, "hei"), widest) + 2 * PAD + 1)
    if sum(least) >= total:  # cannot honour every minimum: share the width by the minimums
        return [total * w / sum(least) for w in least]
    widths = [total * s / sum(shares) for s in shares]
    while True:
        short = [i for i, w in enumerate(widths) if w < least[i] - 0.01]
        if not short:
            return widths
        for i in short:
            widths[i] = least[i]
        free = [i for i in range(len(widths)) if widths[i] > least[i] + 0.01]
        spare = total - sum(widths[i] for i in range(len(widths)) if i not in free)
        free_shares = sum(shares[i] for i in free)
        for i in free:
            widths[i] = spare * shares[i] / free_shares


def ruled_table(headers, rows, widths, size: float = 10.5, align=None, extra_style=(),
                atoms: Iterable[str] = ()) -> Table:
    """Grid table, grey header repeated on every page; numbers right-aligned, long texts left
    (unless `align` says otherwise); cells wrap (never inside a name of `atoms`)."""
    atoms = tuple(atoms)
    align = align or [default_alignment(rows, i) for i in range(len(headers))]
    cells = [[Cell(h, "hei", size, "centre") for h in headers]]
    cells += [
        [Cell(value, "song", size, a, atoms=atoms) for value, a in zip(row, align, strict=False)]
        for row in rows
    ]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(
        grid_style(
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
            *extra_style,
        )
    )
    return table
