"""What every service shares: the database, the acting account, and one-transaction operations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from models.core.access import ROLE_PERMISSIONS, Actor, Permission
from models.core.db import Database
from models.core.errors import PermissionDenied


class Service:
    def __init__(self, db: Database, actor: Actor):
        self.db = db
        self.actor = actor

    @contextmanager
    def operation(self, permission: Permission) -> Iterator[Session]:
        """One user operation: a role that may never do this is refused before the transaction
        opens; the village scope is checked inside (`require`) once the target is loaded, and a
        refusal there rolls everything back."""
        if permission not in ROLE_PERMISSIONS[self.actor.role]:
            self.actor.require(permission)
        with self.db.write() as session:
            yield session

    def require(self, permission: Permission, village_id: int | None) -> None:
        self.actor.require(permission, village_id)

    def visible(self, village_id: int | None) -> bool:
        return self.actor.may(Permission.VIEW, village_id)

    def require_view(self, village_id: int | None) -> None:
        if not self.visible(village_id):
            raise PermissionDenied(f"“{self.actor.name}”只能查看本村的数据。")
