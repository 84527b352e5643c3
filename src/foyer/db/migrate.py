"""Schema migrations (Alembic), applied by ``foyer db upgrade`` and checked by the gateway."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from foyer.db.engine import Database, DatabaseError

MIGRATIONS = Path(__file__).parent / "migrations"


class SchemaOutdated(DatabaseError):
    """The database's schema is not the one this Foyer needs."""


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration this Foyer ships."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    """The migration the database is at; ``None`` for a database without Foyer's schema."""
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(db: Database, revision: str = "head") -> tuple[str | None, str | None]:
    """Apply migrations up to ``revision``; return the revisions before and after."""
    before = current_revision(db)
    with db.engine.execution_options(foyer_write=True).begin() as connection:
        command.upgrade(_config(connection), revision)
    return before, current_revision(db)


def require_current(db: Database) -> None:
    """Raise :class:`SchemaOutdated` unless the database is at this Foyer's newest migration."""
    try:
        current = current_revision(db)
    except Exception as err:
        raise DatabaseError(f"cannot open the database at {db.display_url}: {err}") from err
    head = head_revision()
    if current == head:
        return
    if current is None:
        raise SchemaOutdated(
            f"the database at {db.display_url} has no Foyer schema yet; run `foyer db upgrade`"
        )
    known = {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}
    if current not in known:
        raise SchemaOutdated(
            f"the database at {db.display_url} is at schema {current}, newer than this "
            f"Foyer knows ({head}); upgrade Foyer"
        )
    raise SchemaOutdated(
        f"the database at {db.display_url} is at schema {current}, but this Foyer needs "
        f"{head}; run `foyer db upgrade`"
    )
