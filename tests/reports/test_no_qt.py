import subprocess
import sys


def test_reports_import_neither_qt_nor_sqlalchemy():
    code = (
        "import sys, reports.notice, reports.work_id, reports.pledge, reports.duty_card, "
        "reports.roster, reports.passbook, reports.receipt; "
        "print([m for m in sys.modules if m.startswith(('PySide6', 'sqlalchemy'))])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
