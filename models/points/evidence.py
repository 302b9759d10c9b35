"""Evidence of a points entry (a photo of the dirty lane, a letter of commendation), kept in the
database (models/core/files.py) so that the township opens what a village attached.

A ledger entry records its evidence by name and SHA-256 (both inside the entry's hash); the
bytes are the stored file of the passbook's village with that SHA-256. A photo is stored as the
photo importer makes it (upright, downscaled, without EXIF and its GPS position), another file
(a PDF) as it is.

Before files lived in the database, evidence was copied into the posting PC's data folder, under
证据/xx/<sha256>.<ext>; `import_folder` brings such files in, checked against the hash the entry
recorded (migration 0013 does it for a SQLite file's own folder; `main.py import-evidence` for
the PC that posted to a server)."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from models.core import files
from models.core.base import utcnow
from models.core.errors import ValidationError
from models.core.files import FileContent
from models.core.images import IMAGE_SUFFIXES, prepare_image
from models.points.ledger import Evidence

MAX_BYTES = 20 * 1024 * 1024
OLD_FOLDER = "证据"


def prepare(source: Path) -> FileContent:
    """The evidence file as it will be stored, or a plain refusal naming it."""
    source = Path(source)
    if not source.is_file():
        raise ValidationError(f"找不到证据文件“{source}”。")
    if source.suffix.lower() in IMAGE_SUFFIXES:
        return prepare_image(source)
    size = source.stat().st_size
    if size > MAX_BYTES:
        raise ValidationError(f"证据文件“{source.name}”太大（{size / 1024 / 1024:.0f} MB），"
                              f"最多 {MAX_BYTES // 1024 // 1024} MB。")
    media_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
    return FileContent(name=source.name, content=source.read_bytes(), media_type=media_type)


def store(session: Session, content: FileContent, village_id: int, actor_name: str) -> Evidence:
    """Keep the file for the village (once per content) and name it for the entry."""
    stored = files.store(session, content, village_id, actor_name)
    return Evidence(path=stored.original_name, sha256=stored.sha256)


@dataclass(frozen=True)
class Imported:
    imported: int
    missing: tuple[str, ...]  # recorded paths not found (or not matching) in the folder


_WITHOUT_FILE = text("""
    SELECT p.admin_village_id, min(e.evidence_path), e.evidence_sha256
    FROM ledger_entry e JOIN passbook p ON p.id = e.passbook_id
    WHERE e.evidence_sha256 <> '' AND e.evidence_path LIKE :old AND NOT EXISTS (
        SELECT 1 FROM stored_file f
        WHERE f.sha256 = e.evidence_sha256 AND f.admin_village_id = p.admin_village_id)
    GROUP BY p.admin_village_id, e.evidence_sha256 ORDER BY 2""")


def entries_without_file(connection: Connection) -> list[tuple[int, str, str]]:
    """(village, recorded path, SHA-256) of the evidence a PC's data folder held (the old
    layout) and the database does not hold yet. Other evidence names a record, not a file (a
    problem's history), or was stored with its entry."""
    return [tuple(row) for row in connection.execute(_WITHOUT_FILE, {"old": f"{OLD_FOLDER}/%"})]


# Plain SQL on the columns stored_file had when it was made: migration 0013 runs this too, on
# whatever the table looks like then.
_STORE_OLD_FILE = text("""
    INSERT INTO stored_file (sha256, media_type, byte_size, original_name, created_by,
                             admin_village_id, content, created_at)
    VALUES (:sha256, :media_type, :byte_size, :name, :by, :village, :content, :at)
    ON CONFLICT DO NOTHING""")


def import_folder(connection: Connection, folder: Path, actor_name: str) -> Imported:
    """Store every evidence file still missing from the database that `folder` (a data folder of
    the old layout) holds with the very bytes the entry's hash names, unchanged."""
    imported, missing = 0, []
    for village_id, recorded, sha256 in entries_without_file(connection):
        path = folder / PurePosixPath(recorded)
        content = path.read_bytes() if recorded.startswith(OLD_FOLDER) and path.is_file() else None
        if content is None or files.sha256_of(content) != sha256:
            missing.append(recorded)
            continue
        connection.execute(_STORE_OLD_FILE, dict(
            sha256=sha256, media_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
            byte_size=len(content), name=path.name[:files.NAME_LENGTH], by=actor_name,
            village=village_id, content=content, at=utcnow()))
        imported += 1
    return Imported(imported, tuple(missing))
