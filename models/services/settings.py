"""Reading and changing the policy numbers (models.settings.SPECS)."""

from __future__ import annotations

from typing import Any

from models import audit, settings
from models.access import Permission
from models.errors import NotFound
from models.services.base import Service


class SettingsService(Service):
    def values(self) -> dict[str, Any]:
        with self.db.read() as s:
            return {key: settings.get(s, spec) for key, spec in settings.SPECS.items()}

    def put(self, key: str, value: Any) -> None:
        spec = settings.SPECS.get(key)
        if spec is None:
            raise NotFound(f"没有名为“{key}”的设置。")
        with self.operation(Permission.SETTINGS) as s:
            self.require(Permission.SETTINGS, None)
            previous = settings.put(s, spec, value)
            audit.record(s, self.actor, "修改设置", "setting", None,
                         before={spec.key: previous}, after={spec.key: value})
