"""Red/black list notices 红黑榜通报: plain notice data built from a published (frozen) list, and a
small reportlab renderer plus an xlsx writer for it.

The data builder (`notice_for`) is separate from the renderer on purpose: at merge the renderer is
to be replaced by the shared official-notice template in reports/, which takes the same fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from models.ranking import Colour, Period, RankingEntry, RankingList
from models.ranking_rules import parse_period
from reports.fonts import primary_font

FONT_NAME = "CunzhiNoticeFont"


@dataclass
class Section:
    heading: str
    paragraphs: list[str]


@dataclass
class NoticeData:
    issuer_header: str  # the red header line, e.g. "韩集镇人居环境整治工作领导小组办公室"
    doc_number: str
    title: str
    body: list[str]
    table_header: list[str]
    table_rows: list[list[str]]
    sections: list[Section] = field(default_factory=list)
    issuer: str = ""
    issued_on: date | None = None


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _score(entry: RankingEntry) -> str:
    return f"{entry.score:.2f}"


def notice_for(listing: RankingList) -> NoticeData:
    """Everything the notice says, from the frozen list only (names and scores as published)."""
    ref = parse_period(listing.period)
    office = f"{listing.township_name}人居环境整治工作领导小组办公室"
    kind_words = {Period.MONTH: ("片区", "各村"), Period.QUARTER: ("自然村", "各行政村"),
                  Period.YEAR: ("行政村", "各行政村")}[listing.kind]
    body = [
        f"{kind_words[1]}党支部：",
        (f"根据农村人居环境“红黑榜”评议制度，经群众评议、片区长观摩评议和党组织书记评议，"
         f"现将{ref.label}人居环境红黑榜{kind_words[0]}予以通报。"),
    ]
    if listing.version > 1:
        body.append(f"本通报为第{listing.version}版，更正此前公示的同期通报。{listing.change_note}")
    header, rows = _table(listing)
    sections = []
    if listing.kind is Period.MONTH:
        sections.append(Section("上榜片区群众名单（上榜片区所有群众公示亮相）", [
            f"{e.group_name}{e.unit_name}（{e.colour.label}）：{e.resident_names or '无在册群众'}"
            for e in listing.entries]))
    else:
        sections.append(Section("奖惩措施", [
            "红榜单位予以通报表扬；黑榜单位限期整改，并扣发黑榜村党支部书记绩效补贴。"]))
    if listing.unranked:
        sections.append(Section("本期未评选的单位", listing.unranked.split("\n")))
    sections.append(Section("", [("希望受表扬的单位再接再厉，上黑榜的单位认真查找不足、立即整改，"
                                  "共同营造干净整洁的村容村貌。")]))
    sections.append(Section("附：计分与同分处理办法", [listing.formula, listing.tie_break]))
    return NoticeData(office, listing.doc_number, f"关于{ref.label}农村人居环境红黑榜的通报",
                      body, header, rows, sections, office, listing.published_on)


def _table(listing: RankingList) -> tuple[list[str], list[list[str]]]:
    if listing.kind is Period.YEAR:
        rows = [[e.colour.label, e.unit_name, _score(e), f"{e.rank}/{e.group_size}", e.head_name,
                 e.reason or "—"] for e in listing.entries]
        return ["类别", "行政村", "年度得分", "名次", "党支部书记", "黑榜原因"], rows
    groups: dict[int | None, dict[Colour, list[RankingEntry]]] = {}
    names: dict[int | None, str] = {}
    for entry in listing.entries:
        groups.setdefault(entry.group_id, {Colour.RED: [], Colour.BLACK: []})[entry.colour].append(entry)
        names[entry.group_id] = entry.group_name
    unit = "片区" if listing.kind is Period.MONTH else "村"
    rows = []
    for number, (group_id, by_colour) in enumerate(groups.items(), start=1):
        red, black = by_colour[Colour.RED], by_colour[Colour.BLACK]
        rows.append([str(number), names[group_id].replace("·", " "),
                     "、".join(f"{e.unit_name}（{_score(e)}）" for e in red) or "—",
                     "、".join(f"{e.unit_name}（{_score(e)}）" for e in black) or "—",
                     "；".join(e.reason for e in black) or "—"])
    where = "行政村 自然村" if listing.kind is Period.MONTH else "行政村"
    return ["序号", where, f"红榜{unit}（得分）", f"黑榜{unit}（得分）", "黑榜原因"], rows


# ---- rendering ------------------------------------------------------------------------------
def _register_font() -> None:
    """The shared print font (registered once per process by reports.fonts)."""
    global FONT_NAME
    FONT_NAME = primary_font("fang")


def render_pdf(notice: NoticeData, target: Path) -> Path:
    """A4, GB/T 9704 margins: red header, doc number, red rule, title (2号), body (3号)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        HRFlowable,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    _register_font()
    red = colors.HexColor("#C00000")
    base = ParagraphStyle("body", fontName=FONT_NAME, fontSize=16, leading=28, firstLineIndent=32,
                          wordWrap="CJK")
    styles = {
        "header": ParagraphStyle("header", parent=base, fontSize=22, leading=32, textColor=red,
                                 alignment=TA_CENTER, firstLineIndent=0),
        "number": ParagraphStyle("number", parent=base, alignment=TA_CENTER, firstLineIndent=0),
        "title": ParagraphStyle("title", parent=base, fontSize=22, leading=32, alignment=TA_CENTER,
                                firstLineIndent=0),
        "salutation": ParagraphStyle("salutation", parent=base, firstLineIndent=0),
        "heading": ParagraphStyle("heading", parent=base, firstLineIndent=32),
        "small": ParagraphStyle("small", parent=base, fontSize=12, leading=20, firstLineIndent=24),
        "cell": ParagraphStyle("cell", parent=base, fontSize=11, leading=15, firstLineIndent=0),
        "sign": ParagraphStyle("sign", parent=base, alignment=TA_RIGHT, firstLineIndent=0),
    }
    flow = [Paragraph(notice.issuer_header, styles["header"]), Spacer(1, 4 * mm),
            Paragraph(notice.doc_number, styles["number"]),
            HRFlowable(width="100%", thickness=1.5, color=red, spaceBefore=2 * mm, spaceAfter=6 * mm),
            Paragraph(notice.title, styles["title"]), Spacer(1, 4 * mm)]
    for index, text in enumerate(notice.body):
        flow.append(Paragraph(text, styles["salutation"] if index == 0 else styles["heading"]))
    cell = styles["cell"]
    data = [[Paragraph(h, cell) for h in notice.table_header]] + \
        [[Paragraph(c, cell) for c in row] for row in notice.table_rows]
    width = A4[0] - 54 * mm
    shares = [0.07, 0.2, 0.22, 0.22, 0.29] if len(notice.table_header) == 5 else \
        [0.1, 0.16, 0.14, 0.1, 0.16, 0.34]
    table = Table(data, colWidths=[width * s for s in shares], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    flow += [Spacer(1, 3 * mm), table, Spacer(1, 3 * mm)]
    for section in notice.sections:
        if section.heading:
            flow.append(Paragraph(section.heading, styles["heading"]))
        flow += [Paragraph(text, styles["small"]) for text in section.paragraphs]
    flow += [Spacer(1, 10 * mm), Paragraph(notice.issuer, styles["sign"])]
    if notice.issued_on:
        flow.append(Paragraph(chinese_date(notice.issued_on), styles["sign"]))
    target = Path(target)
    document = SimpleDocTemplate(str(target), pagesize=A4, topMargin=37 * mm, bottomMargin=35 * mm,
                                 leftMargin=28 * mm, rightMargin=26 * mm, title=notice.title,
                                 author=notice.issuer)
    document.initialFontName = FONT_NAME  # no stray unembedded Helvetica in the file
    document.build(flow)
    return target


def render_xlsx(notice: NoticeData, target: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "红黑榜"
    sheet.append([notice.title])
    sheet["A1"].font = Font(size=16, bold=True)
    sheet.append([notice.doc_number])
    sheet.append([])
    sheet.append(notice.table_header)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in notice.table_rows:
        sheet.append(row)
    for section in notice.sections:
        sheet.append([])
        if section.heading:
            sheet.append([section.heading])
        for text in section.paragraphs:
            sheet.append([text])
    sheet.append([])
    sheet.append([notice.issuer])
    if notice.issued_on:
        sheet.append([chinese_date(notice.issued_on)])
    for letter, width in zip("ABCDEF", (10, 22, 26, 26, 40, 40)):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=4, max_row=4 + len(notice.table_rows)):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    target = Path(target)
    book.save(target)
    return target


def write_notice(listing: RankingList, target: Path) -> Path:
    """PDF or xlsx by the file's ending."""
    notice = notice_for(listing)
    if Path(target).suffix.lower() == ".xlsx":
        return render_xlsx(notice, target)
    return render_pdf(notice, target)
