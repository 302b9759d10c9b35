"""The start window: on screen before the database opens; the demo town builds behind it with
its steps counted."""

from __future__ import annotations

import pytest

from ui.splash import Splash
from ui.start_database import demo_database

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_the_demo_builds_behind_a_window_that_counts_its_steps(qtbot, tmp_path):
    splash = Splash()
    qtbot.addWidget(splash)
    splash.show()
    said: list[tuple[str, int]] = []
    original = splash.say

    def say(text: str, done: int | None = None, total: int | None = None) -> None:
        said.append((text, done or 0))
        original(text, done, total)

    splash.say = say
    db = demo_database(tmp_path, splash)
    db.dispose()
    steps = [done for _text, done in said]
    assert steps == sorted(steps) and len(steps) >= 7
    assert said[-1][0] == f"正在生成演示数据（第 {steps[-1]} 步，共 {steps[-1]} 步），约需十几秒…"
    assert splash.bar.value() == splash.bar.maximum() == steps[-1]
