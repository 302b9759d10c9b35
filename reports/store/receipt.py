"""兑换凭证: the receipt printed at the counter, on A5 or on an 80 mm till roll."""

from dataclasses import dataclass

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm

from models.printing.documents import Receipt
from reports.core.drawing import GREY, INK, Output, new_canvas, wrap_lines
from reports.core.fonts import draw_text


@dataclass(frozen=True)
class Paper:
    width: float
    margin: float
    size: float  # body font size
    fixed_height: float | None  # None: a roll, cut to the content


PAPERS = {"A5": Paper(A5[0], 14 * mm, 11, A5[1]), "roll80": Paper(80 * mm, 4 * mm, 9, None)}


def render_receipt(receipt: Receipt, out: Output, paper: str = "A5") -> int:
    """Write the receipt on one page; returns 1."""
    spec = PAPERS[paper]
    lines = _layout(receipt, spec)
    height = spec.fixed_height or sum(step for step, _ in lines) + 2 * spec.margin
    canvas = new_canvas(out, (spec.width, height), f"兑换凭证 {receipt.number}")
    y = height - spec.margin
    for step, draw in lines:
        y -= step
        draw(canvas, y)
    canvas.showPage()
    canvas.save()
    return 1


def _layout(receipt: Receipt, spec: Paper) -> list:
    """(line height, draw(canvas, baseline)) pairs, top to bottom."""
    size, left, right = spec.size, spec.margin, spec.width - spec.margin
    width = right - left
    qty_x, points_x = right - width * 0.18, right
    goods_w = width * 0.58
    step = size * 1.6

    def text(value, x=left, align="left", font_size=size, role="song", colour=INK):
        def draw(canvas, y):
            canvas.setFillColor(colour)
            draw_text(canvas, x, y, value, font_size, role, align, max_width=width)

        return draw

    def rule(canvas, y):
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.6)
        canvas.setDash(2, 2)
        canvas.line(left, y + size * 0.5, right, y + size * 0.5)
        canvas.setDash()

    def row(*cells):
        return lambda canvas, y: [cell(canvas, y) for cell in cells]

    moment = receipt.time.strftime("%Y-%m-%d %H:%M")
    lines = [
        (size * 2, text("积分兑换凭证", spec.width / 2, "centre", size * 1.6, "title")),
        (step * 1.2, text(f"凭证号：{receipt.number}", colour=GREY)),
        (step, text(f"时　间：{moment}", colour=GREY)),
        (step, text(f"兑换人：{receipt.head}（{receipt.village}）")),
        (step * 0.8, rule),
        (
            step,
            row(
                text("物品", role="hei"),
                text("数量", qty_x, "right", role="hei"),
                text("积分", points_x, "right", role="hei"),
            ),
        ),
    ]
    for line in receipt.lines:
        names = wrap_lines(line.goods, goods_w, size, "song") or [""]
        lines.append(
            (
                step,
                row(
                    text(names[0]),
                    text(f"{line.quantity}{line.unit}", qty_x, "right"),
                    text(str(line.points), points_x, "right"),
                ),
            )
        )
        lines += [(step, text(more)) for more in names[1:]]
    lines += [
        (step * 0.8, rule),
        (
            step,
            row(
                text("合计积分", role="hei"),
                text(str(receipt.total), points_x, "right", role="hei"),
            ),
        ),
        (
            step,
            row(text("兑换后可兑换积分"), text(str(receipt.spendable_after), points_x, "right")),
        ),
        (step * 1.4, text(f"经办人：{receipt.operator}")),
        *([(step, text(f"校验码：{receipt.verification}", colour=GREY))]
          if receipt.verification else []),
        (step * 2, text("兑换人签字：＿＿＿＿＿＿＿＿")),
        (
            step * 1.6,
            text(
                "积分仅限兑换物品，不兑现金。请妥善保管本凭证。",
                spec.width / 2,
                "centre",
                size * 0.8,
                colour=GREY,
            ),
        ),
    ]
    return lines
