from reportlab.lib.pagesizes import A4

from reports.org import texts
from reports.org.pledge import render_pledges
from tests.reports.samples import (
    ID_NUMBER,
    LONG_ADDRESS,
    LONG_NAME,
    assert_fonts_embedded_and_rare_char_drawn,
    pledge,
    render,
    same_size,
)


def test_one_page_per_household_with_the_three_guarantees():
    facts = render(render_pledges, [pledge(), pledge("韩建国"), pledge("李喆")])
    assert facts.pages == 3
    assert all(same_size(facts.page_size(i), A4) for i in range(3))
    for name, _ in texts.THREE_GUARANTEES:
        assert name in facts.text
    for signatory in (*texts.SIGNATORIES, "签字", "捺印", "韩建国", "李喆"):
        assert signatory in facts.text
    assert_fonts_embedded_and_rare_char_drawn(facts)


def test_long_names_and_addresses_stay_on_one_page_and_ids_never_print():
    facts = render(render_pledges, [pledge(LONG_NAME, LONG_ADDRESS + ID_NUMBER)])
    assert facts.pages == 1
    assert ID_NUMBER not in facts.text
