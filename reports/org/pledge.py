"""门前三包责任书: one filled-in A4 page per household, four signature and fingerprint boxes.

Everything but the household's own words is the same on every page of a batch: the title, the
wording, the tables' rules and labels are drawn once into a PDF form (an XObject) and each page
places that form and writes only the number, the household, its heads' names and the address.
3,070 forms cost little more than writing those words; the file holds the wording once.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from models.printing.documents import PledgeForm
from reports.core.drawing import INK, Output, at_most_two_lines, draw_wrapped, new_canvas
from reports.core.fonts import draw_text, primary_font
from reports.core.styles import para
from reports.core.tables import grid_style
from reports.org import texts

MARGINS = (20 * mm, 22 * mm, 18 * mm, 22 * mm)  # top, right, bottom, left
TEXT_W = A4[0] - MARGINS[1] - MARGINS[3]
LEFT, TOP = MARGINS[3], A4[1] - MARGINS[0]
NUMERALS = "一二三"
LABEL_W = 24 * mm
VALUE_W = (TEXT_W - 2 * LABEL_W) / 2
INFO_ROWS = (9 * mm, 9 * mm, 13 * mm)  # 户主/所属村, 片区/胡同, 门牌地址 (two lines)
SIGN_WIDTHS = (28 * mm, 30 * mm, TEXT_W - 118 * mm, 24 * mm, 36 * mm)
SIGN_ROWS = (9 * mm, 25 * mm, 25 * mm, 25 * mm, 25 * mm)
VALUE_PT, NAME_PT, PAD = 11, 11, 2 * mm


@dataclass(frozen=True)
class _Layout:
    """Where the household's words go: the tops of the two tables (the rest is in the form)."""

    form: str
    info_top: float
    sign_top: float


def render_pledges(
    forms: Sequence[PledgeForm], out: Output, progress: Callable[[int, int], None] | None = None
) -> int:
    """One page per household, in the given order; returns the number of pages.

    progress(pages done, pages in all) is called after each page (it may raise to stop)."""
    canvas = new_canvas(out, A4, "门前三包责任书")
    drawn: set[str] = set()
    for done, form in enumerate(forms, 1):
        layout = _layout(form.year, primary_font("song"))
        if layout.form not in drawn:
            _draw_fixed(canvas, layout, form.year)
            drawn.add(layout.form)
        canvas.doForm(layout.form)
        _household_words(canvas, form, layout)
        canvas.showPage()
        if progress:
            progress(done, len(forms))
    canvas.save()
    return len(forms)


def _fixed_flowables(year: int) -> list:
    body = {"leading": 1.7, "indent_chars": 2}
    duties = [f"{numeral}、{name}：{duty}"
              for numeral, (name, duty) in zip(NUMERALS, texts.THREE_GUARANTEES, strict=True)]
    wording = [para(text, "song", 12, "justify", **body)
               for text in (texts.PLEDGE_INTRO, *duties, texts.PLEDGE_CLOSING)]
    validity = f"本责任书自签订之日起生效，有效期至{year}年12月31日。"
    return [
        Spacer(1, 5 * mm),  # the number line
        para(texts.PLEDGE_TITLE, "title", 22, "centre", leading=1.3, space_after=5 * mm),
        _info_table(),
        Spacer(1, 5 * mm),
        *wording,
        para(validity, "song", 12, space_after=4 * mm, **body),
        _signature_table(),
    ]


# Keyed on the font name too: switching font discovery changes the registered names.
@cache
def _layout(year: int, font: str) -> _Layout:
    y, tops = TOP, {}
    for flowable in _fixed_flowables(year):
        _, height = flowable.wrap(TEXT_W, A4[1])
        if isinstance(flowable, Table):
            tops[len(tops)] = y
        y -= height + flowable.getSpaceAfter()
    return _Layout(f"pledge-{year}-{font}", tops[0], tops[1])


