"""荣誉证书: one A4 landscape page per honoured person, a red double frame, the award text, the
awarding organ over a seal circle, the certificate number."""

from collections.abc import Callable, Sequence

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from models.printing.documents import HonourCertificate
from reports.core.drawing import GREY, INK, RED, Output, draw_wrapped, new_canvas
from reports.core.fonts import draw_text

PAGE = landscape(A4)
BODY_PT, NAME_PT, TITLE_PT = 20, 24, 48


def render_certificates(certificates: Sequence[HonourCertificate], out: Output,
                        progress: Callable[[int, int], None] | None = None) -> int:
    """One page per certificate; returns the number of pages."""
    canvas = new_canvas(out, PAGE, "荣誉证书")
    for number, certificate in enumerate(certificates, start=1):
        _draw(canvas, certificate)
        canvas.showPage()
        if progress:
            progress(number, len(certificates))
    canvas.save()
    return len(certificates)


def award_text(c: HonourCertificate) -> str:
    """The sentence of the certificate: as what he served, and what he was awarded."""
    place = c.unit if c.unit.startswith(c.village) else f"{c.village}{c.unit}"
    serving = f"作为{place.replace('·', '')}{c.role}，" if c.role else f"作为{c.village}的一员，"
    return (f"你在{c.year}年度农村人居环境整治工作中，{serving}认真履职、表现突出，"
            f"被评为{c.year}年度“{c.honour}”。特发此证，以资鼓励。")


def _draw(canvas, c: HonourCertificate) -> None:
    width, height = PAGE
    canvas.saveState()
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(4)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setLineWidth(1)
    canvas.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)
    canvas.setFillColor(RED)
    draw_text(canvas, width / 2, height - 52 * mm, "荣　誉　证　书", TITLE_PT, "title", "centre")
    canvas.setFillColor(INK)
    left, right = 42 * mm, width - 42 * mm
    draw_text(canvas, left, height - 78 * mm, f"{c.name}　同志：", NAME_PT, "fang",
              max_width=right - left)
    draw_wrapped(canvas, "　　" + award_text(c), left, height - 86 * mm, right - left, 52 * mm,
                 BODY_PT, "fang", min_size=14, leading=1.7)
    seal_x, seal_y = width - 86 * mm, 50 * mm
    canvas.setStrokeColor(RED)
    canvas.setDash(3, 3)
    canvas.circle(seal_x, seal_y + 4 * mm, 21 * mm)
    canvas.setDash()
    draw_text(canvas, seal_x, seal_y + 6 * mm, c.issuer, 16, "song", "centre",
              max_width=110 * mm)
    draw_text(canvas, seal_x, seal_y - 4 * mm, f"{c.date.year}年{c.date.month}月{c.date.day}日",
              16, "song", "centre")
    canvas.setFillColor(GREY)
    draw_text(canvas, left, 24 * mm, f"证书编号：{c.number}", 11, "song")
    draw_text(canvas, seal_x, seal_y - 15 * mm, "（盖章）", 10, "song", "centre")
    canvas.restoreState()
