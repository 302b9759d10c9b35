"""片区长、胡同长公示名单: a village's heads with their published phones, many pages.

Several villages' rosters in one file (the whole township) are each posted on their own notice
board: each starts on a new page and numbers its pages from 1, under its own name."""

from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak

from models.printing.documents import Roster, chinese_date
from reports.core.drawing import GREY, Output
from reports.core.fonts import draw_text
from reports.core.keep import KeepTail
from reports.core.styles import new_document, para
from reports.core.tables import ruled_table

MARGINS = (18 * mm, 15 * mm, 18 * mm, 15 * mm)
TEXT_W = A4[0] - MARGINS[1] - MARGINS[3]
HEADERS = ("序号", "自然村", "片区", "胡同", "职务", "姓名", "联系电话", "户数")
WIDTHS_MM = (12, 24, 22, 28, 18, 28, 32, 16)


def render_roster(roster: Roster, out: Output) -> int:
    """Write the roster; returns the number of pages."""
    return render_rosters([roster], out)


def render_rosters(rosters: Sequence[Roster], out: Output) -> int:
    """Several villages' rosters in one file, each starting on a new page at page 1."""
    document = new_document(out, A4, "片区长胡同长公示名单", MARGINS)
    document.afterPage = lambda: _footer(document)  # after the page's flowables: its roster
    story: list = []
    for index, roster in enumerate(rosters):
        if index:
            story.append(PageBreak())
        story += [_RosterStart(document, _title_unit(roster)), *roster_flowables(roster)]
    document.build(story)
    return document.page


class _RosterStart(Flowable):
    """Marks where a roster begins: its pages are numbered from here, under its name."""

    def __init__(self, document, unit: str) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.document, self.unit = document, unit
        self.width = self.height = 0

    def draw(self):
        self.document.roster_start, self.document.roster_unit = self.document.page, self.unit


def _footer(document) -> None:  # type: ignore[no-untyped-def]
    canvas = document.canv
    number = document.page - getattr(document, "roster_start", 1) + 1
    canvas.saveState()
    canvas.setFillColor(GREY)
    label = f"{getattr(document, 'roster_unit', '')}　第 {number} 页"
    draw_text(canvas, A4[0] / 2, 10 * mm, label, 9, "hei", "centre")
    canvas.restoreState()


def _title_unit(roster: Roster) -> str:
    return roster.unit or roster.village


def roster_flowables(roster: Roster) -> list:
    rows = [
        (
            str(number),
            row.natural_village,
            row.zone,
            row.alley or "—",
            row.role,
            row.name,
            row.phone,
            "" if row.households is None else str(row.households),
        )
        for number, row in enumerate(roster.rows, 1)
    ]
    scale = TEXT_W / (sum(WIDTHS_MM) * mm)
    widths = [w * mm * scale for w in WIDTHS_MM]
    closing = [para(f"监督电话：{roster.supervision_phone}", "hei", 12, leading=1.8)] \
        if roster.supervision_phone else []
    closing += [
        para(roster.issuer, "song", 12, "right", leading=1.8),
        para(chinese_date(roster.date), "song", 12, "right", leading=1.8),
    ]
    table = ruled_table(HEADERS, rows, widths, atoms=[row.name for row in roster.rows])
    return [
        para(f"{_title_unit(roster)}片区长、胡同长公示名单", "title", 20, "centre", leading=1.4),
        para(
            f"共{len(roster.rows)}人。姓名、电话公开，接受群众监督。",
            "song",
            11,
            "centre",
            leading=1.6,
            space_after=3 * mm,
        ),
        # The issuer and date never stand alone on the last page: the last rows come along.
        KeepTail([table], closing, gap=6 * mm, tight_gap=2 * mm),
    ]
