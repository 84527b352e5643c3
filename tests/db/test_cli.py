"""``foyer users``, ``keys``, ``audit`` and ``db`` on both databases: exact output, exit codes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from foyer.cli.app import app
from foyer.db import Stores
from foyer.settings import get_settings
from tests.databases import Databases
from tests.db.test_audit import tamper

runner = CliRunner()


@pytest.fixture
def cli_database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("FOYER_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


def foyer(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_users_add_list_and_set_groups(cli_database: str) -> None:
    assert foyer("users", "add", "Ada@Example.com", "--name", "Ada Lovelace", "-g", "eng") == (
        0, "Added user ada@example.com (groups: eng)\n", ""
    )  # fmt: skip
    assert foyer("users", "add", "deploy-bot", "--service") == (
        0, "Added service account deploy-bot (groups: none)\n", ""
    )  # fmt: skip
    assert foyer("users", "set-groups", "ada@example.com", "eng", "cloud-ops") == (
        0, "ada@example.com is in: cloud-ops, eng\n", ""
    )  # fmt: skip
    assert foyer("users", "list") == (
        0,
        "EMAIL            NAME          KIND     SOURCE  GROUPS\n"
        "ada@example.com  Ada Lovelace  user     local   cloud-ops, eng\n"
        "deploy-bot                     service  local\n",
        "",
    )
    code, out, _ = foyer("users", "list", "--group", "cloud-ops", "--output", "json")
    assert code == 0 and [u["email"] for u in json.loads(out)] == ["ada@example.com"]
    assert foyer("users", "add", "ada@example.com") == (
        1,
        "",
        "error: User `ada@example.com` already exists; change their groups with "
        "`foyer users set-groups ada@example.com …`\n",
    )


def test_keys_create_list_revoke(cli_database: str) -> None:
    foyer("users", "add", "ada@example.com")

    code, key, message = foyer(
        "keys", "create", "--user", "ada@example.com", "--name", "laptop", "--expires", "30d"
    )
    assert code == 0
    assert message.startswith("Created key_") and "scopes: run, approve; expires " in message
    stores = Stores.open(cli_database)
    user = stores.directory.authenticate(key.strip())
    assert user is not None and user.scopes == ["run", "approve"]

    code, out, _ = foyer(
        "keys", "create", "--user", "ada@example.com", "--name", "ci", "--scope", "run",
        "--output", "json",
    )  # fmt: skip
    issued = json.loads(out)
    assert code == 0
    assert (issued["name"], issued["scopes"], issued["expires_at"]) == ("ci", ["run"], None)
    assert issued["key"].startswith("foyer_")

    code, listing, _ = foyer("keys", "list", "--user", "ada@example.com")
    lines = listing.splitlines()
    assert lines[0].split() == [
        "ID", "USER", "NAME", "KEY", "SCOPES", "STATUS", "EXPIRES", "LAST", "USED"
    ]  # fmt: skip
    assert len(lines) == 3 and issued["key"] not in listing

    assert foyer("keys", "revoke", issued["id"]) == (
        0, f"Revoked {issued['id']} `ci` of ada@example.com\n", ""
    )  # fmt: skip
    assert stores.directory.authenticate(issued["key"]) is None
    stores.close()


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("keys", "create", "--user", "nobody@example.com", "--name", "x"),
         "error: User `nobody@example.com` does not exist; add them with `foyer users add`\n"),
        (("keys", "create", "--user", "a@b.c", "--name", "x", "--expires", "soon"),
         "error: --expires: invalid duration `soon`: use a number followed by s, m, h or d, "
         "e.g. 90m, 24h, 7d\n"),
        (("keys", "create", "--user", "a@b.c", "--name", "x", "--scope", "root"),
         "error: scopes: `root`: choose from run, approve, admin\n"),
    ],
)  # fmt: skip
def test_key_errors_say_how_to_fix_them(
    cli_database: str, args: tuple[str, ...], error: str
) -> None:
    foyer("users", "add", "a@b.c")
    assert foyer(*args) == (1, "", error)


def test_audit_verify_names_the_first_edited_or_deleted_row(cli_database: str) -> None:
    foyer("users", "add", "ada@example.com")
    for name in ("one", "two", "three"):
        foyer("keys", "create", "--user", "ada@example.com", "--name", name)

    assert foyer("audit", "verify") == (
        0, "The audit log is intact: 4 rows, every hash chained\n", ""
    )  # fmt: skip

    stores = Stores.open(cli_database)
    tamper(stores, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 3")
    assert foyer("audit", "verify") == (
        1,
        "",
        "error: the audit log is not intact: row 3 was altered: its hash does not match "
        "(2 rows before it are intact)\n",
    )
    tamper(stores, "DELETE FROM audit_log WHERE seq = 2")
    assert foyer("audit", "verify") == (
        1,
        "",
        "error: the audit log is not intact: row 2 is missing: it was deleted "
        "(1 row before it is intact)\n",
    )
    stores.close()


def test_audit_export_jsonl_and_csv(cli_database: str) -> None:
    foyer("users", "add", "ada@example.com")
    foyer("users", "set-groups", "ada@example.com", "eng")

    code, jsonl, _ = foyer("audit", "export")
    records = [json.loads(line) for line in jsonl.splitlines()]
    code_csv, table, _ = foyer("audit", "export", "--format", "csv", "--since", "2000-01-01")
    rows = list(csv.DictReader(io.StringIO(table)))
    _, recent, _ = foyer("audit", "export", "--since", "1h")
    _, future, _ = foyer("audit", "export", "--since", "2999-01-01")

    assert (code, code_csv) == (0, 0)
    assert [r["action"] for r in records] == ["user.created", "user.changed"]
    assert records[1]["prev_hash"] == records[0]["hash"]
    assert [r["hash"] for r in rows] == [r["hash"] for r in records]
    assert json.loads(rows[1]["detail"]) == records[1]["detail"]
    assert (recent, future) == (jsonl, "")
    assert foyer("audit", "export", "--since", "yesterday") == (
        1,
        "",
        "error: --since `yesterday` is neither a time (2026-11-01, 2026-11-01T09:00) "
        "nor an age (7d)\n",
    )


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_db_upgrade_creates_then_keeps_the_schema(
    databases: Databases, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = databases.empty(kind)
    monkeypatch.setenv("FOYER_DATABASE_URL", url)
    get_settings.cache_clear()

    missing = foyer("users", "list")
    code, first, _ = foyer("db", "upgrade")
    again = foyer("db", "upgrade")
    get_settings.cache_clear()

    assert missing[0] == 1 and missing[2].endswith("run `foyer db upgrade`\n")
    assert code == 0 and first.startswith("Upgraded ") and first.endswith(" to 0001\n")
    assert again[0] == 0 and again[1].endswith("is up to date (schema 0001)\n")
