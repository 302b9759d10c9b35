"""The photo dialog: a camera photo placed in the one-inch frame and saved; a bomb refused."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from models.core.access import SYSTEM
from models.org.photos import HeadPhotoService
from tests.core.photos import png_header_only
from tests.org.test_head_photos import portrait_jpeg
from tests.store.queue_setup import make_queue
from ui.context import AppContext
from ui.dialogs.head_photo import HeadPhotoDialog
from ui.pages.store.counter import CounterPage

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def dialog(db, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    queue = make_queue(db)
    context = AppContext(db, SYSTEM, tmp_path)
    shown = HeadPhotoDialog(context, queue.wu_head, "吴珍山", queue.village.village_id)
    qtbot.addWidget(shown)
    shown.show()
    return queue, shown, context


def test_a_photo_framed_by_click_and_slider_is_saved_and_shown_at_the_counter(
        dialog, qtbot, db, tmp_path):
    queue, shown, context = dialog
    source = tmp_path / "相机.jpg"
    source.write_bytes(portrait_jpeg())
    assert shown.load(source) and shown.save_button.isEnabled()
    whole = shown.view.box
    shown.zoom.setValue(50)
    qtbot.mouseClick(shown.view, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    left, top, right, bottom = shown.view.box
    assert (left, top) == (0, 0) and right - left < whole[2] - whole[0]
    assert abs((right - left) / (bottom - top) - 25 / 35) < 0.01
    assert shown.cropped.pixmap().height() == 175
    qtbot.mouseClick(shown.save_button, Qt.MouseButton.LeftButton)
    assert shown.result() == shown.DialogCode.Accepted
    assert HeadPhotoService(db, SYSTEM).photo(queue.wu_head)
    counter = CounterPage(context)
    qtbot.addWidget(counter)
    counter.card = counter.counter.head_card(queue.wu_head)
    counter._show_card()
    assert not counter.photo.pixmap().isNull()


def test_a_decompression_bomb_is_refused_in_red_and_nothing_is_saved(dialog, db, tmp_path):
    queue, shown, _context = dialog
    bomb = tmp_path / "炸弹.png"
    bomb.write_bytes(png_header_only(40_000, 40_000))
    assert not shown.load(bomb)
    assert "炸弹.png" in shown.message.text() and "本次没有保存任何内容" in shown.message.text()
    assert not shown.save_button.isEnabled()
    assert HeadPhotoService(db, SYSTEM).photo(queue.wu_head) is None
