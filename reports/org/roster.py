"""片区长、胡同长公示名单: a village's heads with their published phones, many pages."""

from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from models.printing.documents import Roster
from reports.core.drawing import Output
from reports.core.page_furniture import page_number_footer
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
    """Several villages' rosters in one file, each starting on a new page."""
    story = []
    for index, roster in enumerate(rosters):
        if index:
            story.append(PageBreak())
        story += roster_flowables(roster)
    document = new_document(out, A4, "片区长胡同长公示名单", MARGINS)
    document.build(story, onFirstPage=page_number_footer, onLaterPages=page_number_footer)
    return document.page


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
    story = [
        para(f"{roster.village}片区长、胡同长公示名单", "title", 20, "centre", leading=1.4),
        para(
            f"共{len(roster.rows)}人。姓名、电话公开，接受群众监督。",
            "song",
            11,
            "centre",
            leading=1.6,
            space_after=3 * mm,
        ),
        ruled_table(HEADERS, rows, widths),
        Spacer(1, 6 * mm),
    ]
    if roster.supervision_phone:
        story.append(para(f"监督电话：{roster.supervision_phone}", "hei", 12, leading=1.8))
    date = roster.date
    story += [
        para(roster.issuer, "song", 12, "right", leading=1.8),
        para(f"{date.year}年{date.month}月{date.day}日", "song", 12, "right", leading=1.8),
    ]
    return story
