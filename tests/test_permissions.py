"""Every mutating service call as every role and village scope: a refused call writes nothing,
a permitted one succeeds and leaves an audit row."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models.db import Database
from models.errors import PermissionDenied
from models.schema import metadata
from tests.operations import ACTORS, OPERATIONS, fixture_data


def row_counts(db: Database) -> dict[str, int]:
    with db.read() as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) for t in metadata.sorted_tables}


@pytest.mark.parametrize("who", list(ACTORS))
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.name)
def test_each_operation_is_refused_or_done_by_role_and_village(demo_db, operation, who):
    fx = fixture_data(demo_db)
    actor = ACTORS[who](fx)
    before = row_counts(demo_db)
    if actor.may(operation.permission, operation.village(fx)):
        operation.call(demo_db, actor, fx)
        assert row_counts(demo_db)["audit_log"] == before["audit_log"] + 1
    else:
        with pytest.raises(PermissionDenied):
            operation.call(demo_db, actor, fx)
        assert row_counts(demo_db) == before


def test_every_role_is_refused_something_and_allowed_something():
    """Guards the table itself: the test above would pass vacuously if nobody were refused."""
    from models.access import ROLE_PERMISSIONS, Permission, Role

    assert ROLE_PERMISSIONS[Role.INSPECTOR] == {Permission.VIEW, Permission.PRINT,
                                               Permission.VIEW_AUDIT}
    assert ROLE_PERMISSIONS[Role.CLERK] == {Permission.VIEW, Permission.COUNTER, Permission.PRINT}
