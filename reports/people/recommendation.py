"""后备人才推荐表: one A4 page per person — particulars beside a 25 × 35 mm photo space, the
evidence of entry, the record (points, red lists, honours, assessment, appointments), the status
history, and the village's and the township's opinion with signature, seal and date spaces."""

from collections.abc import Callable, Sequence
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepInFrame, PageBreak, Spacer, Table

from models.printing.documents import RecommendationForm
from reports.core.drawing import Output
from reports.core.fonts import primary_font
from reports.core.styles import new_document, para
from reports.core.tables import grid_style

MARGINS = (18 * mm, 20 * mm, 16 * mm, 20 * mm)
TEXT_W = A4[0] - MARGINS[1] - MARGINS[3]
FRAME_H = A4[1] - MARGINS[0] - MARGINS[2] - 12
LABEL_W, PHOTO_W = 26 * mm, 34 * mm
PHOTO = (25 * mm, 35 * mm)


def render_forms(forms: Sequence[RecommendationForm], out: Output,
                 progress: Callable[[int, int], None] | None = None) -> int:
    story: list = []
    for index, form in enumerate(forms):
        if index:
            story.append(PageBreak())
        story.append(KeepInFrame(TEXT_W, FRAME_H, form_flowables(form), mode="shrink"))
    document = new_document(out, A4, "后备人才推荐表", MARGINS)
    if progress:
        def report(canvas, doc):
            return progress(doc.page, len(forms))
        document.build(story, onFirstPage=report, onLaterPages=report)
    else:
        document.build(story)
    return document.page


def form_flowables(form: RecommendationForm) -> list:
    return [
        para("后备人才推荐表", "title", 22, "centre", leading=1.3, space_after=2 * mm),
        para(f"名册：{form.category}　　入库日期：{form.entered_on}", "song", 10.5, "right",
             leading=1.6, space_after=2 * mm),
        _table(form),
    ]


def _cell(text: str, size: float = 11) -> object:
    return para(text, "song", size, leading=1.35)


def _lines(lines: Sequence[str], empty: str, least: float) -> list:
    """The lines of a record cell, padded to at least `least` high so the form fills its page."""
    cells = [_cell(line, 10) for line in lines] or [_cell(empty, 10)]
    return [*cells, Spacer(1, max(0.0, least - len(cells) * 5 * mm))]


def _opinion(organ: str) -> list:
    return [Spacer(1, 30 * mm),
            para(f"{organ}（盖章）　　负责人签字：　　　　　　　", "song", 11, "right", leading=1.6),
            para("年　　月　　日", "song", 11, "right", leading=1.6)]


def _photo(form: RecommendationForm) -> object:
    if form.photo:
        return Image(BytesIO(form.photo), *PHOTO, kind="proportional")
    return [para("照　片", "song", 10, "centre", leading=1.6),
            para("（一寸）", "song", 10, "centre", leading=1.6)]


def _table(form: RecommendationForm) -> Table:
    value_w = (TEXT_W - 2 * LABEL_W - PHOTO_W) / 2
    born = "" if form.birth_year is None else f"{form.birth_year}年"
    rows = [
        ["姓　　名", _cell(form.name), "性　　别", _cell(form.gender), _photo(form)],
        ["出生年份", _cell(born), "政治面貌", _cell(form.political), ""],
        ["所 在 村", _cell(form.village), "现任职务", _cell(form.role or "—"), ""],
        ["所在片区", _cell(form.place), "", "", ""],
        ["入库依据", _cell(form.evidence), "", "", ""],
        ["主要表现", _lines(form.record, "（无积分、红黑榜、荣誉、测评记录）", 55 * mm), "", "", ""],
        ["培养情况", _lines(form.history, "—", 25 * mm), "", "", ""],
        ["村党支部\n意　　见", _opinion(form.village_organ), "", "", ""],
        ["镇 党 委\n意　　见", _opinion(form.township_organ), "", "", ""],
    ]
    table = Table(rows, colWidths=[LABEL_W, value_w, LABEL_W, value_w, PHOTO_W],
                  rowHeights=[10 * mm, 10 * mm, 10 * mm, 10 * mm, None, None, None, None, None])
    label = primary_font("hei")
    table.setStyle(grid_style(
        ("SPAN", (4, 0), (4, 3)),
        ("SPAN", (1, 3), (3, 3)),
        *(("SPAN", (1, r), (4, r)) for r in range(4, 9)),
        ("FONTNAME", (0, 0), (0, -1), label), ("FONTNAME", (2, 0), (2, 2), label),
        ("FONTSIZE", (0, 0), (-1, -1), 11),
        ("ALIGN", (0, 0), (0, -1), "CENTER"), ("ALIGN", (2, 0), (2, 2), "CENTER"),
        ("ALIGN", (4, 0), (4, 3), "CENTER"),
        ("VALIGN", (1, 5), (1, 8), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ))
    return table
