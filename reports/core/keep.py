"""Keeping the end of a document together: a signature (or an issuer and date) never stands
alone on a page. The last piece of the body — a paragraph's last lines, a table's last rows —
goes over to the next page with it, or the gap above it is tightened when that is enough."""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer, Table

from reports.core.grid_text import GridText

LARGE = 1e6


class KeepTail(Flowable):
    """`kept` (the body's last pieces) and `closing` (signature, date): whole when they fit; else
    with the gap above the closing tightened; else the last kept piece is split so that its last
    lines or rows go over with the closing; a piece that cannot be split goes over whole.

    `bottom`, when given, is drawn at the bottom of the page the closing ends on (the notice's
    版记), and its height is kept free below the closing. `least`: below this much room the
    whole block goes to the next page (a table's caption, header and first row)."""

    def __init__(self, kept: list, closing: list, gap: float, tight_gap: float,
                 bottom: Flowable | None = None, least: float = 0.0) -> None:
        super().__init__()
        self.kept, self.closing, self.bottom, self.least = kept, closing, bottom, least
        self.gap, self.tight_gap = gap, tight_gap

    def _bottom_height(self, width: float) -> float:
        return self.bottom.wrap(width, 0)[1] if self.bottom is not None else 0.0

    def _height(self, width: float, gap: float) -> float:
        parts = [*self.kept, *self.closing]
        return sum(f.wrap(width, LARGE)[1] for f in parts) + gap + self._bottom_height(width)

    def wrap(self, available_width, available_height):
        needed = self._height(available_width, self.gap)
        self.width = available_width
        fills = self.bottom is not None and needed <= available_height
        self.height = available_height if fills else needed
        return self.width, self.height

    def split(self, available_width, available_height):
        if self._height(available_width, self.tight_gap) <= available_height:
            return [*self.kept, Spacer(1, self.tight_gap), *self.closing,
                    *([self.bottom] if self.bottom is not None else [])]
        if available_height < self.least:
            return []
        *lead, last = self.kept
        lead_height = sum(f.wrap(available_width, LARGE)[1] for f in lead)
        last_height = last.wrap(available_width, LARGE)[1]
        room = min(available_height - lead_height, last_height - carried(last))
        pieces = last.split(available_width, room) if room > 0 else []
        if len(pieces) < 2:
            return []
        rest = KeepTail([pieces[-1]], self.closing, self.gap, self.tight_gap, self.bottom)
        return [*lead, *pieces[:-1], rest]

    def draw(self):  # drawn whole: the content from the top, `bottom` at the bottom
        y = self.height
        for flowable in [*self.kept, Spacer(1, self.gap), *self.closing]:
            _, height = flowable.wrap(self.width, LARGE)
            y -= height
            flowable.drawOn(self.canv, 0, y)
        if self.bottom is not None:
            self.bottom.wrap(self.width, 0)
            self.bottom.drawOn(self.canv, 0, 0)

    @property
    def part(self) -> str:  # for a layout record: what this block carries when drawn whole
        return "+".join(["body", "signature", *(["banji"] if self.bottom is not None else [])])


def carried(flowable) -> float:
    """Height of what must go over with the closing: two lines of a paragraph (one of a
    two-line one) or a table's last row; a piece that cannot be split, whole."""
    if isinstance(flowable, GridText):
        lines = len(flowable._lines or [])
        return flowable.pitch * (min(2, lines - 1) if lines > 1 else lines)
    if isinstance(flowable, Table):
        return flowable._rowHeights[-1]
    return flowable.height
