"""The set-up wizard offers the township's names and the caps, and saves the caps with the
account."""

from __future__ import annotations

import pytest

from models.core import settings
from models.core.access import SYSTEM
from models.org.service import OrganisationService
from ui.dialogs.first_run import FirstRunDialog

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_the_wizard_offers_the_townships_names_and_saves_the_caps(db, qtbot):
    org = OrganisationService(db, SYSTEM)
    org.create_admin_village(org.create_township("韩集镇"), "韩家村")
    dialog = FirstRunDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.township.text() == "韩集镇" and dialog.village.text() == "韩家村"
    assert (dialog.zone_cap.value(), dialog.alley_cap.value()) == (50, 10)
    dialog.name.setText("韩书记")
    dialog.username.setText("hanjia")
    for field in (dialog.password, dialog.again):
        field.setText("韩家村的书记密码")
    dialog.zone_cap.setValue(40)
    dialog.alley_cap.setValue(8)
    dialog.save()
    assert dialog.actor is not None and dialog.error.text() == ""
    with db.read() as s:
        assert settings.get(s, settings.ZONE_HOUSEHOLD_CAP) == 40
        assert settings.get(s, settings.ALLEY_HOUSEHOLD_CAP) == 8


def test_an_empty_database_suggests_examples(db, qtbot):
    dialog = FirstRunDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.township.text() == "" and dialog.township.placeholderText() == "例如：韩集镇"
