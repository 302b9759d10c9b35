"""Print-centre speed against bare reportlab loops drawing the same pages (PERFORMANCE.md).

    python tests/benchmarks/bench_print.py [--repeat N]

578 work IDs (10 per A4, a QR each) and 3,070 one-page pledge forms, on the demo
town's scale; prints each time, the bare loop's time and the ratio (aim ≤ 2× and ≤ 1.5×).
"""

import argparse
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

from models.printing.documents import PledgeForm, WorkIdCard
from reports.core import fonts
from reports.core.tables import grid_style
from reports.org import pledge, texts, work_id

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "建国明华军平秀英桂兰志强海燕玉梅德福春生金凤文静丽娟长青永红学军喆淑珍福贵宝山"
VILLAGES = ("韩家村", "李家庄", "王家屯", "张家寨", "刘家洼", "赵家河")


def demo_people(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [
        rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
        for _ in range(count)
    ]


def demo_cards() -> list[WorkIdCard]:
    cards = []
    for number, name in enumerate(demo_people(578, 1)):
        village = VILLAGES[number % 6]
        zone = f"{'南北中东西'[number % 5]}片区"
        is_zone_head = number < 193
        area = zone if is_zone_head else f"{zone}第{number % 8 + 1}胡同"
        role = texts.ZONE_HEAD if is_zone_head else texts.ALLEY_HEAD
        cards.append(
            WorkIdCard(
                name,
                role,
                area,
                village,
                f"GZ-2026-{number + 1:04d}",
                f"中共{village}支部委员会",
                2026,
            )
        )
    return cards


def demo_pledges() -> list[PledgeForm]:
    names = demo_people(3070, 2)
    return [
        PledgeForm(
            name,
            f"{VILLAGES[i % 6]}{'东西南北'[i % 4]}街{i % 90 + 1}号",
            f"第{i % 8 + 1}胡同",
            f"{'南北中'[i % 3]}片区",
            VILLAGES[i % 6],
            "韩书记",
            names[(i + 7) % 3070],
            names[(i + 13) % 3070],
            2026,
            f"MQSB-{i + 1:05d}",
        )
        for i, name in enumerate(names)
    ]


def bare_work_ids(cards: list[WorkIdCard], font: str) -> bytes:
    """The same sheets with plain canvas calls: one font, no fitting, no fallback."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, initialFontName=font)
    width, height = 85.6 * mm, 54 * mm
    for start in range(0, len(cards), 10):
        for slot, card in enumerate(cards[start : start + 10]):
            x, y = work_id.LEFT + slot % 2 * width, work_id.BOTTOM + (4 - slot // 2) * height
            canvas.saveState()
            canvas.translate(x, y)
            canvas.setFillColorRGB(0.78, 0.09, 0.11)
            canvas.rect(0, height - 11 * mm, width, 11 * mm, stroke=0, fill=1)
            canvas.roundRect(0, 0, width, height, 3 * mm, stroke=1, fill=0)
            canvas.setFillColorRGB(0.9, 0.9, 0.9)
            canvas.rect(5 * mm, 11 * mm, 20 * mm, 27 * mm, stroke=1, fill=1)
            canvas.circle(15 * mm, 28 * mm, 4 * mm, stroke=0, fill=1)
            canvas.setFillColorRGB(0, 0, 0)
            canvas.setFont(font, 14)
            canvas.drawCentredString(width / 2, height - 7.6 * mm, "工  作  证")
            for row, (label, value) in enumerate(
                (
                    ("姓名", card.name),
                    ("职务", card.role),
                    ("区域", card.area),
                    ("村别", card.village),
                    ("编号", card.card_number),
                )
            ):
                canvas.setFont(font, 7.5)
                canvas.drawString(28 * mm, (36.5 - row * 5.6) * mm, label)
                canvas.setFont(font, 9)
                canvas.drawString(37 * mm, (36.5 - row * 5.6) * mm, value)
            canvas.setFont(font, 7)
            canvas.drawString(5 * mm, 4 * mm, f"发证单位：{card.issuer}")
            canvas.drawRightString(width - 5 * mm, 4 * mm, f"{card.year}年度")
            _bare_qr(canvas, card.card_number, width - 23 * mm, 14 * mm, 18 * mm)
            canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _bare_qr(canvas, data: str, x: float, y: float, size: float) -> None:
    matrix = segno.make(data, error="m", micro=False).matrix
    module = size / len(matrix)
    path = canvas.beginPath()
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                path.rect(x + c * module, y + size - (r + 1) * module, module, module)
    canvas.drawPath(path, stroke=0, fill=1)


def bare_pledges(forms: list[PledgeForm], font: str) -> bytes:
    """The same pages with plain Paragraphs and Tables: one font, no fallback, no fitting."""
    out = io.BytesIO()
    body = ParagraphStyle(
        "b", fontName=font, fontSize=12, leading=20.4, firstLineIndent=24, wordWrap="CJK"
    )
    cell = ParagraphStyle("c", fontName=font, fontSize=11, leading=14.3, wordWrap="CJK")
    title = ParagraphStyle("t", fontName=font, fontSize=22, leading=28.6, alignment=1)
    text_w = A4[0] - 44 * mm
    story = []
    for form in forms:
        info = Table(
            [
                [
                    Paragraph("户主", cell),
                    Paragraph(form.householder, cell),
                    Paragraph("所属村", cell),
                    Paragraph(form.village, cell),
                ],
                [
                    Paragraph("片区", cell),
                    Paragraph(form.zone, cell),
                    Paragraph("胡同", cell),
                    Paragraph(form.alley, cell),
                ],
                [Paragraph("门牌地址", cell), Paragraph(form.address, cell), "", ""],
            ],
            colWidths=[24 * mm, (text_w - 48 * mm) / 2] * 2,
        )
        info.setStyle(grid_style(("SPAN", (1, 2), (3, 2))))
        names = (form.party_secretary, form.zone_head, form.alley_head, form.householder)
        signatures = Table(
            [[Paragraph(h, cell) for h in texts.SIGN_HEADERS]]
            + [
                [Paragraph(r, cell), Paragraph(n, cell), "", "", Paragraph(texts.DATE_BLANK, cell)]
                for r, n in zip(texts.SIGNATORIES, names, strict=True)
            ],
            colWidths=[28 * mm, 30 * mm, text_w - 118 * mm, 24 * mm, 36 * mm],
            rowHeights=[9 * mm] + [25 * mm] * 4,
        )
        signatures.setStyle(grid_style())
        story += [
            Paragraph(form.number, cell),
            Paragraph(texts.PLEDGE_TITLE, title),
            info,
            Spacer(1, 5 * mm),
            Paragraph(texts.PLEDGE_INTRO, body),
        ]
        story += [Paragraph(f"{name}：{duty}", body) for name, duty in texts.THREE_GUARANTEES]
        story += [
            Paragraph(texts.PLEDGE_CLOSING, body),
            Paragraph("本责任书自签订之日起生效。", body),
            signatures,
            PageBreak(),
        ]
    SimpleDocTemplate(
        out,
        pagesize=A4,
        topMargin=20 * mm,
        bottomMargin=18 * mm,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
    ).build(story[:-1])
    return out.getvalue()


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def compare(label: str, program, bare, repeat: int, aim: float) -> None:
    ours = min(timed(program) for _ in range(repeat))
    floor = min(timed(bare) for _ in range(repeat))
    verdict = "ok" if ours <= aim * floor else "SLOWER THAN AIM"
    print(
        f"{label}: program {ours:.2f} s, bare loop {floor:.2f} s, "
        f"ratio {ours / floor:.2f} (aim ≤ {aim}) {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs each")
    repeat = parser.parse_args().repeat
    font = fonts.primary_font("hei")  # registered once, outside the timings, for both sides
    fonts.primary_font("song"), fonts.primary_font("title")
    cards, forms = demo_cards(), demo_pledges()
    compare(
        "578 work IDs (10 per A4, QR each)",
        lambda: work_id.render_work_ids(cards, io.BytesIO()),
        lambda: bare_work_ids(cards, font),
        repeat,
        2.0,
    )
    compare(
        "3,070 pledge forms (one page each)",
        lambda: pledge.render_pledges(forms, io.BytesIO()),
        lambda: bare_pledges(forms, font),
        repeat,
        1.5,
    )


if __name__ == "__main__":
    main()
