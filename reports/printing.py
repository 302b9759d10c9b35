"""The print centre's paper: renders a print job the printing service has checked and loaded, to
a PDF (a temp file in the same folder, then os.replace: never a half-written file), and hands the
page count back to the service, which audits it.

Characters no font on this PC can draw would print as blanks (a name losing a character): they
are found before anything is written, refused unless the caller allows them (the print centre's
preview does, and lists them), and named in the result."""

from __future__ import annotations

import dataclasses
import importlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from models.core.errors import ValidationError
from models.printing.scope import Scope
from models.printing.service import PrintJob, PrintResult, PrintService
from models.worklog.calendar import Month
from reports.core import font_files, fonts

if TYPE_CHECKING:
    from models.problems.service import ProblemFilter

Progress = Callable[[int, int], None]
# The renderer of each kind, imported only when that kind is printed (a print command's start
# loads no other document's code). The 约谈 list is a notice.
RENDERERS = {
    "work-ids": ("reports.org.work_id", "render_work_ids"),
    "duty-cards": ("reports.org.duty_card", "render_duty_cards"),
    "roster": ("reports.org.roster", "render_rosters"),
    "pledges": ("reports.org.pledge", "render_pledges"),
    "passbook": ("reports.passbook", "render_passbook"),
    "receipt": ("reports.store.receipt", "render_receipt"),
    "talk-list": ("reports.core.notice", "render_notice"),
    "worklog-sheets": ("reports.worklog.log_sheet", "render_log_sheets"),
    "worklog-reminders": ("reports.worklog.reminders", "render_reminders"),
    "problem-ledger": ("reports.problems.ledger", "render_problem_ledger"),
    "problem-notice": ("reports.problems.notice", "render_problem_notice"),
    "supervision-slip": ("reports.problems.supervision", "render_supervision_slip"),
    "honour-list": ("reports.core.notice", "render_notice"),
    "honour-certificates": ("reports.people.certificate", "render_certificates"),
    "assessment": ("reports.core.notice", "render_notice"),
    "talent-register": ("reports.people.register", "render_register"),
    "talent-forms": ("reports.people.recommendation", "render_forms"),
}


def print_document(service: PrintService, kind: str, scope: Scope | None, target: Path, *,
                   year: int | None = None, paper: str = "", number: str = "",
                   doc_number: str = "", progress: Progress | None = None,
                   month: Month | None = None, allow_missing: bool = False,
                   problem_filter: ProblemFilter | None = None) -> PrintResult:
    """Render one print job to `target` (PDF) and audit it; returns the page count.

    Refused (nothing written) when a character is in no font, unless `allow_missing`."""
    job = service.job(kind, scope, year=year, paper=paper, number=number, doc_number=doc_number,
                      month=month, problem_filter=problem_filter)
    missing, where = missing_characters(job.document)
    if missing and not allow_missing:
        raise ValidationError(f"{missing_text(missing, where)}确需照样打印时，命令行加 --allow-missing。")
    pages = _write_atomically(Path(target), lambda out: render(job, out, progress))
    return dataclasses.replace(service.record_printed(job, pages, Path(target)), missing=missing,
                               missing_in=where)


def missing_characters(document: object) -> tuple[str, tuple[str, ...]]:
    """Characters of the document's text that no font of this PC can draw, each once, and up
    to five of the texts (names, addresses) that hold them."""
    texts = list(dict.fromkeys(_strings(document)))
    missing = fonts.missing_anywhere("".join(texts))
    where = tuple(t for t in texts if any(c in t for c in missing))[:5] if missing else ()
    return missing, where


def missing_text(missing: str, where: tuple[str, ...] = ()) -> str:
    """What to tell the user: the characters, where they are, and what font to install."""
    seen = f"（见“{'”“'.join(w[:20] for w in where)}”）" if where else ""
    return (f"本机没有字体含有这些字符，打印出来会是空框“□”：{'、'.join(missing)}{seen}。"
            f"请安装含有它们的 TrueType 字体（例如 {font_files.EXT_B_FONT_HINT}）后再打印。")


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _strings(getattr(value, field.name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def render(job: PrintJob, out: Path, progress: Progress | None = None) -> int:
    """One job's document to `out`; returns the page count."""
    key, data = job.kind.key, job.document
    module, name = RENDERERS[key]
    renderer = getattr(importlib.import_module(module), name)
    if key in ("work-ids", "pledges", "worklog-sheets", "honour-certificates", "talent-forms"):
        return renderer(data, out, progress=progress)
    if key == "duty-cards":
        return renderer(data, out, job.paper, progress=progress)
    if key == "receipt":
        return renderer(data, out, job.paper)
    return renderer(data, out)


def _write_atomically(target: Path, render_to: Callable[[Path], int]) -> int:
    """Render into a temp file beside the target and move it into place only when complete."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".part", dir=target.parent)
    os.close(handle)
    try:
        pages = render_to(Path(temp))
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return pages
