"""The print centre's paper: renders a print job the printing service has checked and loaded, to
a PDF (a temp file in the same folder, then os.replace: never a half-written file), and hands the
page count back to the service, which audits it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from models.printing.scope import Scope
from models.printing.service import PrintJob, PrintResult, PrintService
from models.worklog.calendar import Month
from reports.core.notice import render_notice
from reports.org.duty_card import render_duty_cards
from reports.org.pledge import render_pledges
from reports.org.roster import render_rosters
from reports.org.work_id import render_work_ids
from reports.passbook import render_passbook
from reports.store.receipt import render_receipt
from reports.worklog.log_sheet import render_log_sheets
from reports.worklog.reminders import render_reminders

Progress = Callable[[int, int], None]


def print_document(service: PrintService, kind: str, scope: Scope, target: Path, *,
                   year: int | None = None, paper: str = "", number: str = "",
                   doc_number: str = "", progress: Progress | None = None,
                   month: Month | None = None) -> PrintResult:
    """Render one print job to `target` (PDF) and audit it; returns the page count."""
    job = service.job(kind, scope, year=year, paper=paper, number=number, doc_number=doc_number,
                      month=month)
    pages = _write_atomically(Path(target), lambda out: render(job, out, progress))
    return service.record_printed(job, pages, Path(target))


def render(job: PrintJob, out: Path, progress: Progress | None = None) -> int:
    """One job's document to `out`; returns the page count."""
    key, data = job.kind.key, job.document
    if key == "work-ids":
        return render_work_ids(data, out, progress=progress)
    if key == "duty-cards":
        return render_duty_cards(data, out, job.paper, progress=progress)
    if key == "roster":
        return render_rosters(data, out)
    if key == "pledges":
        return render_pledges(data, out, progress=progress)
    if key == "passbook":
        return render_passbook(data, out)
    if key == "receipt":
        return render_receipt(data, out, job.paper)
    if key == "worklog-sheets":
        return render_log_sheets(data, out, progress=progress)
    if key == "worklog-reminders":
        return render_reminders(data, out)
    return render_notice(data, out)


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
