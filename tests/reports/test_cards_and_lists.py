from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm

from reports.org import texts
from reports.org.duty_card import render_duty_cards
from reports.org.roster import render_roster
from reports.passbook import render_passbook
from reports.store.receipt import render_receipt
from tests.reports.samples import (
    assert_fonts_embedded_and_rare_char_drawn,
    duty_card,
    passbook,
    receipt,
    render,
    roster,
    same_size,
)


def test_duty_cards_on_a4_and_a5_publish_the_phone_and_duties():
    for paper, size in (("A4", A4), ("A5", A5)):
        facts = render(render_duty_cards, [duty_card("胡同长"), duty_card("片区长")], paper=paper)
        assert facts.pages == 2 and same_size(facts.page_size(), size)
        assert "13812345678" in facts.text and "0531-88886666" in facts.text
        for duty in (*texts.SEVEN_OFFICERS, *texts.ALLEY_HEAD_DUTIES):
            assert duty in facts.text
        assert_fonts_embedded_and_rare_char_drawn(facts)


def test_roster_repeats_its_header_on_every_page():
    facts = render(render_roster, roster(rows=60))
    assert facts.pages >= 2 and same_size(facts.page_size(), A4)
    assert facts.text.count("联系电话") == facts.pages
    assert "13812340060" in facts.text and "韩60号" in facts.text
    assert_fonts_embedded_and_rare_char_drawn(facts)


def test_passbook_lists_every_entry_and_the_totals():
    book = passbook(entries=50)
    facts = render(render_passbook, book)
    assert facts.pages >= 2 and same_size(facts.page_size(), A4)
    for label in ("年初积分", "加分合计", "扣分合计", "已兑换", "可兑换积分"):
        assert label in facts.text
    assert facts.text.count("巡查记录完整") == 50
    assert_fonts_embedded_and_rare_char_drawn(facts)


def test_receipt_on_a5_and_on_an_80mm_roll():
    a5 = render(render_receipt, receipt(), paper="A5")
    assert a5.pages == 1 and same_size(a5.page_size(), A5)
    roll = render(render_receipt, receipt(), paper="roll80")
    assert roll.pages == 1 and abs(roll.page_size()[0] - 80 * mm) < 0.01
    for facts in (a5, roll):
        for expected in ("积分兑换凭证", "DH-2026-000123", "大米", "46", "张会计"):
            assert expected in facts.text
        assert_fonts_embedded_and_rare_char_drawn(facts)
