"""Text set on the character grid of Chinese official documents (GB/T 9704).

A 3号 (16 pt) body must give 28 characters a line in a 156 mm block, which is
narrower than 28 × 16 pt: like Word's document grid, glyphs stay 16 pt and the
advance is tightened with character spacing. reportlab's Paragraph cannot do
that, hence this small flowable; it also keeps every line on the 22-line grid.
"""

from collections.abc import Iterable

from reportlab.platypus import Flowable

from models.core.privacy import redact_ids
from reports.core.fonts import runs, text_width
from reports.core.linebreak import break_lines, clean


class GridText(Flowable):
    """One paragraph on a fixed grid: `cell` is the advance of a full-width character."""

    def __init__(
        self,
        text: str,
        size: float,
        cell: float,
        pitch: float,
        role: str = "fang",
        indent: float = 2,
        align: str = "justify",
        right_cells: float = 0,
        lines: list[str] | None = None,
        atoms: Iterable[str] = (),
    ):
        super().__init__()
        # Redact before breaking: an ID number split over two lines would escape the pattern.
        self.text = redact_ids(clean(text))
        self.atoms = tuple(atoms)  # names and words never broken across lines
        self.size, self.cell, self.pitch, self.role = size, cell, pitch, role
        self.indent, self.align, self.right_cells = indent, align, right_cells
        self._lines = lines
        self._preset = lines is not None  # the tail of a split keeps its lines
        self._width = None

    def _spacing(self) -> float:
        return self.cell - self.size  # negative: tightens each full-width advance to the cell

    def _line_width(self, line: str) -> float:
        return text_width(line, self.size, self.role) + len(line) * self._spacing()

    def _break(self, width: float) -> list[str]:
        return break_lines(self.text, width, self._line_width, self.atoms,
                           first_width=width - self.indent * self.cell)

    def wrap(self, available_width, available_height):
        if not self._preset and self._width != available_width:
            self._lines = self._break(available_width - self.right_cells * self.cell)
        self._width = available_width
        self.width, self.height = available_width, len(self._lines) * self.pitch
        return self.width, self.height

    def split(self, available_width, available_height):
        self.wrap(available_width, available_height)
        fit = int(available_height // self.pitch)
        if fit <= 0 or fit >= len(self._lines):
            return [] if fit <= 0 else [self]
        return [self._clone(self._lines[:fit], self.indent), self._clone(self._lines[fit:], 0)]

    def _clone(self, lines, indent):
        clone = GridText(
            self.text,
            self.size,
            self.cell,
            self.pitch,
            self.role,
            indent,
            self.align,
            self.right_cells,
            lines,
            self.atoms,
        )
        clone.part = getattr(self, "part", "")
        clone._width = self._width
        clone.height = len(lines) * self.pitch
        return clone

    def draw(self):
        canvas = self.canv
        for number, line in enumerate(self._lines):
            self._draw_line(canvas, number, line)

    def _draw_line(self, canvas, number: int, line: str) -> None:
        start = self.indent * self.cell if number == 0 else 0
        room = self._width - self.right_cells * self.cell - start
        spacing = self._spacing()
        natural = self._line_width(line)
        last = number == len(self._lines) - 1
        if self.align == "justify" and not last and len(line) > 1:
            spacing += (room - natural) / (len(line) - 1)  # fill the line edge to edge
        elif self.align == "centre":
            start += (room - natural) / 2
        elif self.align == "right":
            start += room - natural
        centre = self.height - (number + 0.5) * self.pitch
        text = canvas.beginText(start, centre - 0.36 * self.size)  # glyph box centred on line
        text.setCharSpace(spacing)
        for font, chunk in runs(line, self.role):
            text.setFont(font, self.size)
            text.textOut(chunk)
        canvas.drawText(text)
