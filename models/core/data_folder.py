"""Where the program keeps its data when `--db` does not say: one folder for the whole machine, so
that every account of the office (the secretary's and the clerk's own logins) opens the same
database and backups.

- Windows: the folder chosen at set-up (the installer writes it to HKLM\\Software\\cunzhi,
  value DataFolder, and lets every user of the machine change files in it), else
  %ProgramData%\\村治通.
- Linux: /var/lib/cunzhi (made by the .deb for the group cunzhi) when this user may write there,
  else the user's own XDG data folder (~/.local/share/cunzhi). In the shared folder the program
  runs with umask 002, so that what one account makes (database, backups) the others may change.
- CUNZHI_DATA, when set, overrides both (a portable copy, a test).

Earlier versions kept the data per user, in Qt's AppDataLocation (%APPDATA%\\cunzhi,
~/.local/share/cunzhi). A database found there is moved to the machine's folder once, with
everything beside it (backups, evidence files, logs): copied, checked, then removed, so the copies
take the new folder's permissions and an interrupted move starts again cleanly at the next start.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from models.core import clock
from models.core.errors import DatabaseProblem

APP_NAME = "cunzhi"
DATABASE_NAME = "cunzhi.db"
WINDOWS_FOLDER_NAME = "村治通"
LINUX_SHARED_FOLDER = Path("/var/lib/cunzhi")
# In the shared folder (setgid, group cunzhi) what the program makes is the group's to change.
SHARED_UMASK = 0o002
REGISTRY_KEY = r"Software\cunzhi"
REGISTRY_VALUE = "DataFolder"
MOVED_NOTE = "数据已移走.txt"
_PARTIAL = ".移动中"
# The database's own companions move last, together with it (they complete it).
_DATABASE_FILES = (DATABASE_NAME, f"{DATABASE_NAME}-wal", f"{DATABASE_NAME}-shm")


@dataclass
class Move:
    """What move_legacy_data did: `moved` names what now lives in the new folder; `left` says
    why a database stayed in the old folder."""

    moved: list[str] = field(default_factory=list)
    left: str = ""


def settle() -> tuple[Path, Move]:
    """The folder to use now, made if missing: the machine's, after moving an older per-user
    database into it; the old one, for this run, if that move failed (never a fresh empty
    database beside one that did not move)."""
    if os.environ.get("CUNZHI_DATA"):
        return _made(Path(os.environ["CUNZHI_DATA"])), Move()
    new, old = machine_folder(), legacy_folder()
    if new == LINUX_SHARED_FOLDER:
        os.umask(SHARED_UMASK)
    try:
        move = move_legacy_data(old, new)
        return _made(new), move
    except OSError as error:
        return _made(old), Move(left=f"没能把“{old}”中的数据移到“{new}”（{error}），本次仍使用原来的文件夹。")


def _made(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseProblem(f"无法建立数据文件夹“{folder}”（{error.strerror}）。") from error
    return folder


def machine_folder() -> Path:
    """The data folder of this machine (see the module's text), CUNZHI_DATA aside."""
    if sys.platform == "win32":
        chosen = _registry_data_folder()
        if chosen:
            return Path(chosen)
        return Path(os.environ.get("ProgramData", r"C:\ProgramData")) / WINDOWS_FOLDER_NAME
    if sys.platform.startswith("linux") and os.access(LINUX_SHARED_FOLDER, os.W_OK | os.X_OK):
        return LINUX_SHARED_FOLDER
    return legacy_folder()


def legacy_folder() -> Path:
    """The per-user folder of earlier versions: Qt's AppDataLocation for the application name
    "cunzhi" without an organisation (the user's XDG data folder outside Windows)."""
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / APP_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_NAME
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_NAME


def _registry_data_folder() -> str | None:
    import winreg  # Windows only

    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, REGISTRY_KEY, 0,
                            winreg.KEY_READ | winreg.KEY_WOW64_64KEY) as key:
            value, _kind = winreg.QueryValueEx(key, REGISTRY_VALUE)
    except OSError:
        return None
    return str(value) or None


# ---- moving an older per-user database ---------------------------------------------------
def move_legacy_data(old: Path, new: Path) -> Move:
    """Move the old folder's database and everything beside it into the new folder, once: when
    the old folder holds a database and the new one does not."""
    result = Move()
    if not (old / DATABASE_NAME).is_file() or _same_folder(old, new):
        return result
    if (new / DATABASE_NAME).exists():
        result.left = (f"旧的数据文件夹“{old}”中还有一个数据库，没有移动：“{new}”中已经有数据库了。"
                       "如需改用旧的那个，请先备份，再把它复制过去替换。")
        return result
    new.mkdir(parents=True, exist_ok=True)
    entries = sorted(old.iterdir(), key=lambda path: (path.name in _DATABASE_FILES, path.name))
    for entry in entries:
        if entry.name == DATABASE_NAME:
            _move_database(old, new)
        elif entry.name in _DATABASE_FILES or entry.name == MOVED_NOTE:
            continue  # moved with the database, or the note of an earlier move
        else:
            _move_entry(entry, new / entry.name)
        result.moved.append(entry.name)
    (old / MOVED_NOTE).write_text(
        f"{clock.now():%Y-%m-%d %H:%M} 村治通已把这里的数据库和备份移到本机共用的数据文件夹：\n{new}\n",
        encoding="utf-8")
    return result


def _same_folder(old: Path, new: Path) -> bool:
    try:
        return old.resolve() == new.resolve()
    except OSError:
        return False


def _move_entry(source: Path, target: Path) -> None:
    """Copy a file or folder, then remove the source. A different file already at the target
    stays; the old one goes beside it as "<name>.旧"."""
    if source.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        for child in sorted(source.iterdir()):
            _move_entry(child, target / child.name)
        source.rmdir()
        return
    if target.exists() and not filecmp.cmp(source, target, shallow=False):
        target = target.with_name(target.name + ".旧")
    if not target.exists():
        _copy_checked(source, target)
    source.unlink()


def _copy_checked(source: Path, target: Path) -> None:
    """Copy under a temporary name, check the size, then give the final name. The copy is a new
    file, so it takes the target folder's permissions (a renamed file would keep the old ones)."""
    partial = target.with_name(target.name + _PARTIAL)
    shutil.copyfile(source, partial)
    if partial.stat().st_size != source.stat().st_size:
        partial.unlink()
        raise OSError(f"复制“{source}”不完整")
    stat = source.stat()
    os.utime(partial, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(partial, target)


def _move_database(old: Path, new: Path) -> None:
    """The write-ahead log first, the database last: until the database has its final name in
    the new folder, the old folder still holds a complete copy and the move starts over."""
    for name in _DATABASE_FILES[1:]:  # a log left by an earlier, interrupted move is stale
        (new / name).unlink(missing_ok=True)
    wal = old / f"{DATABASE_NAME}-wal"
    if wal.is_file() and wal.stat().st_size > 0:
        _copy_checked(wal, new / wal.name)
    _copy_checked(old / DATABASE_NAME, new / DATABASE_NAME)
    for name in _DATABASE_FILES:
        (old / name).unlink(missing_ok=True)
