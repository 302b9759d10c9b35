"""Files kept in the database, so that a township server shares them with every PC and a backup
carries them. Rows are append-only (the database refuses UPDATE and DELETE) and content-addressed:
the same bytes stored twice for the same village give the same row.

`store` and `load` work inside the caller's transaction: the calling service checks the
permission (the row's `admin_village_id` is its scope; None is the township's) and writes the
audit row. `check` re-hashes every stored file."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, LargeBinary, String, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column, undefer

from models.core import text_limits
from models.core.base import Base, CreatedAt
from models.core.checks import invariant
from models.core.errors import DomainError, NotFound

NAME_LENGTH = 255


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass(frozen=True)
class FileContent:
    """Bytes ready to be stored, with what is known about them. `taken_at` is the local
    wall-clock time a photo was taken (as the camera or the file name says), if known."""

    name: str
    content: bytes
    media_type: str
    width: int | None = None
    height: int | None = None
    taken_at: datetime | None = None
    sha256: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sha256", sha256_of(self.content))


class StoredFile(Base, CreatedAt):
    __tablename__ = "stored_file"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(100))
    byte_size: Mapped[int]
    original_name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    width: Mapped[int | None]
    height: Mapped[int | None]
    taken_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(60))
    admin_village_id: Mapped[int | None] = mapped_column(ForeignKey("admin_village.id"), index=True)
    # Deferred: lists and cards read the metadata without pulling every photo's bytes.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


# One row per content and scope; coalesce because NULLs (the township's scope) never clash.
Index("uq_stored_file_scope_sha256", func.coalesce(StoredFile.admin_village_id, 0),
      StoredFile.sha256, unique=True)


def _same_scope(village_id: int | None):  # type: ignore[no-untyped-def]
    return func.coalesce(StoredFile.admin_village_id, 0) == (village_id or 0)


def _clipped(name: str) -> str:
    """Keep the suffix of an over-long file name."""
    if len(name) <= NAME_LENGTH:
        return name
    suffix = "." + name.rpartition(".")[2] if "." in name[-16:] else ""
    return name[:NAME_LENGTH - len(suffix)] + suffix


def store(session: Session, file: FileContent, village_id: int | None, actor_name: str) -> StoredFile:
    """The row holding these bytes in this scope: inserted, or the one already there."""
    name = text_limits.check(StoredFile.original_name, _clipped(file.name))  # no NUL and such
    values = dict(sha256=file.sha256, media_type=file.media_type, byte_size=len(file.content),
                  original_name=name, width=file.width, height=file.height,
                  taken_at=file.taken_at, created_by=actor_name, admin_village_id=village_id,
                  content=file.content)
    maker = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    # ON CONFLICT DO NOTHING: two PCs storing the same photo at once still give one row.
    session.execute(maker(StoredFile).values(**values).on_conflict_do_nothing())
    return session.scalars(select(StoredFile).where(
        _same_scope(village_id), StoredFile.sha256 == file.sha256)).one()


def load(session: Session, file_id: int) -> StoredFile:
    """The stored file with its `content` loaded, verified against its recorded SHA-256."""
    stored = session.scalars(select(StoredFile).where(StoredFile.id == file_id)
                             .options(undefer(StoredFile.content))).one_or_none()
    if stored is None:
        raise NotFound(f"文件（编号 {file_id}）不存在。")
    if mismatch(stored.sha256, stored.byte_size, stored.content):
        raise DomainError(f"{describe(stored.id, stored.original_name)}的内容与存入时不符，"
                          "已被程序以外的方式改动，不能使用。请运行数据检查。")
    return stored


def mismatch(sha256: str, byte_size: int, content: bytes) -> bool:
    return len(content) != byte_size or sha256_of(content) != sha256


def describe(file_id: int, name: str) -> str:
    return f"文件 {file_id}“{name}”"


@invariant
def stored_files_intact(session: Session) -> list[str]:
    rows = session.execute(select(StoredFile.id, StoredFile.original_name, StoredFile.sha256,
                                  StoredFile.byte_size, StoredFile.content).order_by(StoredFile.id))
    return [f"{describe(row.id, row.original_name)}的内容与存入时登记的校验值不符，"
            "已被程序以外的方式改动。"
            for row in rows.yield_per(50) if mismatch(row.sha256, row.byte_size, row.content)][:50]
