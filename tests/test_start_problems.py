"""A database that cannot be used at the start: each case a Chinese dialog saying what happened
and what to do, the program then leaving with status 1, never a traceback or a silent exit."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from models.core.db import Database
from models.core.schema import migrate
from tests.modal import when_shown
from ui.dialogs.damaged import DamagedDialog
from ui.dialogs.start_problem import StartProblemDialog
from ui.start_database import open_database

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "数据"
    monkeypatch.setenv("CUNZHI_DATA", str(folder))
    hook = sys.excepthook
    yield folder
    sys.excepthook = hook


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write to: chmod for an ordinary account, and the immutable flag for
    root (whom permissions do not stop), as a locked-down office PC or a CD would be."""
    folder = tmp_path / "只读"
    folder.mkdir()
    good = folder / "cunzhi.db"
    migrate(db := Database(good))
    db.dispose()
    folder.chmod(0o555)
    immutable = subprocess.run(["chattr", "+i", str(folder)], check=False,
                               capture_output=True).returncode == 0
    yield folder
    if immutable:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    folder.chmod(0o755)


def _start(target: Path | str, act=StartProblemDialog.reject) -> tuple[int, list]:  # type: ignore[no-untyped-def]
    from main import main

    seen = when_shown(StartProblemDialog, act)
    return main(["--db", str(target)]), seen


def _text_file(tmp_path: Path) -> Path:
    path = tmp_path / "说明.db"
    path.write_text("这不是数据库。\n", encoding="utf-8")
    return path


def _empty_file(tmp_path: Path) -> Path:
    path = tmp_path / "空.db"
    path.touch()
    return path


CASES = {
    "text file": (_text_file, "不是村治通的数据库", "不是数据库文件"),
    "0-byte file": (_empty_file, "不是村治通的数据库", "是空的（0 字节）"),
    "folder": (lambda tmp: tmp, "选中的是文件夹", "是一个文件夹"),
    "missing file": (lambda tmp: tmp / "没有这个.db", "找不到数据库文件", "找不到数据库文件"),
    "missing folder": (lambda tmp: tmp / "没有" / "cunzhi.db", "找不到数据库文件", "不存在"),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_each_bad_database_opens_a_dialog_that_says_what_to_do(qtbot, data_folder, tmp_path, case):
    make, title, what = case
    target = make(tmp_path)
    before = target.read_bytes() if target.is_file() else None
    code, seen = _start(target)
    assert code == 1 and len(seen) == 1
    dialog = seen[0]
    assert dialog.windowTitle() == f"村治通 — {title}" and what in dialog.what.text()
    assert "怎么办" in dialog.todo.text() and "技术人员" in dialog.todo.text()
    buttons = [b.text() for b in dialog.findChild(QDialogButtonBox).buttons()]
    assert sorted(buttons) == sorted(["选择其他数据库文件…", "退出程序"])
    assert (target.read_bytes() if target.is_file() else None) == before
    assert not Path(f"{target}-wal").exists()


def test_a_read_only_folder_says_so_and_writes_nothing(qtbot, data_folder, read_only_folder):
    before = sorted(p.name for p in read_only_folder.iterdir())
    code, seen = _start(read_only_folder / "cunzhi.db")
    assert code == 1 and seen[0].problem.title == "数据库不能写入"
    assert "只读" in seen[0].what.text() and "写入的权限" in seen[0].todo.text()
    assert sorted(p.name for p in read_only_folder.iterdir()) == before


def test_choosing_another_file_goes_on_with_it(qtbot, data_folder, tmp_path):
    good = tmp_path / "好的.db"
    migrate(db := Database(good))
    db.dispose()

    def choose(dialog: StartProblemDialog) -> None:
        dialog.ask_for_file = lambda _start: str(good)
        dialog.choose_button.click()

    seen = when_shown(StartProblemDialog, choose)
    opened = open_database(argparse.Namespace(demo=False, db=str(_text_file(tmp_path))),
                           data_folder)
    assert len(seen) == 1 and opened is not None and opened.path == good.resolve()
    opened.dispose()


def test_a_damaged_file_without_a_backup_is_explained_too(qtbot, data_folder, tmp_path):
    path = tmp_path / "cunzhi.db"
    migrate(db := Database(path))
    db.dispose()
    with path.open("r+b") as handle:  # a page in the middle overwritten: damaged, not foreign
        handle.seek(4096 * 3)
        handle.write(b"\xff" * 4096)
    seen = when_shown(DamagedDialog, DamagedDialog.reject)
    from main import main

    assert main(["--db", str(path)]) == 1 and len(seen) == 1
    assert seen[0].windowTitle() == "村治通 — 数据库文件损坏"
