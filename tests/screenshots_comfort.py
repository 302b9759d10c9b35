"""Renders the pages that once scrolled sideways with 大字 (兑换柜台, 问题整改, 积分银行), and the
overview and 组织架构 with an alley's households, in a 1024 × 768 screen's window at 10 and 12
pt, at work, into docs/screenshots/ (run by hand:
`PYTHONPATH=. QT_QPA_PLATFORM=offscreen python -m tests.screenshots_comfort`)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from models.accounts.demo import DEMO_SECRETARY
from models.accounts.service import actor_for
from ui import style
from ui.context import AppContext
from ui.main_window import MainWindow
from tests.screenshot_town import demo_town

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
WINDOW = (1024 - 8, 768 - 70)  # a 1024 × 768 screen less the frame, title bar and taskbar
LARGE = 12  # 大字


def main() -> int:
    _app, db, folder = demo_town()  # the application lives as long as main()
    window = MainWindow(AppContext(db, actor_for(db, DEMO_SECRETARY), folder))
    window.show()
    window.resize(*WINDOW)
    for points, suffix in ((style.DEFAULT_FONT_SIZE, ""), (LARGE, "-large")):
        window.font_size.setCurrentIndex(window.font_size.findData(points))
        shoot_pages(window, suffix)
    window.close()
    db.dispose()
    return 0


def shoot_pages(window: MainWindow, suffix: str) -> None:
    window.show_page("概览")
    shoot(window, f"overview-1024x768{suffix}.png")
    organisation = window.show_page("组织架构")
    organisation.go_to_person(organisation.finder.search.find("林金", None, False, 1)[0])
    shoot(window, f"organisation-1024x768{suffix}.png")
    counter = window.show_page("兑换柜台")
    counter.start_over()
    affords = next(hit for hit in counter.counter.find_heads(counter.village_id, "1", limit=200)
                   if counter.counter.head_card(hit.head_id).standing.spendable >= 50)
    counter.search.setText(affords.name)
    counter.pick()
    for goods in (0, 0, 4):
        counter.add_goods(goods)
    shoot(window, f"counter-1024x768{suffix}.png")
    window.show_page("问题整改")
    shoot(window, f"problems-1024x768{suffix}.png")
    points = window.show_page("积分银行")
    points.search.setText("韩")
    points.open_head(points.hit_model.rows[0])
    shoot(window, f"points-1024x768{suffix}.png")


def shoot(window: MainWindow, name: str) -> None:
    QApplication.processEvents()
    window.grab().save(str(OUT / name))


if __name__ == "__main__":
    sys.exit(main())
