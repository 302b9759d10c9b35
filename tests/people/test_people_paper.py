"""The people area's paper through the print centre: the honours decision and the certificates
from the frozen list, the assessment results with their weights, the talent register (PDF and
xlsx) and one recommendation form per person — real PDFs, read back with pdftotext."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from models.core.access import SYSTEM
from models.core.errors import ValidationError
from models.org.photos import HeadPhotoService, prepare_photo
from models.org.tables import Head
from models.people.honours import HonoursService
from models.people.talent import TalentService
from models.points.demo import DEMO_YEAR
from models.printing.people import talent_register
from models.printing.service import PrintService
from reports.people.register import write_register_xlsx
from reports.printing import print_document
from tests.core.photos import jpeg, textured

ID_NUMBER = re.compile(r"\d{17}[\dX]")


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def _print(db, kind: str, scope: str, path: Path, **options):  # type: ignore[no-untyped-def]
    service = PrintService(db, SYSTEM)
    return print_document(service, kind, service.scope(scope), path, year=DEMO_YEAR, **options)


def test_honours_decision_and_certificates(demo_db, tmp_path):  # type: ignore[no-untyped-def]
    listing = HonoursService(demo_db, SYSTEM).latest_list(DEMO_YEAR)
    decision = _print(demo_db, "honour-list", "all", tmp_path / "决定.pdf")
    text = _text(tmp_path / "决定.pdf").replace("\n", "")
    assert decision.pages >= 2 and listing.doc_number in text
    assert "约谈名单" in text and "积分相同时依次比较" in text
    assert all(e.name in text for e in listing.entries)
    hanjia = [e for e in listing.entries if e.village_name == "韩家村"]
    certificates = _print(demo_db, "honour-certificates", "village:韩家村", tmp_path / "证书.pdf")
    assert certificates.pages == len(hanjia) == len(PdfReader(tmp_path / "证书.pdf").pages)
    first = _text(tmp_path / "证书.pdf").split("\f")[0].replace("\n", "")
    assert all(char in first for char in "荣誉证书")  # spaced out: text order varies
    assert hanjia[0].name in first and hanjia[0].kind_name in first
    assert hanjia[0].certificate_number in first


def test_assessment_results_state_the_method(demo_db, tmp_path):  # type: ignore[no-untyped-def]
    result = _print(demo_db, "assessment", "village:韩家村", tmp_path / "测评.pdf")
    text = _text(tmp_path / "测评.pdf").replace("\n", "")
    assert result.pages >= 2
    assert "民意调研20%" in text and "问卷调查20%" in text and "群众大会投票20%" in text
    assert "“三个一”完成率" in text and "只适用于胡同长" in text and "90分及以上为优秀" in text
    with pytest.raises(ValidationError, match="不能按全镇打印"):
        _print(demo_db, "assessment", "all", tmp_path / "全镇.pdf")
    assert not (tmp_path / "全镇.pdf").exists()


def test_register_pdf_and_xlsx_and_the_forms(demo_db, tmp_path):  # type: ignore[no-untyped-def]
    rows = TalentService(demo_db, SYSTEM).register(1)
    register = _print(demo_db, "talent-register", "village:韩家村", tmp_path / "名册.pdf")
    text = _text(tmp_path / "名册.pdf")
    assert register.pages >= 1 and "韩家村后备人才库名册" in text
    assert not ID_NUMBER.search(text)
    assert all(r.name in text for r in rows)
    service = PrintService(demo_db, SYSTEM)
    data = talent_register(service, service.scope("village:韩家村"), rows[0].entered_on)
    sheet = load_workbook(write_register_xlsx(data, tmp_path / "名册.xlsx")).active
    assert sheet.max_row == 2 + len(rows) and sheet.cell(2, 2).value == "姓名"
    assert [sheet.cell(3 + i, 2).value for i in range(len(rows))] == [r.name for r in rows]
    forms = _print(demo_db, "talent-forms", "village:韩家村", tmp_path / "推荐表.pdf")
    assert forms.pages == len(rows)
    one = _print(demo_db, "talent-forms", "village:韩家村", tmp_path / "一人.pdf",
                 number=str(rows[0].entry_id))
    page = _text(tmp_path / "一人.pdf").replace("\n", "")
    assert one.pages == 1 and rows[0].name in page
    assert "村党支部意见" in page.replace(" ", "").replace("　", "") and "盖章" in page
    with pytest.raises(ValidationError, match="应为数字"):
        _print(demo_db, "talent-forms", "village:韩家村", tmp_path / "错.pdf", number="abc")


def test_a_heads_photo_is_on_his_recommendation_form(demo_db, tmp_path):  # type: ignore[no-untyped-def]
    rows = TalentService(demo_db, SYSTEM).register(1)
    head_row = next(r for r in rows if r.role)
    other = next(r for r in rows if r.resident_id != head_row.resident_id)
    with demo_db.read() as s:
        head_id = s.scalar(select(Head.id).where(Head.resident_id == head_row.resident_id,
                                                 Head.ended_on.is_(None)))
    HeadPhotoService(demo_db, SYSTEM).attach(
        head_id, prepare_photo(jpeg(textured((1200, 1600))), f"{head_row.name}.jpg"))
    for row, images in ((head_row, 1), (other, 0)):
        pdf = tmp_path / f"{row.entry_id}.pdf"
        _print(demo_db, "talent-forms", "village:韩家村", pdf, number=str(row.entry_id))
        assert len(PdfReader(pdf).pages[0].images) == images, row.name
