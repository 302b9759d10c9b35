"""三个一工作日志: one alley head's blank sheet for a month, two A4 pages filled in by hand — a
day grid with tick and sign boxes and four or five weekly summary boxes on the front; the
alley's households with visit tick boxes and an opinion column, and the seven officers'
matters, on the back."""

from collections.abc import Callable, Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer, Table

from models.printing.documents import LogSheet
from reports.core.drawing import LIGHT, Output
from reports.core.fonts import primary_font
from reports.core.page_furniture import page_number_footer
from reports.core.styles import new_document, para
from reports.core.tables import HEADER_FILL, grid_style

MARGINS = (12 * mm, 14 * mm, 14 * mm, 14 * mm)
TEXT_W = A4[0] - MARGINS[1] - MARGINS[3]
TICK = "□"
DAY_HEADERS = ("日期", "星期", "巡查", "发现的问题", "签字")
DAY_WIDTHS_MM = (10, 10, 10, 40, 17)
VISIT_HEADERS = ("序号", "户主", "门牌地址", "已走访", "走访日期", "群众意见建议", "户主签字")
VISIT_WIDTHS_MM = (11, 20, 34, 14, 22, 61, 20)
MATTER_HEADERS = ("日期", "管理员身份", "事项", "办理情况")
MATTER_WIDTHS_MM = (18, 36, 90, 38)
TIGHT = (("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
         ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2))
DATE_BLANK = "____月____日"
VISIT_ROWS = 10  # an alley holds at most 10 households (a setting): rows to fill by hand


def render_log_sheets(sheets: Sequence[LogSheet], out: Output,
                      progress: Callable[[int, int], None] | None = None) -> int:
    """Write the sheets (two pages each); returns the number of pages."""
    story: list = []
    for index, sheet in enumerate(sheets):
        if index:
            story.append(PageBreak())
        story += sheet_flowables(sheet)
        if progress is not None:
            progress(2 * index + 2, 2 * len(sheets))
    document = new_document(out, A4, "三个一工作日志", MARGINS)
    document.build(story, onFirstPage=page_number_footer, onLaterPages=page_number_footer)
    return document.page


def sheet_flowables(sheet: LogSheet) -> list:
    place = (f"{sheet.village}　{sheet.natural_village}　{sheet.zone}　{sheet.alley}　"
             f"胡同长：{sheet.head}　电话：{sheet.phone}")
    return [
        para(f"胡同长“三个一”工作日志（{sheet.year}年{sheet.month}月）", "title", 17, "centre",
             leading=1.4),
        para(place, "song", 10, "centre", leading=1.6, space_after=2 * mm),
        para("一、每日环境卫生巡查（每天一次，巡查后在“巡查”栏打√并签字）", "hei", 11, leading=1.6),
        _day_grid(sheet),
        Spacer(1, 3 * mm),
        para("二、每周汇总（每周一次）", "hei", 11, leading=1.6),
        *_week_boxes(sheet),
        PageBreak(),
        para(f"{sheet.head}　{sheet.year}年{sheet.month}月", "song", 10, "right", leading=1.4),
        para("三、每月入户走访（每月一次，走访后打√，请户主签字）", "hei", 11, leading=1.6),
        _visit_table(sheet),
        Spacer(1, 4 * mm),
        para("四、七个管理员事项记录", "hei", 11, leading=1.6),
        para("管理员身份：" + "、".join(sheet.officer_roles), "song", 9, leading=1.5),
        _matter_table(),
        Spacer(1, 8 * mm),
        para(f"{sheet.issuer}审核：____________　　　日期：______年____月____日", "song", 11,
             "right", leading=1.6),
    ]


def _widths(widths_mm: Sequence[float], total: float) -> list[float]:
    scale = total / (sum(widths_mm) * mm)
    return [w * mm * scale for w in widths_mm]


def _day_grid(sheet: LogSheet) -> Table:
    """Days 1–16 and 17–31 side by side; days out of office shaded and crossed out."""
    half = (len(sheet.days) + 1) // 2
    columns = (sheet.days[:half], sheet.days[half:])
    widths = _widths(DAY_WIDTHS_MM, (TEXT_W - 4 * mm) / 2)
    tables = []
    for days in columns:
        rows = [[para(h, "hei", 9, "centre") for h in DAY_HEADERS]]
        shaded = []
        for number, (day, weekday) in enumerate(days, start=1):
            off = day in sheet.off_days
            rows.append([para(f"{day}日", "song", 9, "centre"),
                         para(weekday, "song", 9, "centre"),
                         para("不在任" if off else TICK, "song", 7 if off else 12, "centre"), "", ""])
            if off or weekday in "六日":
                shaded.append(("BACKGROUND", (0, number), (-1, number),
                               LIGHT if off else HEADER_FILL))
        table = Table(rows, colWidths=widths, rowHeights=[7 * mm] + [6.9 * mm] * len(days))
        table.setStyle(grid_style(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL), *TIGHT, *shaded))
        tables.append(table)
    outer = Table([[tables[0], "", tables[1]]], colWidths=[(TEXT_W - 4 * mm) / 2, 4 * mm,
                                                            (TEXT_W - 4 * mm) / 2])
    outer.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), primary_font()),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])
    return outer


def _week_boxes(sheet: LogSheet) -> list:
    height = 20 * mm if len(sheet.weeks) > 4 else 25 * mm
    boxes = []
    for week in sheet.weeks:
        heading = para(f"{week}　　发现问题____处　已整改____处　　胡同长签字：________", "song",
                       9.5, leading=1.3)
        table = Table([[heading], [para("汇总情况：", "song", 9, leading=1.3)]],
                      colWidths=[TEXT_W], rowHeights=[6.5 * mm, height - 6.5 * mm])
        table.setStyle(grid_style(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                                  ("VALIGN", (0, 1), (-1, 1), "TOP")))
        boxes += [table, Spacer(1, 1.5 * mm)]
    return boxes


def _visit_table(sheet: LogSheet) -> Table:
    rows = [[para(h, "hei", 9.5, "centre") for h in VISIT_HEADERS]]
    for number, household in enumerate(sheet.households, start=1):
        rows.append([para(str(number), "song", 9.5, "centre"),
                     para(household.householder, "song", 10, "centre"),
                     para(household.address, "song", 9, "left"),
                     para(TICK, "song", 13, "centre"), para(DATE_BLANK, "song", 8.5, "centre"),
                     "", ""])
    for number in range(len(sheet.households) + 1, max(VISIT_ROWS, len(sheet.households)) + 1):
        rows.append([para(str(number), "song", 9.5, "centre"), "", "", para(TICK, "song", 13, "centre"),
                     para(DATE_BLANK, "song", 8.5, "centre"), "", ""])
    table = Table(rows, colWidths=_widths(VISIT_WIDTHS_MM, TEXT_W),
                  rowHeights=[8 * mm] + [12.5 * mm] * (len(rows) - 1))
    table.setStyle(grid_style(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL), *TIGHT))
    return table


def _matter_table() -> Table:
    rows = [[para(h, "hei", 9.5, "centre") for h in MATTER_HEADERS]]
    rows += [["", "", "", para("□处理中 □已办结 □已上报", "song", 8, "centre")] for _ in range(6)]
    table = Table(rows, colWidths=_widths(MATTER_WIDTHS_MM, TEXT_W),
                  rowHeights=[8 * mm] + [11 * mm] * 6)
    table.setStyle(grid_style(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL)))
    return table
