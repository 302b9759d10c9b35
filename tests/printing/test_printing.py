"""The print centre's documents from the demo town through `main.py print KIND`: page counts for
the scope, names on the paper, the Chinese font embedded, no ID number anywhere, phones in full
on duty cards and masked on notices, one audit row per print job, refusals that write nothing."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from main import main
from models.accounts.service import actor_for
from models.core.audit import AuditLog
from models.core.errors import PermissionDenied
from models.core.privacy import mask_phone
from models.org.tables import Alley, Head, Household, Resident
from models.printing.service import PrintService
from reports.printing import print_document
from tests.ranking.helpers import close_the_year

ID_NUMBER = re.compile(r"\d{17}[\dXx]")


def target(db) -> str:  # type: ignore[no-untyped-def]
    return str(db.path) if db.path else db.url.render_as_string(hide_password=False)


def run_print(db, tmp_path: Path, *args: str) -> tuple[Path, str]:  # type: ignore[no-untyped-def]
    pdf = tmp_path / f"{args[0]}.pdf"
    assert main(["print", *args, "--db", target(db), "-o", str(pdf)]) == 0
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return pdf, text


def pages(pdf: Path) -> int:
    return len(PdfReader(pdf).pages)


def fonts_embedded(pdf: Path) -> bool:
    """Every font of every page carries its TrueType program (FontFile2)."""
    seen = 0
    for page in PdfReader(pdf).pages:
        for reference in page["/Resources"]["/Font"].values():
            font = reference.get_object()
            descriptor = font.get("/FontDescriptor") or \
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            if "/FontFile2" not in descriptor.get_object():
                return False
            seen += 1
    return seen > 0


def print_audits(db) -> list[dict]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return [json.loads(after) for after in
                s.scalars(select(AuditLog.after).where(AuditLog.action == "打印").order_by(AuditLog.id))]


def first_alley(db) -> tuple[int, int, str]:  # type: ignore[no-untyped-def]
    """Alley 1: its households, and its head's name."""
    with db.read() as s:
        households = s.scalar(select(func.count(Household.id)).where(
            Household.alley_id == 1, Household.removed_on.is_(None)))
        head = s.scalar(select(Resident.name).join(Head, Head.resident_id == Resident.id)
                        .where(Head.alley_id == 1, Head.ended_on.is_(None)))
        assert s.get(Alley, 1) is not None
        return 1, households, head


def test_all_work_ids_of_the_town(demo_db, tmp_path):  # type: ignore[no-untyped-def]
    pdf, text = run_print(demo_db, tmp_path, "work-ids", "--scope", "all", "--year", "2026")
    with demo_db.read() as s:
        heads = s.execute(select(Resident.name, Head.work_id_number).join(
            Head, Head.resident_id == Resident.id).where(Head.ended_on.is_(None))).all()
    assert len(heads) == 578 and pages(pdf) == 58
    flat = re.sub(r"\s+", "", text)
    assert all(number in flat for _, number in heads)
    assert heads[0].name in flat and heads[-1].name in flat
    assert not ID_NUMBER.search(flat) and fonts_embedded(pdf)
    assert print_audits(demo_db)[-1] == {"document": "工作证", "scope": "全镇", "pages": 58}


@pytest.mark.parametrize("kind", ["work-ids", "duty-cards", "roster", "pledges", "passbook",
                                  "receipt", "notice", "worklog-sheets", "worklog-reminders"])
def test_every_kind_prints_its_scope(demo_db, tmp_path, kind):  # type: ignore[no-untyped-def]
    alley, households, head = first_alley(demo_db)
    args = {
        "work-ids": ["--scope", f"alley:{alley}"],
        "duty-cards": ["--scope", f"alley:{alley}", "--paper", "A5"],
        "roster": ["--scope", "village:韩家村"],
        "pledges": ["--scope", f"alley:{alley}", "--year", "2026"],
        "passbook": ["--scope", f"head:{head}", "--year", "2026"],
        "receipt": ["--number", "DH2026-000001", "--village", "韩家村", "--paper", "roll80"],
        "notice": ["--scope", "village:韩家村", "--year", "2026"],
        "worklog-sheets": ["--scope", f"alley:{alley}", "--month", "2026-11"],
        "worklog-reminders": ["--scope", "village:韩家村"],
    }[kind]
    pdf, text = run_print(demo_db, tmp_path, kind, *args)
    flat = re.sub(r"\s+", "", text)
    expected_pages = {"work-ids": 1, "duty-cards": 1, "pledges": households, "receipt": 1,
                      "worklog-sheets": 2}
    if kind in expected_pages:
        assert pages(pdf) == expected_pages[kind]
    if kind in ("work-ids", "duty-cards", "pledges", "passbook", "worklog-sheets",
                "worklog-reminders"):
        assert head in flat
    assert fonts_embedded(pdf), "the Chinese font must be embedded"
    assert not ID_NUMBER.search(flat), "no ID number on paper"
    audit = print_audits(demo_db)[-1]
    assert audit["pages"] == pages(pdf)


