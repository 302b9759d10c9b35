"""published red/black lists are frozen: a snapshot hash per list, and the database refuses
to change or remove a published list or its entries (a correction is a new version)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from models.ranking.tables import ENTRY_FIELDS, LIST_FIELDS, snapshot_hash

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

REFUSAL = "已公示的红黑榜不能修改或删除；更正请发布新版本。"
TABLES = ("ranking_list", "ranking_entry")
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
    for table in TABLES for verb in ("UPDATE", "DELETE")
]
POSTGRES_TRIGGERS = [
    ("CREATE FUNCTION ranking_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
     f"BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$"),
    *(f"CREATE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table} "
      "FOR EACH ROW EXECUTE FUNCTION ranking_refuse_change()" for table in TABLES),
    *(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
      "FOR EACH STATEMENT EXECUTE FUNCTION ranking_refuse_change()" for table in TABLES),
]


def upgrade() -> None:
    with op.batch_alter_table('ranking_list', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snapshot_hash', sa.String(length=64), nullable=False,
                                      server_default=''))
    bind = op.get_bind()
    entries = defaultdict(list)
    for row in bind.execute(sa.text(f"SELECT list_id, {', '.join(ENTRY_FIELDS)} FROM ranking_entry")):
        entries[row.list_id].append(row)
    lists = bind.execute(sa.text(f"SELECT id, {', '.join(LIST_FIELDS)} FROM ranking_list")).all()
    for row in lists:
        bind.execute(sa.text("UPDATE ranking_list SET snapshot_hash = :h WHERE id = :id"),
                     {"h": snapshot_hash(row, entries.get(row.id, [])), "id": row.id})
    for statement in SQLITE_TRIGGERS if bind.dialect.name == "sqlite" else POSTGRES_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in TABLES:
            for verb in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_no_{verb}")
    else:
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_frozen ON {table}")
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION ranking_refuse_change()")
    # Plain ALTER (SQLite 3.35+): a batch copy of the table would trip over the foreign keys.
    op.execute("ALTER TABLE ranking_list DROP COLUMN snapshot_hash")
