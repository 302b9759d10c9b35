"""Paragraph styles and the document template shared by the flowing (platypus) documents."""

from copy import copy
from functools import cache

from reportlab.lib import textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, Flowable, Paragraph, SimpleDocTemplate, paragraph

from reports.core.drawing import Output
from reports.core.fonts import CHINESE_CANNOT_START, markup, primary_font

# reportlab's line-start prohibition list is Japanese: without the full-width Chinese
# marks a line may begin with "，" or "：". Such a mark then hangs at the end of the line.
for _module in (textsplit, paragraph):  # single-run and multi-run wrapping keep own copies
    if CHINESE_CANNOT_START[0] not in _module.ALL_CANNOT_START:
        _module.ALL_CANNOT_START += CHINESE_CANNOT_START

ALIGN = {"left": TA_LEFT, "centre": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


def style(
    role: str,
    size: float,
    align: str = "left",
    leading: float = 1.5,
    indent_chars: float = 0,
    space_after: float = 0,
) -> ParagraphStyle:
    """wordWrap CJK breaks between any two characters, as Chinese typesetting does."""
    return _style(primary_font(role), size, align, leading, indent_chars, space_after)


@cache
def _style(font, size, align, leading, indent_chars, space_after) -> ParagraphStyle:
    return ParagraphStyle(
        f"{font}-{size}-{align}-{leading}-{indent_chars}-{space_after}",
        fontName=font,
        fontSize=size,
        leading=size * leading,
        alignment=ALIGN[align],
        firstLineIndent=indent_chars * size,
        spaceAfter=space_after,
        wordWrap="CJK",
    )


def para(text: str, role: str = "song", size: float = 12, align: str = "left", **options):
    """A Paragraph of plain text with per-character font fallback."""
    return Paragraph(markup(text, role), style(role, size, align, **options))


def new_document(
    out: Output,
    pagesize,
    title: str,
    margins: tuple[float, float, float, float],
    template_class: type[BaseDocTemplate] = SimpleDocTemplate,
) -> BaseDocTemplate:
    """margins: top, right, bottom, left (the order of a Chinese print dialog).

    Documents with page templates of their own need BaseDocTemplate: SimpleDocTemplate
    replaces them with its own from the second page on.
    """
    top, right, bottom, left = margins
    target = str(out) if not hasattr(out, "write") else out
    return template_class(
        target,
        pagesize=pagesize,
        title=title,
        creator="村治通",
        topMargin=top,
        rightMargin=right,
        bottomMargin=bottom,
        leftMargin=left,
        initialFontName=primary_font("hei"),
    )


class WrapOnce(Flowable):
    """Fixed wording repeated on thousands of pages: line-broken once per width, not per page.

    Breaking Chinese paragraphs is most of the cost of a batch of pledge forms. A frame
    may measure at more than one width, so each width keeps its own broken copy.
    """

    def __init__(self, inner: Flowable):
        super().__init__()
        self.inner = inner
        self._by_width: dict[float, tuple[Flowable, tuple[float, float]]] = {}
        self._current = inner

    def wrap(self, available_width, available_height):
        if available_width not in self._by_width:
            flowable = copy(self.inner)
            self._by_width[available_width] = (flowable, flowable.wrap(available_width, 1e6))
        self._current, (self.width, self.height) = self._by_width[available_width]
        return self.width, self.height

    def getSpaceAfter(self):
        return self.inner.getSpaceAfter()

    def getSpaceBefore(self):
        return self.inner.getSpaceBefore()

    def draw(self):
        self._current.drawOn(self.canv, 0, 0)
