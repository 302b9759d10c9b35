"""Print-centre speed against bare reportlab loops drawing the same pages (PERFORMANCE.md).

    python tests/benchmarks/bench_print.py [--repeat N]
    python tests/benchmarks/bench_print.py --bare KIND DATA.json OUT.pdf

578 work IDs (10 per A4, a QR each) and 3,070 one-page pledge forms, on the demo
town's scale, in this process: each time, the bare loop's time and the ratio (aim ≤ 2× and
≤ 1.5×). With --bare it runs only the bare loop, as a process of its own, on cards or forms
saved as JSON (bench_print_demo.py times it beside `main.py print`): the program's own font
files registered with reportlab directly, then plain canvas calls, Paragraphs and Tables, every
page drawn in full.
"""

import argparse
import io
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from models.printing.documents import PledgeForm, WorkIdCard
from reports.core import font_files
from reports.org import texts

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "建国明华军平秀英桂兰志强海燕玉梅德福春生金凤文静丽娟长青永红学军喆淑珍福贵宝山"
VILLAGES = ("韩家村", "李家庄", "王家屯", "张家寨", "刘家洼", "赵家河")
CARD_W, CARD_H = 85.6 * mm, 54 * mm
SHEET_LEFT, SHEET_BOTTOM = (A4[0] - 2 * CARD_W) / 2, (A4[1] - 5 * CARD_H) / 2


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
        cards.append(WorkIdCard(name, role, area, village, f"GZ-2026-{number + 1:04d}",
                                f"中共{village}支部委员会", 2026, natural_village=village[:2]))
    return cards


def demo_pledges() -> list[PledgeForm]:
    names = demo_people(3070, 2)
    return [
        PledgeForm(name, f"{VILLAGES[i % 6]}{'东西南北'[i % 4]}街{i % 90 + 1}号",
                   f"第{i % 8 + 1}胡同", f"{'南北中'[i % 3]}片区", VILLAGES[i % 6], "韩书记",
                   names[(i + 7) % 3070], names[(i + 13) % 3070], 2026, f"MQSB-{i + 1:05d}")
        for i, name in enumerate(names)
    ]


def register_bare_fonts() -> dict[str, str]:
    """The shipped faces the program uses, registered straight with reportlab: role → name."""
    faces = {"hei": font_files.SHIPPED_PRIMARY, "song": font_files.SHIPPED_SERIF,
             "title": font_files.SHIPPED_TITLE}
    for role, face in faces.items():
        pdfmetrics.registerFont(TTFont(f"bare-{role}", face.path))
    return {role: f"bare-{role}" for role in faces}