def _draw_fixed(canvas, layout: _Layout, year: int) -> None:
    canvas.beginForm(layout.form)
    y = TOP
    for flowable in _fixed_flowables(year):
        _, height = flowable.wrap(TEXT_W, A4[1])
        flowable.drawOn(canvas, LEFT, y - height)
        y -= height + flowable.getSpaceAfter()
    canvas.endForm()


def _info_table() -> Table:
    rows = [["户　　主", "", "所属村", ""], ["片　　区", "", "胡　同", ""], ["门牌地址", "", "", ""]]
    table = Table(rows, colWidths=[LABEL_W, VALUE_W, LABEL_W, VALUE_W], rowHeights=INFO_ROWS)
    table.setStyle(grid_style(("SPAN", (1, 2), (3, 2)), *_label_cells((0, 0), (0, -1)),
                              *_label_cells((2, 0), (2, 1))))
    return table


def _signature_table() -> Table:
    rows = [list(texts.SIGN_HEADERS)] + [
        [role, "", "", "", texts.DATE_BLANK] for role in texts.SIGNATORIES]
    table = Table(rows, colWidths=SIGN_WIDTHS, rowHeights=SIGN_ROWS)
    table.setStyle(grid_style(*_label_cells((0, 0), (-1, 0)), *_label_cells((0, 1), (0, -1)),
                              ("FONTSIZE", (4, 1), (4, -1), 10), ("ALIGN", (4, 1), (4, -1), "CENTER")))
    return table


def _label_cells(start: tuple[int, int], end: tuple[int, int]) -> tuple:
    """Table-style commands for fixed label cells: 11 pt Hei, centred."""
    return (
        ("FONTNAME", start, end, primary_font("hei")),
        ("FONTSIZE", start, end, 11),
        ("ALIGN", start, end, "CENTER"),
    )


def _household_words(canvas, form: PledgeForm, layout: _Layout) -> None:
    canvas.setFillColor(INK)
    if form.number:
        draw_text(canvas, LEFT + TEXT_W, TOP - 9, f"编号：{form.number}", 9, "hei", "right")
    first, second = layout.info_top - INFO_ROWS[0] / 2, layout.info_top - INFO_ROWS[0] - INFO_ROWS[1] / 2
    for x, centre, value in ((LEFT + LABEL_W, first, form.householder),
                             (LEFT + 2 * LABEL_W + VALUE_W, first, form.village),
                             (LEFT + LABEL_W, second, form.zone),
                             (LEFT + 2 * LABEL_W + VALUE_W, second, form.alley)):
        draw_text(canvas, x + PAD, centre - 0.35 * VALUE_PT, value, VALUE_PT, "song",
                  max_width=VALUE_W - 2 * PAD)
    address_top = layout.info_top - INFO_ROWS[0] - INFO_ROWS[1]
    draw_wrapped(canvas, form.address, LEFT + LABEL_W + PAD, address_top - 1.5 * mm,
                 TEXT_W - LABEL_W - 2 * PAD, INFO_ROWS[2] - 2 * mm, VALUE_PT, "song", leading=1.25)
    names = (form.party_secretary, form.zone_head, form.alley_head, form.householder)
    x = LEFT + SIGN_WIDTHS[0]
    top = layout.sign_top - SIGN_ROWS[0]
    for name in names:
        _centred_name(canvas, name, x, top, SIGN_WIDTHS[1], SIGN_ROWS[1])
        top -= SIGN_ROWS[1]


def _centred_name(canvas, name: str, x: float, top: float, width: float, height: float) -> None:
    """A name centred in its box; a long one in two lines rather than squeezed."""
    room = width - 2 * PAD
    lines = at_most_two_lines(name, room, NAME_PT, "song")
    pitch = NAME_PT * 1.3
    baseline = top - height / 2 + (len(lines) - 1) * pitch / 2 - 0.35 * NAME_PT
    for line in lines:
        draw_text(canvas, x + width / 2, baseline, line, NAME_PT, "song", "centre", max_width=room)
        baseline -= pitch
