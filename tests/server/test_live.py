"""Seeing other PCs' changes: PC B's people search finds a household PC A just added (and stops
finding it once A removes it) within 5 seconds, through the server's notifications."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import select

from models.core.access import SYSTEM
from models.core.db import Database
from models.org.service import HouseholdInput, OrganisationService
from models.org.tables import Alley
from models.server.changes import ChangeListener
from ui.context import AppContext
from ui.live import start_live_updates
from ui.widgets_search import PersonPicker

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def two_pcs(templates, tmp_path: Path):  # type: ignore[no-untyped-def]
    if templates.server is None:
        pytest.skip("未安装 PostgreSQL 服务器程序，跳过 PostgreSQL 上的测试（CI 中不会跳过）。")
    owner = templates.fresh("postgresql", "demo", tmp_path)
    pc_a, pc_b = Database(owner.url), Database(owner.url)
    yield pc_a, pc_b
    for db in (pc_a, pc_b, owner):
        db.dispose()
    templates.server.admin(f"DROP DATABASE IF EXISTS {owner.url.database} WITH (FORCE)")


def test_a_household_added_on_pc_a_is_found_by_pc_bs_search_within_5_seconds(two_pcs, qtbot,
                                                                               tmp_path: Path):
    pc_a, pc_b = two_pcs
    context = AppContext(pc_b, SYSTEM, tmp_path)
    picker = PersonPicker(context)
    qtbot.addWidget(picker)
    live = start_live_updates(context)
    try:
        picker.set_text("欧阳新户")
        assert picker.hits() == []
        with pc_a.read() as s:
            alley = s.scalar(select(Alley.id).order_by(Alley.id))
        org = OrganisationService(pc_a, SYSTEM)
        started = time.perf_counter()
        household = org.add_household(alley, HouseholdInput("欧阳新户", "新村路1号", "13700001111"))
        qtbot.waitUntil(lambda: [h.name for h in picker.hits()] == ["欧阳新户"], timeout=5000)
        found_after = time.perf_counter() - started
        org.remove_household(household, "整户迁出")
        qtbot.waitUntil(lambda: picker.hits() == [], timeout=5000)
    finally:
        live.stop()
    assert found_after < 5
    print(f"PC B found PC A's household after {found_after * 1000:.0f} ms")


def test_a_pc_does_not_hear_its_own_writes(two_pcs):
    pc_a, pc_b = two_pcs
    listener = ChangeListener(pc_a)
    try:
        listener.open()
        with pc_a.read() as s:
            alley = s.scalar(select(Alley.id).order_by(Alley.id))
        OrganisationService(pc_a, SYSTEM).add_household(alley, HouseholdInput("自己家"))
        assert listener.wait(timeout=1.0) == set()
        OrganisationService(pc_b, SYSTEM).add_household(alley, HouseholdInput("别人家"))
        assert listener.wait(timeout=5.0) == {"org"}
    finally:
        listener.close()
