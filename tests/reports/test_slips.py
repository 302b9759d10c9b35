"""The slips: passbook continuation pages and its two figures named apart, rosters numbered per
village and titled by what they cover, the work ID's one-inch photo box drawing the photo
bytes, its natural village and two-line long names, the duty card inside a printable margin."""

import io
import re
import subprocess
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.units import mm

from reports.org import work_id
from reports.org.duty_card import render_duty_cards
from reports.org.roster import render_rosters
from reports.org.work_id import render_work_ids
from reports.passbook import render_passbook
from tests.reports.samples import LONG_NAME, duty_card, id_card, passbook, render, roster


def page_texts(data: bytes) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "x.pdf"
        pdf.write_bytes(data)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
    return [page.replace(" ", "") for page in text.split("\f") if page.strip()]


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (250, 350), (200, 120, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_passbook_repeats_its_holder_and_names_both_figures():
    book = replace(passbook(entries=58), as_of=date(2026, 12, 1))
    pages = page_texts(render(render_passbook, book).data)
    assert len(pages) >= 2
    assert "截至2026年12月1日" in pages[0]
    for page in pages[1:]:
        assert "积分存折（2026年度，续）" in page and book.head in page
    every = "".join(pages)
    assert "年度积分" in every and "可兑换积分" in every and "积分余额" not in every
    assert "兑换物品不减少年度积分" in every


def test_passbook_prints_the_photo_it_carries():
    assert b"/Subtype /Image" in render(render_passbook, replace(passbook(3), photo=jpeg())).data


def test_rosters_of_several_villages_number_their_own_pages():
    villages = [replace(roster(70), village="韩家村"), replace(roster(70), village="李庄村")]
    pages = page_texts(render(render_rosters, villages).data)
    numbers = [re.findall(r"第(\d+)页", page)[-1] for page in pages]
    half = len(pages) // 2
    assert numbers[:half] == numbers[half:] == [str(n) for n in range(1, half + 1)]
    assert "李庄村片区长、胡同长公示名单" in pages[half]


def test_a_zones_roster_is_titled_as_the_zones():
    text = "".join(page_texts(render(render_rosters, [replace(roster(5), unit="韩家村南片区")]).data))
    assert "韩家村南片区片区长、胡同长公示名单" in text


@pytest.mark.parametrize("rows", range(1, 60, 3))
def test_the_rosters_issuer_and_date_never_stand_alone(rows):
    pages = page_texts(render(render_rosters, [roster(rows)]).data)
    last = pages[-1]
    assert "2026年11月5日" in last and "韩" in last.split("监督电话")[0]  # rows on the page too


def test_work_id_photo_box_is_one_inch_and_draws_the_photo_bytes():
    assert (work_id.PHOTO[2], work_id.PHOTO[3]) == (25 * mm, 35 * mm)
    with_photo = render(render_work_ids, [replace(id_card(), photo=jpeg())])
    assert b"/Subtype /Image" in with_photo.data
    assert b"/Subtype /Image" not in render(render_work_ids, [id_card()]).data


def test_work_id_names_the_natural_village_and_sets_long_names_in_two_lines():
    card = replace(id_card(name=LONG_NAME), natural_village="南庄")
    text = page_texts(render(render_work_ids, [card]).data)[0]
    assert "南庄·南片区第三胡同" in text.replace("\n", "")
    half = len(LONG_NAME) // 2
    lines = [line for line in text.splitlines() if LONG_NAME[:half] in line
             or LONG_NAME[half:] in line]
    assert len(lines) >= 2  # two lines, not one squeezed line


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_duty_card_leaves_a_printable_margin(paper):
    data = render(render_duty_cards, [duty_card()], paper=paper).data
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "card.pdf"
        pdf.write_bytes(data)
        subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", str(pdf),
                        str(Path(folder) / "card")], check=True)
        page = Image.open(Path(folder) / "card.png").convert("L")
    margin = round(5 / 25.4 * 100)  # 5 mm at 100 dpi
    width, height = page.size
    for box in ((0, 0, width, margin), (0, height - margin, width, height),
                (0, 0, margin, height), (width - margin, 0, width, height)):
        assert page.crop(box).getextrema()[0] >= 250, f"ink within 5 mm of the edge: {box}"
