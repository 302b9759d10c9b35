"""Who holds the 约谈: the 街道（镇）纪工委 (the report), in one wording on every notice and page."""

from __future__ import annotations

import ast

from models.points.wording import TALK_HOLDER, TALK_RULE
from models.printing.scope import ALL
from models.printing.service import PrintService
from tests.test_clock import ROOT
from ui.context import AppContext
from ui.pages.points.page import PointsPage


def test_the_talk_list_notice_says_the_discipline_committee_holds_the_talk(demo_db, system):
    notice = PrintService(demo_db, system).talk_list_notice(ALL, 2026)
    text = "".join(notice.paragraphs)
    assert TALK_HOLDER == "街道（镇）纪工委" and f"由{TALK_HOLDER}进行约谈" in text
    assert "村党支部书记进行约谈" not in text and TALK_RULE in text


def test_the_points_page_says_the_same(qtbot, demo_db, system, tmp_path):
    page = PointsPage(AppContext(demo_db, system, tmp_path))
    qtbot.addWidget(page)
    assert f"由{TALK_HOLDER}约谈" in page.talk_hint.text() and "镇纪工委" not in page.talk_hint.text()


def _talk_literals(path) -> list[str]:  # type: ignore[no-untyped-def]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [f"{path.relative_to(ROOT)}:{node.lineno} {node.value}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and "约谈" in node.value and ("纪工委" in node.value or "书记进行" in node.value)]


def test_no_other_wording_names_who_holds_the_talk():
    wording = ROOT / "models" / "points" / "wording.py"
    found = [line for folder in ("models", "ui", "reports", "commands")
             for path in sorted((ROOT / folder).rglob("*.py")) if path != wording
             for line in _talk_literals(path)]
    assert not found, "take the wording from models.points.wording:\n" + "\n".join(found)
    assert _talk_literals(wording)  # the scan itself sees the wording