def bare_work_ids(cards: list[WorkIdCard], fonts: dict[str, str], out) -> None:
    """The same sheets with plain canvas calls, every card drawn in full: no form, no fitting,
    no fallback."""
    font = fonts["hei"]
    canvas = Canvas(out, pagesize=A4, initialFontName=font)
    for start in range(0, len(cards), 10):
        for slot, card in enumerate(cards[start : start + 10]):
            x, y = SHEET_LEFT + slot % 2 * CARD_W, SHEET_BOTTOM + (4 - slot // 2) * CARD_H
            canvas.saveState()
            canvas.translate(x, y)
            canvas.setFillColorRGB(0.78, 0.09, 0.11)
            canvas.rect(0, CARD_H - 10 * mm, CARD_W, 10 * mm, stroke=0, fill=1)
            canvas.roundRect(0, 0, CARD_W, CARD_H, 3 * mm, stroke=1, fill=0)
            canvas.setFillColorRGB(0.9, 0.9, 0.9)
            canvas.rect(4 * mm, 5.5 * mm, 25 * mm, 35 * mm, stroke=1, fill=1)
            canvas.circle(16.5 * mm, 27 * mm, 5 * mm, stroke=0, fill=1)
            canvas.setFillColorRGB(0, 0, 0)
            canvas.setFont(font, 14)
            canvas.drawCentredString(CARD_W / 2, CARD_H - 6.9 * mm, "工  作  证")
            rows = (("姓名", card.name), ("职务", card.role), ("村别", card.village),
                    ("区域", f"{card.natural_village}·{card.area}"), ("编号", card.card_number))
            for (label, value), baseline in zip(rows, (37.8, 29.6, 25.3, 21.0, 12.0), strict=True):
                canvas.setFont(font, 7)
                canvas.drawString(31.5 * mm, baseline * mm, label)
                canvas.setFont(font, 9)
                canvas.drawString(39.5 * mm, baseline * mm, value)
            canvas.setFont(font, 7)
            canvas.drawCentredString(CARD_W - 12.5 * mm, 11 * mm, card.issuer)
            canvas.drawCentredString(CARD_W - 12.5 * mm, 4.5 * mm, f"{card.year}年度")
            _bare_qr(canvas, card.card_number, CARD_W - 21 * mm, 24.5 * mm, 17 * mm)
            canvas.restoreState()
        canvas.showPage()
    canvas.save()


def _bare_qr(canvas, data: str, x: float, y: float, size: float) -> None:
    matrix = segno.make(data, error="m", micro=False).matrix
    module = size / len(matrix)
    path = canvas.beginPath()
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                path.rect(x + c * module, y + size - (r + 1) * module, module, module)
    canvas.drawPath(path, stroke=0, fill=1)


def bare_pledges(forms: list[PledgeForm], fonts: dict[str, str], out) -> None:
    """The same pages with plain Paragraphs and Tables, each page laid out in full."""
    body = ParagraphStyle("b", fontName=fonts["song"], fontSize=12, leading=20.4,
                          firstLineIndent=24, wordWrap="CJK")
    cell = ParagraphStyle("c", fontName=fonts["song"], fontSize=11, leading=14.3, wordWrap="CJK")
    label = ParagraphStyle("l", fontName=fonts["hei"], fontSize=11, leading=14.3, alignment=1)
    title = ParagraphStyle("t", fontName=fonts["title"], fontSize=22, leading=28.6, alignment=1)
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"),
                       ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                       ("FONTNAME", (0, 0), (-1, -1), fonts["song"])])
    text_w = A4[0] - 44 * mm
    story = []
    for form in forms:
        info = Table(
            [[Paragraph("户主", label), Paragraph(form.householder, cell),
              Paragraph("所属村", label), Paragraph(form.village, cell)],
             [Paragraph("片区", label), Paragraph(form.zone, cell),
              Paragraph("胡同", label), Paragraph(form.alley, cell)],
             [Paragraph("门牌地址", label), Paragraph(form.address, cell), "", ""]],
            colWidths=[24 * mm, (text_w - 48 * mm) / 2] * 2)
        info.setStyle(grid)
        info.setStyle([("SPAN", (1, 2), (3, 2))])
        names = (form.party_secretary, form.zone_head, form.alley_head, form.householder)
        signatures = Table(
            [[Paragraph(h, label) for h in texts.SIGN_HEADERS]]
            + [[Paragraph(r, label), Paragraph(n, cell), "", "", Paragraph(texts.DATE_BLANK, cell)]
               for r, n in zip(texts.SIGNATORIES, names, strict=True)],
            colWidths=[28 * mm, 30 * mm, text_w - 118 * mm, 24 * mm, 36 * mm],
            rowHeights=[9 * mm] + [25 * mm] * 4)
        signatures.setStyle(grid)
        duties = [f"{n}、{name}：{duty}" for n, (name, duty) in zip("一二三", texts.THREE_GUARANTEES,
                                                                strict=True)]
        story += [Paragraph(f"编号：{form.number}", cell), Paragraph(texts.PLEDGE_TITLE, title),
                  info, Spacer(1, 5 * mm), Paragraph(texts.PLEDGE_INTRO, body)]
        story += [Paragraph(duty, body) for duty in duties]
        story += [Paragraph(texts.PLEDGE_CLOSING, body),
                  Paragraph(f"本责任书自签订之日起生效，有效期至{form.year}年12月31日。", body),
                  signatures, PageBreak()]
    SimpleDocTemplate(out, pagesize=A4, topMargin=20 * mm, bottomMargin=18 * mm,
                      leftMargin=22 * mm, rightMargin=22 * mm, pageCompression=1,
                      initialFontName=fonts["song"]).build(story[:-1])


BARE = {"work-ids": (WorkIdCard, bare_work_ids), "pledges": (PledgeForm, bare_pledges)}


def run_bare(kind: str, data: Path, out: Path) -> None:
    """The bare loop on the documents saved as JSON (a list of the dataclass's fields)."""
    model, loop = BARE[kind]
    documents = [model(**fields) for fields in json.loads(data.read_text("utf-8"))]
    loop(documents, register_bare_fonts(), str(out))


def timed(action) -> float:
    start = time.process_time()
    action()
    return time.process_time() - start


def compare(label: str, program, bare, repeat: int, aim: float) -> None:
    ours = min(timed(program) for _ in range(repeat))
    floor = min(timed(bare) for _ in range(repeat))
    verdict = "ok" if ours <= aim * floor else "SLOWER THAN AIM"
    print(f"{label}: program {ours:.2f} s CPU, bare loop {floor:.2f} s CPU, "
          f"ratio {ours / floor:.2f} (aim ≤ {aim}) {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs each")
    parser.add_argument("--bare", nargs=3, metavar=("KIND", "DATA", "OUT"),
                        help="only the bare loop of KIND (work-ids, pledges) on DATA.json")
    args = parser.parse_args()
    if args.bare:
        kind, data, out = args.bare
        run_bare(kind, Path(data), Path(out))
        return
    from reports.core import fonts
    from reports.org import pledge, work_id

    for role in ("hei", "song", "title"):  # registered once, outside the timings
        fonts.primary_font(role)
    bare_fonts = register_bare_fonts()
    cards, forms = demo_cards(), demo_pledges()
    compare("578 work IDs (10 per A4, QR each)",
            lambda: work_id.render_work_ids(cards, io.BytesIO()),
            lambda: bare_work_ids(cards, bare_fonts, io.BytesIO()), args.repeat, 2.0)
    compare("3,070 pledge forms (one page each)",
            lambda: pledge.render_pledges(forms, io.BytesIO()),
            lambda: bare_pledges(forms, bare_fonts, io.BytesIO()), args.repeat, 1.5)


if __name__ == "__main__":
    main()
