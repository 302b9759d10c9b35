"""`main.py selftest`, the check the frozen build's smoke test runs: every page of the main
window's own page table opens, off screen and read-only; a page whose module is missing is named
and fails the check."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from ui.main_window import PAGES, TITLES

ROOT = Path(__file__).resolve().parent.parent


def selftest(target: str, tmp_path: Path, prelude: str = "") -> subprocess.CompletedProcess[str]:
    code = f"{prelude}import sys, main; sys.exit(main.main(['selftest', '--db', {target!r}]))"
    env = {**os.environ, "CUNZHI_DATA": str(tmp_path / "data")}
    env.pop("QT_QPA_PLATFORM", None)  # the command goes off screen by itself
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=False, timeout=300)


def target_of(db) -> str:  # type: ignore[no-untyped-def]
    return str(db.path) if db.path else db.url.render_as_string(hide_password=False)


def test_every_page_opens_read_only(demo_db, tmp_path):
    run = selftest(target_of(demo_db), tmp_path)
    assert run.returncode == 0, run.stderr
    assert f"已打开 {len(TITLES)} 个页面：{'、'.join(TITLES)}" in run.stdout
    assert "安装自检通过" in run.stdout


def test_a_page_module_missing_from_the_installation_fails_by_name(demo_db, tmp_path):
    title, module, _class = PAGES[-2]
    # What a bundle without that page's module looks like to the program.
    run = selftest(target_of(demo_db), tmp_path, f"import sys; sys.modules[{module!r}] = None; ")
    assert run.returncode == 1
    assert f"已打开 {len(TITLES) - 1} 个页面" in run.stdout
    assert f"页面“{title}”打不开：ModuleNotFoundError" in run.stderr
    assert "安装自检未通过：1 个问题" in run.stderr


def test_a_database_of_an_older_schema_is_named_not_opened(templates, tmp_path):
    """The self-test migrates nothing: a database still at an older revision (as after an
    upgrade of the program, before its first start) is refused with what to do."""
    older = templates.fresh("sqlite", "demo", tmp_path)
    older.dispose()
    versions = sorted(p.stem for p in (ROOT / "models" / "migrations" / "versions").glob("0*.py"))
    with sqlite3.connect(older.path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (versions[-2],))
    connection.close()
    before = older.path.read_bytes()
    run = selftest(str(older.path), tmp_path)
    assert run.returncode == 1 and "还是旧版本的格式：用村治通打开一次就会升级" in run.stderr
    assert "已打开" not in run.stdout and older.path.read_bytes() == before


def test_the_photo_formats_the_program_takes_are_readable(monkeypatch):
    """What an installation without Pillow's WebP decoder looks like to the self-test."""
    from PIL import Image

    from ui.selftest import unreadable_photo_formats

    assert unreadable_photo_formats() == []
    Image.init()
    monkeypatch.setattr(Image, "OPEN", {k: v for k, v in Image.OPEN.items() if k != "WEBP"})
    assert unreadable_photo_formats() == ["WEBP"]
