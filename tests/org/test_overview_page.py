"""概览 for a village account: its own natural villages, not a one-row table of villages."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from models.accounts.service import actor_for
from models.org.directory import DirectoryService
from ui.context import AppContext
from ui.pages.overview import OverviewPage

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_a_secretary_sees_his_natural_villages_adding_up_to_his_village(qtbot, demo_db, tmp_path: Path):  # type: ignore[no-untyped-def]
    secretary = actor_for(demo_db, "hanjia")
    page = OverviewPage(AppContext(demo_db, secretary, tmp_path))
    qtbot.addWidget(page)
    rows = page.villages.rows
    stats = DirectoryService(demo_db, secretary).stats()
    assert page.villages.headerData(0, Qt.Orientation.Horizontal) == "自然村"
    assert len(rows) == stats["natural_villages"]
    assert sum(r.zones for r in rows) == stats["zones"] and sum(r.alleys for r in rows) == stats["alleys"]
    assert sum(r.households for r in rows) == stats["households"]
    assert sum(r.heads for r in rows) == stats["zone_heads"] + stats["alley_heads"]
    other = DirectoryService(demo_db, secretary).natural_village_summaries(secretary.village_id + 1)
    assert other == []  # another village's breakdown is not his to read
