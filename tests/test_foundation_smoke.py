"""The demo town matches the report, on both engines."""

from models.access import SYSTEM
from models.services.directory import DirectoryService

REPORT_TOTALS = {"admin_villages": 6, "natural_villages": 32, "zones": 193, "alleys": 385,
                 "zone_heads": 193, "alley_heads": 385, "households": 3070, "residents": 7397}


def test_demo_town_has_the_report_totals(demo_db):
    assert DirectoryService(demo_db, SYSTEM).stats() == REPORT_TOTALS
