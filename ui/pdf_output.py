"""Getting a generated PDF out of the program: onto a printer (pages rendered by QtPdf, so no
PDF reader is needed) or into a file the user chose. Shared by the print centre and the counter."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget


def save_copy(source: Path, target: Path) -> None:
    """Copy beside the target first, then move into place: never a half-written file."""
    handle, temp = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".part", dir=target.parent)
    os.close(handle)
    try:
        shutil.copyfile(source, temp)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def print_pdf(document: QPdfDocument, printer: QPrinter) -> None:
    """Each page rendered at the printer's resolution (at most 300 dpi) onto its painter."""
    dpi = min(printer.resolution(), 300)
    painter = QPainter(printer)
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            image = document.render(page, size)
            area = painter.viewport()
            scale = min(area.width() / size.width(), area.height() / size.height())
            target = QRectF(QPointF(0, 0), size.toSizeF() * scale)
            painter.drawImage(target, image)
    finally:
        painter.end()


def ask_and_print(document: QPdfDocument, parent: QWidget) -> str | None:
    """The system print dialog, then the pages; the printer's name, or None when cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if QPrintDialog(printer, parent).exec() != QPrintDialog.DialogCode.Accepted:
        return None
    print_pdf(document, printer)
    return printer.printerName()
