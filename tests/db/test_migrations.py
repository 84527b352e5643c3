from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from foyer.db import Database, SchemaOutdated, Stores, require_current, upgrade
from foyer.db.migrate import head_revision
from foyer.db.models import Base
from tests.databases import Databases


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_upgrade_creates_the_schema_the_models_describe(databases: Databases, kind: str) -> None:
    db = Database(databases.empty(kind))
    try:
        assert upgrade(db) == (None, head_revision())
        assert upgrade(db) == (head_revision(), head_revision())
        require_current(db)
        with db.engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata
            )
        assert differences == []
    finally:
        db.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_database_without_the_schema_is_refused_with_the_fix(
    databases: Databases, kind: str
) -> None:
    url = databases.empty(kind)
    with pytest.raises(SchemaOutdated, match=r"has no Foyer schema yet; run `foyer db upgrade`"):
        Stores.open(url)


def test_a_schema_from_a_newer_foyer_is_refused(databases: Databases) -> None:
    url = databases.fresh("sqlite")
    db = Database(url)
    with db.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'base0'")
    db.dispose()

    with pytest.raises(SchemaOutdated, match=r"newer than this Foyer knows"):
        Stores.open(url)


def test_the_url_hides_its_password_in_messages(databases: Databases) -> None:
    db = Database("postgresql://foyer:s3cret@127.0.0.1:1/foyer")
    assert "s3cret" not in db.display_url
    assert db.display_url == "postgresql://foyer:***@127.0.0.1:1/foyer"
