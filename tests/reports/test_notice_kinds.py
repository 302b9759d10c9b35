"""Every kind of notice, with 1 to 40 table rows: the layout engine's own record says on which
page each piece went, and no page carries the signature block without body text."""

import io
import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from reports.core.notice import render_notice
from tests.reports.notice_kinds import KINDS, people, ranking_list
from models.ranking.tables import Period
from reports.ranking_notices import as_notice, notice_for

BODY = {"title", "body", "heading", "caption", "table"}


def pages_of(layout: list[tuple[int, str]]) -> dict[int, set[str]]:
    pages: dict[int, set[str]] = {}
    for page, part in layout:
        pages.setdefault(page, set()).update(part.split("+"))
    return pages


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_no_page_carries_only_the_signature_block(kind):
    for rows in range(1, 41):
        layout: list[tuple[int, str]] = []
        count = render_notice(KINDS[kind](rows), io.BytesIO(), layout)
        pages = pages_of(layout)
        signed = [page for page, parts in pages.items() if "signature" in parts]
        assert len(signed) == 1, f"{kind}, {rows} rows: signature and date apart: {layout}"
        assert pages[signed[0]] & BODY, f"{kind}, {rows} rows: lone signature page: {layout}"
        assert [page for page, parts in pages.items() if "banji" in parts] == [count], \
            f"{kind}, {rows} rows: the 版记 must close the last page"


def test_no_resident_name_split_across_lines_of_the_monthly_notice():
    listing = ranking_list(Period.MONTH, 12)
    notice = as_notice(notice_for(listing))
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "month.pdf"
        render_notice(notice, pdf)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
    lines = [re.sub(r"\s+", "", line) for line in text.splitlines()]
    flat = "".join(lines)
    names = {n for e in listing.entries for n in e.resident_names.split("、")}
    assert len(names) > 200
    for name in names:
        whole = sum(line.count(name) for line in lines)
        assert whole == flat.count(name) > 0, f"“{name}” is split across two lines"


def test_names_stay_whole_in_the_layout_engine_too():
    from reports.core.grid_text import GridText
    from reports.core.notice import BLOCK_W, BODY_PT, CELL, PITCH

    names = people(300)
    text = "南庄1片区（红榜）：" + "、".join(names)
    broken = GridText(text, BODY_PT, CELL, PITCH, atoms=names)._break(BLOCK_W)
    assert len(broken) > 10
    for name in names:
        assert sum(line.count(name) for line in broken) == text.count(name)
    unaware = GridText(text, BODY_PT, CELL, PITCH)._break(BLOCK_W)
    assert any(sum(line.count(n) for line in unaware) < text.count(n) for n in names), \
        "the sample must be one where plain character breaking would split a name"
