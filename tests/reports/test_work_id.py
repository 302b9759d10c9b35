from dataclasses import replace

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from reports.org import work_id
from reports.org.work_id import render_work_ids
from tests.reports.samples import (
    LONG_NAME,
    assert_fonts_embedded_and_rare_char_drawn,
    id_card,
    render,
    same_size,
)


def test_ten_cards_per_sheet_on_a4():
    cards = [id_card(number=f"HJ-2026-{i:04d}") for i in range(11)]
    facts = render(render_work_ids, cards)
    assert facts.pages == 2
    assert same_size(facts.page_size(0), A4)
    assert "HJ-2026-0010" in facts.text and "工  作  证" in facts.text
    assert_fonts_embedded_and_rare_char_drawn(facts)


def test_cards_are_exact_id1_and_fit_the_sheet():
    assert abs(work_id.CARD_W - 85.6 * mm) < 1e-9 and abs(work_id.CARD_H - 54 * mm) < 1e-9
    assert work_id.LEFT > 10 * mm and work_id.BOTTOM > 10 * mm  # room for the cut marks


def test_long_name_still_prints():
    facts = render(render_work_ids, [id_card(name=LONG_NAME)])
    assert LONG_NAME in facts.text.replace("\n", "")


def test_photo_is_placed_when_given(tmp_path):
    from PIL import Image

    photo = tmp_path / "head.jpg"
    Image.new("RGB", (60, 80), (200, 120, 90)).save(photo)
    with_photo = render(render_work_ids, [replace(id_card(), photo_path=str(photo))])
    without = render(render_work_ids, [id_card()])
    assert b"/Subtype /Image" in with_photo.data and b"/Subtype /Image" not in without.data
