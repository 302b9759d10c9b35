"""Alembic environment: runs on the program's own Database, never on an alembic.ini URL."""

from alembic import context

from models.areas import metadata

database = context.config.attributes["database"]

with database._write_engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=database.is_sqlite,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
