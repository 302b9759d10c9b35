"""Tables for people (headers sized to their text, names whole, numbers right, the header on
every page) and titles in balanced lines broken between words."""

from itertools import pairwise

from reportlab.lib.units import mm

from reports.core import fonts
from reports.core.linebreak import break_lines, tokens
from reports.core.notice import BLOCK_W, TITLE_PT
from reports.core.tables import PAD, Cell, column_widths, default_alignment, ruled_table
from reports.core.titles import balanced_lines
from tests.reports.notice_kinds import people
from tests.reports.samples import render


def title_lines(title: str) -> list[str]:
    return balanced_lines(title, BLOCK_W - 2 * TITLE_PT,
                          lambda text: fonts.text_width(text, TITLE_PT, "title"))


def test_long_titles_break_between_words_into_balanced_lines():
    for title in ("关于2026年第一季度农村人居环境红黑榜的通报",
                  "关于2026年度片区长胡同长约谈名单的通报",
                  "关于2026年11月韩集镇各村农村人居环境整治工作红黑榜评选结果及有关奖惩措施落实情况的通报"):
        lines = title_lines(title)
        assert "".join(lines) == title and len(lines) >= 2
        assert not any(line in ("通报", "的通报") for line in lines)
        widths = [fonts.text_width(line, TITLE_PT, "title") for line in lines]
        assert max(widths) - min(widths) <= 7 * TITLE_PT  # near-equal lines
        assert not any(a[-1].isdigit() and b[0].isdigit() for a, b in pairwise(lines))
    assert title_lines("关于2026年第一季度农村人居环境红黑榜的通报") == [
        "关于2026年第一季度", "农村人居环境红黑榜的通报"]
    assert title_lines("关于表彰的通报") == ["关于表彰的通报"]


def test_headers_are_never_narrower_than_their_text():
    headers = ("序号", "党支部书记", "所在区域", "联系电话", "积分", "主要扣分事项")
    rows = [("1", "欧阳慕容雪", "南庄·南片区第三胡同", "138****5678", "12", "巡查记录缺失" * 4)]
    widths = column_widths(headers, rows, 120 * mm, (0.02, 0.1, 0.1, 0.1, 0.02, 0.66), 10.5)
    assert abs(sum(widths) - 120 * mm) < 0.01
    for header, width in zip(headers, widths, strict=True):
        assert fonts.text_width(header, 10.5, "hei") + 2 * PAD <= width


def test_a_name_is_never_broken_even_in_a_narrow_cell():
    names = people(80)
    text = "、".join(names)
    cell = Cell(text, "song", 10.5, atoms=names)
    cell.wrap(30 * mm, 1000)
    assert len(cell._lines) > 10
    for name in names:
        assert sum(line.count(name) for line in cell._lines) == text.count(name)


def test_a_comma_never_starts_a_line_nor_overflows_the_cell():
    width = 40.0
    lines = break_lines("村" * 7 + "，" + "村" * 7, width,
                        lambda s: fonts.text_width(s, 10, "song"))
    assert all(not line.startswith("，") for line in lines)
    assert all(fonts.text_width(line, 10, "song") <= width + 0.01 for line in lines)
    assert tokens("电话138****5678。") == ["电", "话", "138****5678。"]


def test_numbers_right_long_texts_left_short_words_centred():
    rows = [("1", "胡同长", "巡查发现污水乱排，群众反映较多", "85.20"),
            ("12", "片区长", "—", "−3")]
    assert [default_alignment(rows, i) for i in range(4)] == ["right", "centre", "left", "right"]


def test_a_long_table_repeats_its_header_on_every_page():
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    rows = [(str(i), name, "胡同长") for i, name in enumerate(people(120), 1)]

    def build(out):
        SimpleDocTemplate(out, pagesize=A4, initialFontName=fonts.primary_font("song")).build(
            [ruled_table(("序号", "姓名", "职务"), rows, [20 * mm, 40 * mm, 30 * mm])])

    facts = render(build)
    assert facts.pages >= 3
    assert all(page.extract_text().count("姓名") >= 1 for page in facts.reader.pages)
