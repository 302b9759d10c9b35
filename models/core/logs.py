"""The program's log file: rotating, in the data folder, configured once at start. A filter
masks ID numbers and drops anything that looks like a password, whatever the message."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from models.core.masking import scrub

LOG_NAME = "cunzhi.log"


class ScrubFilter(logging.Filter):
    """Rewrites each record's final text, so arguments and tracebacks are scrubbed too."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = scrub(message), None
        return True


def configure(folder: Path, *, max_bytes: int = 1_000_000, backups: int = 5) -> Path:
    """Send the program's logging to folder/cunzhi.log (kept to a few rotated files)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "cunzhi", False):
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
    handler.cunzhi = True  # type: ignore[attr-defined]
    handler.addFilter(ScrubFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path
