"""三个一提醒名单: who has not yet patrolled today, summarised this week or visited every
household this month — for the clerk's phone calls and the notice board of the branch."""

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from models.printing.documents import ReminderLine, ReminderSheet
from reports.core.drawing import Output
from reports.core.page_furniture import page_number_footer
from reports.core.styles import new_document, para
from reports.core.tables import ruled_table

MARGINS = (18 * mm, 16 * mm, 18 * mm, 16 * mm)
TEXT_W = A4[0] - MARGINS[1] - MARGINS[3]
HEADERS = ("序号", "行政村", "所在胡同", "胡同长", "联系电话", "情况")
WIDTHS_MM = (12, 24, 46, 22, 32, 42)


def render_reminders(sheet: ReminderSheet, out: Output) -> int:
    document = new_document(out, A4, "三个一提醒名单", MARGINS)
    document.build(reminder_flowables(sheet), onFirstPage=page_number_footer,
                   onLaterPages=page_number_footer)
    return document.page


def reminder_flowables(sheet: ReminderSheet) -> list:
    on = sheet.on
    story = [
        para(f"{sheet.scope}“三个一”提醒名单", "title", 18, "centre", leading=1.4),
        para(f"截至{on.year}年{on.month}月{on.day}日　本周：{sheet.week}", "song", 11, "centre",
             leading=1.6, space_after=3 * mm),
    ]
    for title, lines, done in (
            (f"一、{on.month}月{on.day}日尚未登记巡查", sheet.today, "今日巡查已全部登记。"),
            ("二、本周尚未登记汇总", sheet.this_week, "本周汇总已全部登记。"),
            (f"三、{on.month}月尚未走访完本胡同农户", sheet.this_month, "本月走访已全部完成。")):
        story.append(para(f"{title}（{len(lines)}人）", "hei", 12, leading=1.8))
        story.append(_table(lines) if lines else para(done, "song", 11, leading=1.6))
        story.append(Spacer(1, 4 * mm))
    story.append(para(f"{sheet.issuer}　　{on.year}年{on.month}月{on.day}日", "song", 11, "right",
                      leading=1.8))
    return story


def _table(lines: tuple[ReminderLine, ...]):  # type: ignore[no-untyped-def]
    """The village column only on a township's list, the 情况 column only where there is one."""
    columns = [i for i, header in enumerate(HEADERS)
               if not (header == "行政村" and len({x.village for x in lines}) == 1)
               and not (header == "情况" and not any(x.detail for x in lines))]
    widths = [WIDTHS_MM[i] for i in columns]
    scale = TEXT_W / (sum(widths) * mm)
    rows = [[(str(n), x.village, x.unit, x.name, x.phone, x.detail)[i] for i in columns]
            for n, x in enumerate(lines, 1)]
    return ruled_table([HEADERS[i] for i in columns], rows, [w * mm * scale for w in widths],
                       size=10)