def test_roster_names_every_head_of_the_village_with_full_phones(demo_db, tmp_path):  # type: ignore[no-untyped-def]
    _pdf, text = run_print(demo_db, tmp_path, "roster", "--scope", "village:1")
    with demo_db.read() as s:
        heads = s.execute(select(Resident.name, Resident.phone).join(
            Head, Head.resident_id == Resident.id)
            .where(Head.ended_on.is_(None), Head.admin_village_id == 1)).all()
    flat = re.sub(r"\s+", "", text)
    assert f"共{len(heads)}人" in flat
    assert all(name in flat and phone in flat for name, phone in heads)


def test_duty_card_phone_in_full_and_notice_masked(demo_db, tmp_path):  # type: ignore[no-untyped-def]
    service = PrintService(demo_db, actor_for(demo_db, "hanjia"))
    listed = service.talk_list_notice(service.scope("village:韩家村"), 2026)
    assert listed.table is not None and listed.table.rows
    name = listed.table.rows[0][1]
    with demo_db.read() as s:
        phone = s.scalar(select(Resident.phone).where(Resident.name == name))
    _, card = run_print(demo_db, tmp_path, "duty-cards", "--scope", f"head:{name}")
    assert phone in card
    _, notice = run_print(demo_db, tmp_path, "notice", "--scope", "village:韩家村", "--year", "2026")
    flat = re.sub(r"\s+", "", notice)
    assert name in flat and mask_phone(phone) in flat and phone not in flat
    assert not re.search(r"1[3-9]\d{9}", flat)


def test_a_rare_character_prints_visibly(demo_db, tmp_path):  # type: ignore[no-untyped-def]
    with demo_db.write() as s:
        head = s.scalar(select(Head).where(Head.alley_id == 1, Head.ended_on.is_(None)))
        s.get(Resident, head.resident_id).name = "刘䶮"
    for kind in ("work-ids", "duty-cards"):
        pdf, text = run_print(demo_db, tmp_path, kind, "--scope", "head:刘䶮")
        assert "刘䶮" in text and fonts_embedded(pdf)


def test_another_villages_account_is_refused_and_nothing_is_written(demo_db, tmp_path):  # type: ignore[no-untyped-def]
    service = PrintService(demo_db, actor_for(demo_db, "hanjia-wenshu"))  # 韩家村's clerk
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    other = service.scope("village:小杨庄村")
    before = print_audits(demo_db)
    for kind in ("work-ids", "pledges", "roster", "talk-list"):
        with pytest.raises(PermissionDenied, match="只能管理本村"):
            print_document(service, kind, other, tmp_path / f"{kind}.pdf", year=2026)
    with pytest.raises(PermissionDenied):
        print_document(service, "work-ids", service.scope("all"), tmp_path / "all.pdf")
    assert list(tmp_path.iterdir()) == [] and print_audits(demo_db) == before
    own = print_document(service, "work-ids", service.scope("village:韩家村"), tmp_path / "own.pdf")
    assert own.pages == 10 and print_audits(demo_db)[-1]["scope"] == "韩家村"


def test_a_cancelled_batch_leaves_no_file(demo_db, tmp_path):  # type: ignore[no-untyped-def]
    class Stop(Exception):
        pass

    def progress(done: int, total: int) -> None:
        if done == 3:
            raise Stop

    service = PrintService(demo_db, actor_for(demo_db, "hanjia"))
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    (tmp_path / "pledges.pdf").write_bytes(b"the previous good file")
    with pytest.raises(Stop):
        print_document(service, "pledges", service.scope("village:韩家村"),
                       tmp_path / "pledges.pdf", progress=progress)
    assert [p.name for p in tmp_path.iterdir()] == ["pledges.pdf"]
    assert (tmp_path / "pledges.pdf").read_bytes() == b"the previous good file"
    assert print_audits(demo_db) == []


@pytest.mark.parametrize("scope, message", [
    ("zone:不存在的片区", "找不到片区“不存在的片区”"),
    ("street:1", "不认识的打印范围"),
    ("head:", "缺少负责人"),
])
def test_unknown_scope_says_so_in_chinese(demo_db, tmp_path, capsys, scope, message):  # type: ignore[no-untyped-def]
    pdf = tmp_path / "x.pdf"
    assert main(["print", "work-ids", "--scope", scope, "--db", target(demo_db), "-o", str(pdf)]) == 1
    assert message in capsys.readouterr().err and not pdf.exists()


def test_a_scope_the_document_does_not_take(demo_db, tmp_path, capsys):  # type: ignore[no-untyped-def]
    assert main(["print", "passbook", "--scope", "village:韩家村", "--db", target(demo_db),
                 "-o", str(tmp_path / "p.pdf")]) == 1
    assert "积分存折不能按行政村打印" in capsys.readouterr().err


def test_ranking_notice_in_the_official_template_embeds_its_font(demo_db, tmp_path):  # type: ignore[no-untyped-def]
    close_the_year(demo_db)
    pdf, text = run_print(demo_db, tmp_path, "ranking-notice", "--period", "2026")
    assert fonts_embedded(pdf) and "关于2026年度农村人居环境红黑榜的通报" in re.sub(r"\s+", "", text)
    assert "一、奖惩措施" in re.sub(r"\s+", "", text)
