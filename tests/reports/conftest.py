"""Print-centre tests run as on a machine without Chinese fonts (Qt-free)."""

import pytest

from reports.core import fonts


@pytest.fixture(scope="session", autouse=True)
def shipped_fonts_only():
    """Behave as a machine without Chinese fonts: only the shipped subsets may be used."""
    fonts.use_system_fonts(False)
    yield
    fonts.use_system_fonts(True)
