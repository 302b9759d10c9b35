"""Reading and changing the policy numbers (models.core.settings.SPECS, every area's)."""

from __future__ import annotations

from typing import Any

import models.areas  # noqa: F401  (every area's settings registered)
from models.core import audit, settings
from models.core.access import Permission
from models.core.errors import NotFound
from models.core.service import Service
from models.core.validation import shown


class SettingsService(Service):
    def values(self) -> dict[str, Any]:
        with self.db.read() as s:
            return {key: settings.get(s, spec) for key, spec in settings.SPECS.items()}

    def put(self, key: str, value: Any) -> None:
        spec = settings.SPECS.get(key)
        if spec is None:
            raise NotFound(f"没有名为“{shown(key)}”的设置。")
        with self.operation(Permission.SETTINGS) as s:
            self.require(Permission.SETTINGS, None)
            previous = settings.put(s, spec, value)
            audit.record(s, self.actor, "修改设置", "setting", None,
                         before={spec.key: previous}, after={spec.key: value})
