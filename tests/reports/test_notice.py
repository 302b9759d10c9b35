from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from reports.core import notice as layout
from reports.core.grid_text import GridText
from reports.core.notice import render_notice
from tests.reports.samples import (
    assert_fonts_embedded_and_rare_char_drawn,
    notice,
    render,
    same_size,
)


def test_gbt9704_block_is_22_lines_of_28_characters():
    assert abs(layout.BLOCK_W - 156 * mm) < 1e-9 and abs(layout.BLOCK_H - 225 * mm) < 1e-9
    assert abs(layout.CELL * layout.CHARS - layout.BLOCK_W) < 1e-6
    assert abs(layout.PITCH * layout.LINES - layout.BLOCK_H) < 1e-6

    def lines(text):
        return GridText(text, 16, layout.CELL, layout.PITCH, indent=0)._break(layout.BLOCK_W)

    assert len(lines("村" * 28)) == 1
    assert len(lines("村" * 29)) == 2
    assert len(lines("村" * 27 + "，")) == 1  # a comma never starts a line


def test_notice_with_table_masks_phones_and_spans_pages():
    facts = render(render_notice, notice(rows=60))
    assert facts.pages >= 3
    for page in range(1, facts.pages + 1):
        assert f"— {page} —" in facts.text  # every page numbered, odd ones on the right
    assert all(same_size(facts.page_size(i), A4) for i in range(facts.pages))
    for expected in (
        "韩家村党支部文件",
        "韩支发〔2026〕3号",
        "红黑榜",
        "2026年11月5日",
        "中共韩家村支部委员会",
        "139****5678",
        "138****5678",
        "— 2 —",
    ):
        assert expected in facts.text
    assert "13812345678" not in facts.text and "13912345678" not in facts.text
    assert_fonts_embedded_and_rare_char_drawn(facts)


def test_short_notice_is_one_page():
    from dataclasses import replace

    facts = render(render_notice, replace(notice(rows=0), table=None))
    assert facts.pages == 1
    assert "2026年11月5日印发" in facts.text  # the 版记 closes the page


def test_table_starts_on_page_one_and_repeats_its_header():
    facts = render(render_notice, notice(rows=20))
    first, second = (page.extract_text() for page in facts.reader.pages[:2])
    assert "附表：各片区得分排名" in first and "第1片区" in first
    assert "名次" in second and "第20片区" in facts.text


def test_caption_never_ends_a_page_without_the_first_row():
    from dataclasses import replace

    base = notice(rows=8)
    for lines in range(0, 14):
        filler = tuple("村" * 27 + "。" for _ in range(lines))
        facts = render(render_notice, replace(base, paragraphs=base.paragraphs + filler))
        pages = [page.extract_text() for page in facts.reader.pages]
        with_caption = next(text for text in pages if "附表：各片区得分排名" in text)
        assert "第1片区" in with_caption, f"{lines} filler lines"
