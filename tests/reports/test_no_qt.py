import subprocess
import sys


def test_reports_import_neither_qt_nor_sqlalchemy():
    code = (
        "import sys, reports.core.notice, reports.org.work_id, reports.org.pledge, "
        "reports.org.duty_card, reports.org.roster, reports.passbook, reports.store.receipt; "
        "print([m for m in sys.modules if m.startswith(('PySide6', 'sqlalchemy'))])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
