"""Heads' one-inch photos: attached from a file (cropped to 25 × 35 where the user placed the
frame) or from a folder of photos named by the head's name or work ID number (all or nothing),
stored in the database, and read back for the counter and the printed cards."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.core import audit, files
from models.core.access import Permission
from models.core.errors import NotFound, ValidationError
from models.core.files import FileContent
from models.core.images import ImageRefused, crop_to_aspect, prepare_folder, prepare_image
from models.core.service import Service
from models.core.validation import normalise_text
from models.org.tables import Head, HeadPhoto, Resident

Box = tuple[int, int, int, int]  # left, top, right, bottom in the prepared photo's pixels


@dataclass(frozen=True)
class ServingHead:
    head_id: int
    resident_id: int
    name: str
    card_number: str


@dataclass(frozen=True)
class FolderMatch:
    """Which photo goes to which head; `problems` lists every file that cannot be placed."""

    matched: list[tuple[ServingHead, FileContent]]
    problems: list[str]


def match_photos(photos: Iterable[FileContent], heads: Sequence[ServingHead]) -> FolderMatch:
    """A photo named 吴珍山.jpg or WZ000386.jpg goes to the head of that name or work ID number;
    a name two serving heads share must be the number instead."""
    by_number = {normalise_text(h.card_number).upper(): h for h in heads if h.card_number.strip()}
    by_name: dict[str, list[ServingHead]] = {}
    for head in heads:
        by_name.setdefault(head.name, []).append(head)
    matched, problems, taken = [], [], {}
    for photo in photos:
        stem = normalise_text(Path(photo.name).stem)
        named = by_name.get(stem, [])
        head = by_number.get(stem.upper()) or (named[0] if len(named) == 1 else None)
        if len(named) > 1 and head is None:
            problems.append(f"“{photo.name}”：本村有 {len(named)} 位负责人叫{stem}，"
                            "请把文件名改成他的工作证编号。")
        elif head is None:
            problems.append(f"“{photo.name}”：本村没有叫这个名字或用这个工作证编号的在任负责人。")
        elif head.head_id in taken:
            problems.append(f"“{photo.name}”和“{taken[head.head_id]}”都是{head.name}的照片，"
                            "请只留一张。")
        else:
            taken[head.head_id] = photo.name
            matched.append((head, photo))
    return FolderMatch(matched, problems)


def prepare_photo(source: Path | bytes, name: str | None = None) -> FileContent:
    """A photo file read, checked and made upright (ImageRefused for a hostile or huge one);
    done before any transaction opens."""
    return prepare_image(source, name)


def latest_photos(session: Session, resident_ids: Iterable[int]) -> dict[int, bytes]:
    """The newest photo of each of these people that has one, verified against its hash."""
    wanted = set(resident_ids)
    if not wanted:
        return {}
    newest = (select(func.max(HeadPhoto.id)).where(HeadPhoto.resident_id.in_(wanted))
              .group_by(HeadPhoto.resident_id))
    rows = session.execute(select(HeadPhoto.resident_id, HeadPhoto.stored_file_id)
                           .where(HeadPhoto.id.in_(newest))).all()
    return {resident_id: files.load(session, file_id).content for resident_id, file_id in rows}


class HeadPhotoService(Service):
    def photo(self, head_id: int) -> bytes | None:
        with self.db.read() as s:
            head = self._head(s, head_id)
            self.require_view(head.admin_village_id)
            return latest_photos(s, [head.resident_id]).get(head.resident_id)

    def attach(self, head_id: int, photo: FileContent, box: Box | None = None) -> int:
        """The head's photo from now on: `photo` (prepared) cropped to the one-inch frame at
        `box` (the largest centred frame when None). Returns the head_photo id."""
        cropped = crop_to_aspect(photo, box=box)
        with self.operation(Permission.EDIT_ORGANISATION) as s:
            head = self._head(s, head_id)
            self.require(Permission.EDIT_ORGANISATION, head.admin_village_id)
            return self._attach(s, head.admin_village_id, head.resident_id, head_id, cropped)

    def attach_folder(self, village_id: int, folder: Path) -> int:
        """Every photo in `folder` given to the serving head it is named after, or none (a
        refused or unplaced file is named with the reason). Returns how many were attached."""
        batch = prepare_folder(folder)
        if batch.refused:
            raise ImageRefused(f"有 {len(batch.refused)} 个文件不能导入，本次没有导入任何照片：\n"
                               + "\n".join(r.reason for r in batch.refused))
        if not batch.prepared:
            raise ValidationError(f"文件夹“{folder}”里没有照片（jpg、png 等）。")
        cropped = [crop_to_aspect(p) for p in batch.prepared]
        with self.operation(Permission.EDIT_ORGANISATION) as s:
            self.require(Permission.EDIT_ORGANISATION, village_id)
            match = match_photos(cropped, self._serving(s, village_id))
            if match.problems:
                raise ValidationError(f"有 {len(match.problems)} 张照片对不上人，本次没有导入任何照片：\n"
                                      + "\n".join(match.problems))
            for head, photo in match.matched:
                self._attach(s, village_id, head.resident_id, head.head_id, photo)
            return len(match.matched)

    def _attach(self, s: Session, village_id: int, resident_id: int, head_id: int,
                photo: FileContent) -> int:
        stored = files.store(s, photo, village_id, self.actor.name)
        row = HeadPhoto(resident_id=resident_id, stored_file_id=stored.id,
                        attached_by=self.actor.name)
        s.add(row)
        s.flush()
        name = s.scalar(select(Resident.name).where(Resident.id == resident_id))
        audit.record(s, self.actor, "登记负责人照片", "head", head_id, village_id=village_id,
                     after={"name": name, "file": stored.id, "original": photo.name})
        return row.id

    @staticmethod
    def _head(s: Session, head_id: int) -> Head:
        head = s.get(Head, head_id)
        if head is None:
            raise NotFound("这条负责人记录不存在，请刷新后重试。")
        return head

    @staticmethod
    def _serving(s: Session, village_id: int) -> list[ServingHead]:
        rows = s.execute(select(Head.id, Head.resident_id, Resident.name, Head.work_id_number)
                         .join(Resident, Resident.id == Head.resident_id)
                         .where(Head.admin_village_id == village_id, Head.ended_on.is_(None)))
        return [ServingHead(*row) for row in rows]
