"""Alembic's environment for the academy database: every table of ``runtime.db.Base`` (people and
enrolments from runtime.people, courses from academy.db, grading's results, competence and
certificates from grading.store). Run through :mod:`academy.migrations`, which hands over the URL
(``config.attributes["db_url"]``; never in an ini file — it may hold the PostgreSQL password).
"""
from __future__ import annotations

from alembic import context

from academy.migrations.env_engine import engine
from academy.migrations.models import metadata

config = context.config
target_metadata = metadata()


def _configure(connection, url: str) -> None:
    context.configure(
        connection=connection, target_metadata=target_metadata,
        # SQLite cannot ALTER most things: autogenerate writes batch (copy-and-move) operations
        render_as_batch=url.startswith("sqlite"), compare_type=True,
    )


def run_migrations_online() -> None:
    url = config.attributes["db_url"]
    shared = config.attributes.get("connection")
    if shared is not None:  # academy.migrations.upgrade: stamp and upgrade in its one transaction
        _configure(shared, url)
        with context.begin_transaction():
            context.run_migrations()
        return
    eng = engine(url)
    try:
        with eng.connect() as connection:
            _configure(connection, url)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        eng.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not used by the academy")
run_migrations_online()
