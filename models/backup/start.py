"""What keeps a database file from being opened at the program's start, said so that a village
secretary can act on it: what happened, and what to do (choose another file, restore a backup,
ask the township). Checked before anything connects, so nothing is created or changed."""

from __future__ import annotations

import enum
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from models.backup.files import backup_folder, file_problems, newest_good_backup
from models.core.db import SQLITE_MAGIC, refuse_other_programs
from models.core.errors import DatabaseProblem

ASK_TOWNSHIP = "如果不清楚该怎么办，请联系镇（街道）负责村治通的技术人员。"


class StartKind(enum.Enum):
    MISSING = "找不到数据库文件"
    FOLDER = "选中的是文件夹"
    FOREIGN = "不是村治通的数据库"
    READ_ONLY = "数据库不能写入"
    DAMAGED = "数据库文件损坏"
    FAILED = "数据库打不开"


_TODO = {
    StartKind.MISSING: "请点“选择其他数据库文件”找到它（村治通的数据库通常叫 cunzhi.db，放在数据文件夹里）。"
                       "如果文件被删掉了，可以用“备份”文件夹里最近的一份备份恢复（cunzhi-cli restore）。",
    StartKind.FOLDER: "请点“选择其他数据库文件”，在这个文件夹里选中数据库文件本身（通常叫 cunzhi.db）。",
    StartKind.FOREIGN: "可能选错了文件。请点“选择其他数据库文件”选择村治通的数据库（通常叫 cunzhi.db）。"
                       "如果原来的数据库变成了这样，请用“备份”文件夹里的备份恢复（cunzhi-cli restore）。",
    StartKind.READ_ONLY: "程序在这里什么也不能保存。请把数据库文件拷到可以写入的文件夹（例如数据文件夹）后"
                         "选择它，或者请技术人员给这个文件夹和文件写入的权限。",
    StartKind.DAMAGED: "请用“备份”文件夹里最近的一份完好的备份恢复（cunzhi-cli restore），"
                       "或选择其他数据库文件。损坏的文件请不要删除。",
    StartKind.FAILED: "请点“选择其他数据库文件”换一个文件试试，或者把日志文件发给技术人员。",
}


@dataclass(frozen=True)
class StartProblem:
    kind: StartKind
    path: Path | None
    what: str  # what happened, in one or two sentences

    @property
    def title(self) -> str:
        return self.kind.value

    @property
    def todo(self) -> str:
        return f"{_TODO[self.kind]}{ASK_TOWNSHIP}"


def start_problem(path: Path, *, may_be_new: bool) -> StartProblem | None:
    """What is wrong with the database file at `path`, or None when it may be opened. A missing
    file is a problem unless `may_be_new` (the default database on a first start)."""
    if path.is_dir():
        return StartProblem(StartKind.FOLDER, path, f"“{path}”是一个文件夹，不是数据库文件。")
    if not path.exists():
        if not path.parent.is_dir():
            return StartProblem(StartKind.MISSING, path,
                                f"数据库应在的文件夹“{path.parent}”不存在。")
        if not may_be_new:
            return StartProblem(StartKind.MISSING, path, f"找不到数据库文件“{path}”。")
        return _read_only(path)
    foreign = _foreign(path)
    if foreign is not None and newest_good_backup(backup_folder(path), path.stem) is None:
        return StartProblem(StartKind.FOREIGN, path, foreign)
    damaged = file_problems(path) if foreign is None else [foreign]
    if damaged:  # with a good backup beside it: the way back is offered (DamagedDialog)
        return StartProblem(StartKind.DAMAGED, path, damaged[0])
    return _read_only(path)


def _foreign(path: Path) -> str | None:
    if path.stat().st_size == 0:
        return f"文件“{path.name}”是空的（0 字节），里面没有任何数据。程序没有修改它。"
    with path.open("rb") as handle:
        if handle.read(16) != SQLITE_MAGIC:
            return (f"文件“{path.name}”不是数据库文件（可能是文本、表格或其他文件）。"
                    "程序没有修改它。")
    try:
        refuse_other_programs(path)
    except DatabaseProblem as problem:
        return str(problem)
    return None


def _read_only(path: Path) -> StartProblem | None:
    """Tried rather than asked (os.access): an administrator account, a read-only medium and
    an immutable folder are all told the truth only by an attempt."""
    folder = path.parent
    probe = folder / f".cunzhi-probe-{uuid.uuid4().hex}"
    try:
        os.close(os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        probe.unlink()
    except OSError:
        return StartProblem(StartKind.READ_ONLY, path,
                            f"数据库所在的文件夹“{folder}”是只读的（或没有写入权限），"
                            "数据库需要在它旁边写入工作文件。")
    if path.exists():
        try:
            with path.open("r+b"):
                pass
        except OSError:
            return StartProblem(StartKind.READ_ONLY, path,
                                f"数据库文件“{path.name}”是只读的（或没有写入权限）。")
    return None


def failed(path: Path | None, explanation: str) -> StartProblem:
    """An error met while opening or upgrading the database, already in plain Chinese."""
    return StartProblem(StartKind.FAILED, path, explanation)
