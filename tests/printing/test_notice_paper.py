"""Notices as printed from the demo town on this machine (no office fonts): the serif faces on
every notice (pdffonts), a character in no font listed before printing (the CLI refuses, the
preview lists it), the document number taken from the register (and left out without a
机关代字), the correction citing the notice it replaces, dates without zero padding."""

from __future__ import annotations

import re
import subprocess
from datetime import date

import pytest
from sqlalchemy import select

from main import main
from models.accounts.service import actor_for
from models.core import clock, settings
from models.core.access import SYSTEM
from models.org.tables import Head, Resident
from models.points.service import PointsService
from models.printing import numbering
from models.printing.scope import ScopeKind
from models.printing.service import PrintService
from tests.printing.test_printing import run_print, target

RARE_EXT_B = "𠮷"  # U+20BB7: in no TrueType font of this machine nor of the shipped ones


def pdffonts(pdf) -> str:  # type: ignore[no-untyped-def]
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.parametrize("args", [["talk-list", "--scope", "village:韩家村"],
                                  ["talk-list", "--scope", "all"],
                                  ["ranking-notice", "--period", "2026-03"]])
def test_notices_are_set_in_the_shipped_serif_faces(demo_db, tmp_path, args):  # type: ignore[no-untyped-def]
    pdf, text = run_print(demo_db, tmp_path, *args)
    listing = pdffonts(pdf)
    assert "NotoSerifCJKsc-Bold" in listing  # the title and the red organ name
    assert "NotoSerifCJKsc-Regular" in listing  # the body
    assert not re.search(r"\d{4}年0\d月|月0\d日", text)  # no zero-padded dates


def _talk_listed_head(db) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """A head on a 约谈 list and its year: this year's, or (on 1 January, when nobody is below
    the opening points yet) last year's."""
    for year in (clock.today().year, clock.today().year - 1):
        rows = PointsService(db, SYSTEM).talk_list(year, None)
        if rows:
            return rows[0].head.head_id, year
    raise AssertionError("the demo town has nobody on a 约谈 list")


def test_a_character_in_no_font_is_listed_and_the_command_refuses(demo_db, tmp_path, capsys):  # type: ignore[no-untyped-def]
    head_id, year = _talk_listed_head(demo_db)
    with demo_db.write() as s:
        head = s.get(Head, head_id)
        s.get(Resident, head.resident_id).name = f"张{RARE_EXT_B}"
        village_id = head.admin_village_id
    pdf = tmp_path / "约谈.pdf"
    args = ["print", "talk-list", "--scope", f"village:{village_id}", "--year", str(year),
            "--db", target(demo_db), "-o", str(pdf)]
    assert main(args) == 1
    error = capsys.readouterr().err
    assert RARE_EXT_B in error and "请安装" in error and "TrueType" in error
    assert not pdf.exists()
    assert main([*args, "--allow-missing"]) == 0
    assert pdf.exists() and RARE_EXT_B in capsys.readouterr().err


def test_the_preview_lists_a_character_in_no_font(demo_db, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    from ui.context import AppContext
    from ui.pages.print_centre import PrintCentrePage

    head_id, year = _talk_listed_head(demo_db)
    with demo_db.write() as s:
        head = s.get(Head, head_id)
        s.get(Resident, head.resident_id).name = f"张{RARE_EXT_B}"
    page = PrintCentrePage(AppContext(demo_db, actor_for(demo_db, "zhen-admin"), tmp_path))
    qtbot.addWidget(page)
    page.show()
    page.kind.setCurrentIndex(page.kind.findData("talk-list"))
    page.scope_kind.setCurrentIndex(page.scope_kind.findData(ScopeKind.ALL))
    page.year.setValue(year)
    page.make_preview()
    qtbot.waitUntil(lambda: page.result is not None, timeout=60000)
    assert page.missing.isVisible() and RARE_EXT_B in page.missing.text()
    assert "请安装" in page.missing.text()


def test_document_numbers_come_from_the_register(demo_db):  # type: ignore[no-untyped-def]
    service = PrintService(demo_db, SYSTEM)
    village = service.scope("village:韩家村")
    on = date(2026, 12, 1)
    first = service.talk_list_notice(village, 2026, on=on)
    again = service.talk_list_notice(village, 2026, on=on)
    assert first.doc_number == again.doc_number == "韩家支发〔2026〕1号"  # the same day: same
    township = service.talk_list_notice(service.scope("all"), 2026, on=on)
    assert township.doc_number == "韩集党发〔2026〕1号"
    later = service.talk_list_notice(village, 2026, on=date(2026, 12, 2))
    assert later.doc_number == "韩家支发〔2026〕2号"
    with demo_db.write() as s:
        settings.put(s, numbering.VILLAGE_CODE, "")
    assert service.talk_list_notice(village, 2026, on=date(2026, 12, 3)).doc_number == ""
    with demo_db.read() as s:
        taken = s.scalars(select(numbering.IssuedNumber.sequence).where(
            numbering.IssuedNumber.code == "韩家支发")).all()
    assert sorted(taken) == [1, 2]


def test_a_notice_without_number_leaves_the_line_out(demo_db, tmp_path):  # type: ignore[no-untyped-def]
    with demo_db.write() as s:
        settings.put(s, numbering.VILLAGE_CODE, "")
    _, text = run_print(demo_db, tmp_path, "talk-list", "--scope", "village:韩家村")
    assert "〔" not in text and "印发" in text  # no number line; the 版记 is there


def test_work_ids_are_refused_while_a_head_has_no_number(demo_db, tmp_path, capsys):  # type: ignore[no-untyped-def]
    with demo_db.write() as s:
        head = s.scalar(select(Head).where(Head.ended_on.is_(None)).order_by(Head.id))
        head.work_id_number = ""
        name = s.get(Resident, head.resident_id).name
    pdf = tmp_path / "工作证.pdf"
    assert main(["print", "work-ids", "--scope", f"head:{head.id}", "--db", target(demo_db),
                 "-o", str(pdf)]) == 1
    error = capsys.readouterr().err
    assert name in error and "还没有工作证编号" in error and not pdf.exists()


def test_a_zones_roster_is_titled_as_the_zone(demo_db, tmp_path):  # type: ignore[no-untyped-def]
    _, text = run_print(demo_db, tmp_path, "roster", "--scope", "zone:1")
    flat = re.sub(r"\s+", "", text)
    assert re.search(r"村\S*片区片区长、胡同长公示名单", flat)


def test_no_resident_name_is_split_in_the_demo_towns_monthly_notice(demo_db, tmp_path):  # type: ignore[no-untyped-def]
    from models.ranking.service import RankingService

    pdf, _ = run_print(demo_db, tmp_path, "ranking-notice", "--period", "2026-03")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    lines = [re.sub(r"\s+", "", line) for line in text.splitlines()]
    flat = "".join(lines)
    listing = RankingService(demo_db, SYSTEM).latest_list("2026-03")
    names = {n for e in listing.entries for n in e.resident_names.split("、") if n}
    assert len(names) > 100
    split = [n for n in names if sum(line.count(n) for line in lines) < flat.count(n)]
    assert not split, f"names split across lines: {split[:10]}"
