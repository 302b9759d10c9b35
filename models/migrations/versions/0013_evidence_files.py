"""points evidence into the database: the files a PC copied into its data folder (证据/…) are
stored in stored_file, checked against the SHA-256 each ledger entry recorded. On a SQLite file
the data folder is the file's own; a server's PCs run `main.py import-evidence` themselves.

Revision ID: 0013_evidence_files
Revises: 0012_server
Create Date: 2026-12-01
"""

from pathlib import Path

from alembic import op

from models.points.evidence import import_folder

revision = '0013_evidence_files'
down_revision = '0012_server'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and bind.engine.url.database:
        import_folder(bind, Path(bind.engine.url.database).parent, "升级程序")


def downgrade() -> None:
    """The files stay: stored_file is append-only, and the entries still name them."""
