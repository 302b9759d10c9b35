"""Backups from inside the program, for the signed-in account. Restoring replaces the whole
database, so it needs RESTORE for every village the file holds (a secretary may restore the
file of his own village's PC, not a township-wide one)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from models.backup import files as backup
from models.core import audit
from models.core.access import Permission
from models.core.db import Database
from models.core.errors import DatabaseProblem
from models.core.service import Service
from models.org.tables import AdminVillage


class BackupService(Service):
    @property
    def on_server(self) -> bool:
        return self.db.path is None

    @property
    def may_back_up(self) -> bool:
        """Backups are for who may restore them: the secretary and the township administrator
        (a clerk's or an inspector's backups would push the automatic ones out of rotation)."""
        return self.actor.may(Permission.RESTORE, self.actor.village_id)

    def backups(self) -> list[backup.BackupFile]:
        self.actor.require(Permission.RESTORE, self.actor.village_id)
        if self.on_server:
            return []
        return backup.list_backups(backup.backup_folder(self.db.path), self.db.path.stem)

    def backup_now(self) -> Path:
        self.actor.require(Permission.RESTORE, self.actor.village_id)
        if self.on_server:
            raise DatabaseProblem(backup.POSTGRES_ADVICE)
        return backup.make_backup(self.db.path, "手动")

    def restore(self, chosen: Path) -> Path | None:
        """Put the chosen backup in place (the current file is kept in the backup folder) and
        record it in the restored database's trail. The program must reopen the database."""
        if self.on_server:
            raise DatabaseProblem("PostgreSQL 数据库请由服务器管理员用 pg_restore 恢复。")
        self._require_whole_file()
        self.db.dispose()
        kept = backup.restore(chosen, self.db.path)
        record_restore(self.db.path, self.actor, chosen, kept)
        return kept

    def export_copy(self, destination: Path) -> Path:
        self.actor.require(Permission.SETTINGS, None)
        return backup.export_to_sqlite(self.db, destination)

    def _require_whole_file(self) -> None:
        with self.db.read() as s:
            villages = list(s.scalars(select(AdminVillage.id)))
        for village_id in villages or [None]:
            self.actor.require(Permission.RESTORE, village_id)


def record_restore(path: Path, actor, chosen: Path, kept: Path | None) -> None:  # type: ignore[no-untyped-def]
    restored = Database(path)
    try:
        with restored.write() as s:
            audit.record(s, actor, "从备份恢复", "database", None,
                         after={"file": chosen.name, "kept": kept.name if kept else ""})
    finally:
        restored.dispose()
