"""organisation rules: the services now refuse sibling units sharing a name, an ID number held
twice and over-long names. Whatever of these a database already holds is reported (in the log;
`check` lists it too) and left as it is, so that the upgrade never fails on old data.

Revision ID: 0015_org_rules
Revises: 0014_head_photos
Create Date: 2026-12-01
"""

import logging

from alembic import op
from sqlalchemy.orm import Session

from models.org.uniqueness import duplicate_id_numbers, duplicate_names, over_long_names

revision = "0015_org_rules"
down_revision = "0014_head_photos"
branch_labels = None
depends_on = None

log = logging.getLogger("cunzhi.migrations")


def upgrade() -> None:
    session = Session(bind=op.get_bind())
    found = duplicate_names(session) + duplicate_id_numbers(session) + over_long_names(session)
    for line in found:
        log.warning("升级时发现已有数据不符合新规则（未改动，请人工处理）：%s", line)


def downgrade() -> None:
    pass
