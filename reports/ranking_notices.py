"""Red/black list notices 红黑榜通报: plain notice data built from a published (frozen) list, and a
PDF in the shared official-notice template (reports/core/notice.py), plus an xlsx writer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from models.core import clock
from models.printing.documents import Notice, NoticeTable, chinese_date
from models.ranking.rules import parse_period, score_text
from models.ranking.tables import Colour, Period, RankingEntry, RankingList
from reports.core.notice import render_notice


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
    names: tuple[str, ...] = ()  # people named on the notice: never broken across lines


def _score(entry: RankingEntry) -> str:
    return score_text(entry.score)  # stored 四舍五入 to two decimals when published


def notice_for(listing: RankingList, replaced: RankingList | None = None) -> NoticeData:
    """Everything the notice says, from the frozen list only (names and scores as published);
    a correction names the notice it replaces (`replaced`, the version it supersedes)."""
    ref = parse_period(listing.period)
    office = f"{listing.township_name}人居环境整治工作领导小组办公室"
    kind_words = {Period.MONTH: ("片区", "各村"), Period.QUARTER: ("自然村", "各行政村"),
                  Period.YEAR: ("行政村", "各行政村")}[listing.kind]
    body = [
        f"{kind_words[1]}党支部：",
        (f"根据农村人居环境“红黑榜”评议制度，通过积分量化和群众评议（群众评议、片区长观摩评议、"
         f"党组织书记评议），现将{ref.label}人居环境红黑榜{kind_words[0]}予以通报。"),
    ]
    if listing.version > 1:
        body.append(_correction(listing, replaced, ref.label))
    header, rows = _table(listing)
    sections = []
    if listing.kind is Period.MONTH:
        sections.append(Section("上榜片区群众名单（上榜片区所有群众公示亮相）", [
            f"{e.group_name}{e.unit_name}（{e.colour.label}）：{e.resident_names or '无在册群众'}"
            for e in listing.entries]))
    sections.append(Section("奖惩措施", [CONSEQUENCES[listing.kind]]))
    if listing.unranked:
        sections.append(Section("本期说明（评分不全的单位不参加评选；片区长、胡同长在当年约谈名单上的"
                                "片区不列入红榜）", listing.unranked.split("\n")))
    sections.append(Section("", [("希望受表扬的单位再接再厉，上黑榜的单位认真查找不足、立即整改，"
                                  "共同营造干净整洁的村容村貌。")]))
    sections.append(Section("附：计分与同分处理办法", [listing.formula, listing.tie_break]))
    names = {name for e in listing.entries for name in e.resident_names.split("、") if name}
    names |= {e.head_name for e in listing.entries if e.head_name}
    return NoticeData(office, listing.doc_number, _title(ref.label), body, header, rows,
                      sections, office, listing.published_on, tuple(sorted(names)))


CONSEQUENCES = {
    Period.MONTH: "红榜片区的片区长、胡同长按积分细则加分，黑榜片区的片区长、胡同长按积分细则扣分，"
                  "记入当年积分存折；黑榜片区限期整改。",
    Period.QUARTER: "红榜村予以通报表扬；黑榜村限期整改。",
    Period.YEAR: "红榜村予以通报表扬；黑榜村限期整改，并扣发黑榜村党支部书记绩效补贴。",
}


def _title(period_label: str) -> str:
    return f"关于{period_label}农村人居环境红黑榜的通报"


def _correction(listing: RankingList, replaced: RankingList | None, period_label: str) -> str:
    """The paragraph of a correction: which notice (title, number, date) it replaces."""
    if replaced is None:
        cited = "此前公示的同期通报"
    else:
        number = f"（{replaced.doc_number}）" if replaced.doc_number else ""
        cited = f"{chinese_date(replaced.published_on)}印发的《{_title(period_label)}》{number}"
    return (f"本通报为第{listing.version}版，更正{cited}，原通报同时作废，以本通报为准。"
            f"{listing.change_note}")


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
        rows.append([str(number), names[group_id],
                     "、".join(f"{e.unit_name}（{_score(e)}）" for e in red) or "—",
                     "、".join(f"{e.unit_name}（{_score(e)}）" for e in black) or "—",
                     "；".join(e.reason for e in black) or "—"])
    where = "行政村·自然村" if listing.kind is Period.MONTH else "行政村"
    return ["序号", where, f"红榜{unit}（得分）", f"黑榜{unit}（得分）", "黑榜原因"], rows


# ---- rendering ------------------------------------------------------------------------------
NUMERALS = "一二三四五六七八九十"
TABLE_SHARES = {5: (0.07, 0.24, 0.19, 0.19, 0.31), 6: (0.1, 0.16, 0.14, 0.1, 0.16, 0.34)}


def as_notice(notice: NoticeData) -> Notice:
    """The shared official-notice template's data: sections follow the table, numbered."""
    closing: list[str] = []
    number = 0
    for section in notice.sections:
        if section.heading.startswith("附"):  # an appendix note: not a numbered heading
            closing.append(section.heading)
        elif section.heading:
            closing.append(f"{NUMERALS[number]}、{section.heading}")
            number += 1
        closing += section.paragraphs
    return Notice(
        issuer_mark=notice.issuer_header,
        doc_number=notice.doc_number,
        title=notice.title,
        recipients=notice.body[0],
        paragraphs=tuple(notice.body[1:]),
        issuer=notice.issuer,
        date=notice.issued_on or clock.today(),
        table=NoticeTable(tuple(notice.table_header), tuple(map(tuple, notice.table_rows)),
                          shares=TABLE_SHARES[len(notice.table_header)]),
        closing=tuple(closing),
        names=notice.names,
    )


def render_pdf(notice: NoticeData, target: Path) -> Path:
    """A4 in the official-document look (reports/core/notice.py, GB/T 9704)."""
    target = Path(target)
    render_notice(as_notice(notice), target)
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
    for letter, width in zip("ABCDEF", (10, 22, 26, 26, 40, 40), strict=False):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=4, max_row=4 + len(notice.table_rows)):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    target = Path(target)
    book.save(target)
    return target


def write_notice(listing: RankingList, target: Path, replaced: RankingList | None = None) -> Path:
    """PDF or xlsx by the file's ending; `replaced`: the version a correction supersedes."""
    notice = notice_for(listing, replaced)
    if Path(target).suffix.lower() == ".xlsx":
        return render_xlsx(notice, target)
    return render_pdf(notice, target)
