"""The three red/black notices render from the published lists, as PDF (Chinese font embedded,
residents named, no ID numbers) and as xlsx, through the `print ranking-notice` command."""

from __future__ import annotations

import re
import subprocess

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from main import main
from models.core.access import SYSTEM
from models.ranking.service import RankingService
from models.ranking.tables import Colour
from tests.ranking.helpers import close_the_year


def target(db) -> str:  # type: ignore[no-untyped-def]
    return str(db.path) if db.path else db.url.render_as_string(hide_password=False)


@pytest.mark.parametrize("period, title", [("2026-03", "关于2026年3月农村人居环境红黑榜的通报"),
                                            ("2026Q1", "关于2026年第一季度农村人居环境红黑榜的通报"),
                                            ("2026", "关于2026年度农村人居环境红黑榜的通报")])
def test_notice_pdf_and_xlsx(demo_db, tmp_path, period, title):  # type: ignore[no-untyped-def]
    if period == "2026":
        close_the_year(demo_db)  # the yearly list is published in January
    pdf, xlsx = tmp_path / "notice.pdf", tmp_path / "notice.xlsx"
    assert main(["print", "ranking-notice", "--period", period, "--db", target(demo_db), "-o", str(pdf)]) == 0
    assert main(["print", "ranking-notice", "--period", period, "--db", target(demo_db),
                 "-o", str(xlsx)]) == 0
    listing = RankingService(demo_db, SYSTEM).latest_list(period)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    # Table cells in the order they are drawn (pdftotext may interleave neighbouring cells).
    drawn = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(str(pdf)).pages))
    assert title in flat and listing.doc_number in flat
    for entry in listing.entries:
        assert entry.unit_name in flat
        if entry.colour is Colour.BLACK:
            assert re.sub(r"\s+", "", entry.reason) in drawn
    if period == "2026-03":
        assert "上榜片区群众名单" in flat and "本通报为第2版" in flat
        first = listing.entries[0].resident_names.split("、")[0]
        assert first in flat
    assert not re.search(r"\d{17}[\dX]", text) and not re.search(r"1\d{10}", flat)
    fonts = PdfReader(str(pdf)).pages[0]["/Resources"]["/Font"]
    assert any("NotoSerif" in str(font.get_object()["/BaseFont"]) for font in fonts.values())
    sheet = load_workbook(xlsx).active
    assert sheet["A1"].value == title
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value}
    assert any(listing.entries[0].unit_name in c for c in cells)


def test_unpublished_period_is_refused(demo_db, tmp_path, capsys):  # type: ignore[no-untyped-def]
    assert main(["print", "ranking-notice", "--period", "2023-05", "--db", target(demo_db),
                 "-o", str(tmp_path / "x.pdf")]) == 1
    assert "2023年5月红黑榜还没有公示" in capsys.readouterr().err
