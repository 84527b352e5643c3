"""Every snippet of every catalog example, run as a subprocess against the real stack,
creates the run it should; the owning team's direct Temporal start starts the workflow."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from foyer.catalog import Catalog, Entry, Example
from foyer.snippets.fields import fields_of
from tests.e2e.conftest import REPO, Api

RUN_ID = re.compile(r"run-[0-9a-f]{20}")
CATALOG = Catalog.load(REPO / "examples" / "catalog")
CLIENTS = {"cli": "cli", "curl": "curl", "httpx": "python-httpx", "requests": "python-requests"}


def is_dry_run(entry: Entry, example: Example) -> bool:
    """Whether the example only plans: its ``dry_run``, else the schema's default."""
    fields = {f.name: f for f in fields_of(entry.schema)}
    dry_run = fields.get("dry_run")
    default = dry_run.default if dry_run is not None and dry_run.has_default else None
    return example.inputs.get("dry_run", default) is True


def examples(dry: bool) -> list[tuple[Entry, Example]]:
    return [
        (entry, example)
        for entry in CATALOG.entries
        for example in entry.examples
        if is_dry_run(entry, example) is dry
    ]


# Only dry runs are executed: an example that changes things (a delete in stage
# needs no approval) must not run against resources other tests rely on.
EXAMPLES = examples(dry=True)
CHANGING = examples(dry=False)


def test_every_entry_has_a_dry_run_example() -> None:
    assert {entry.id for entry, _ in EXAMPLES} == {entry.id for entry in CATALOG.entries}


def execute(language: str, code: str, api: Api, user: str, tmp_path: Path) -> str:
    env = {
        **os.environ,
        "FOYER_API_KEY": api.keys[user],
        "FOYER_CONFIG_DIR": str(tmp_path / "config"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    env.pop("FOYER_URL", None)
    command = ["bash", "-e"] if language in ("cli", "curl") else [sys.executable, "-"]
    result = subprocess.run(
        command,
        input=code,
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"{language}:\n{code}\n{result.stdout}\n{result.stderr}"
    return result.stdout


async def snippets_of(api: Api, user: str, entry: Entry, example: Example) -> dict[str, str]:
    response = await api.call(
        user, "GET", f"/api/catalog/{entry.id}/snippets", params={"example": example.name}
    )
    assert response.status_code == 200, response.text
    return {s["language"]: s["code"] for s in response.json()["snippets"]}


@pytest.mark.parametrize("language", list(CLIENTS))
@pytest.mark.parametrize(
    ("entry", "example"), EXAMPLES, ids=[f"{e.id}:{x.name}" for e, x in EXAMPLES]
)
async def test_snippet_creates_the_run_it_shows(
    api: Api, tmp_path: Path, entry: Entry, example: Example, language: str
) -> None:
    code = (await snippets_of(api, "ada", entry, example))[language]
    assert api.keys["ada"] not in code

    output = execute(language, code, api, "ada", tmp_path)
    found = RUN_ID.search(output)
    assert found, output
    run = await api.run(found[0])
    assert (run["workflow"], run["environment"], run["inputs"], run["client"]) == (
        entry.id,
        example.environment or entry.default_environment,
        example.inputs,
        CLIENTS[language],
    )
    assert run["requester"] == "ada@example.com"

    if language == "curl":  # once per example is enough to show the key is honoured
        again = execute(language, code, api, "ada", tmp_path)
        assert RUN_ID.search(again)[0] == found[0]  # type: ignore[index]


async def test_temporal_snippet_only_for_the_owning_team(api: Api) -> None:
    entry, example = EXAMPLES[0]
    assert "temporal" not in await snippets_of(api, "ada", entry, example)
    assert "temporal" in await snippets_of(api, "grace", entry, example)


async def test_temporal_snippet_starts_the_team_workflow(
    api: Api, tmp_path: Path, team_client: Any
) -> None:
    # A dry run in prod, whose namespace (cloud-ops) `team_client` reads.
    entry, example = next(
        (e, x) for e, x in EXAMPLES if e.id == "delete-dynamodb-table" and x.environment is None
    )
    code = (await snippets_of(api, "grace", entry, example))["temporal"]
    assert 'namespace="cloud-ops"' in code
    workflow_id = execute("temporal", code, api, "grace", tmp_path).strip()
    assert workflow_id.startswith(f"{entry.id}-direct-")
    result = await team_client.get_workflow_handle(workflow_id).result()
    assert result["deleted"] is False
    assert result["table_name"] == example.inputs["table_name"]


async def test_snippets_for_given_inputs_and_errors(api: Api) -> None:
    entry, _ = EXAMPLES[0]
    response = await api.call(
        "ada",
        "GET",
        f"/api/catalog/{entry.id}/snippets",
        params={"inputs": '{"table_name": "t1"}', "environment": "stage"},
    )
    assert response.status_code == 200
    [curl] = [s for s in response.json()["snippets"] if s["language"] == "curl"]
    assert '"table_name": "t1"' in curl["code"] and '"environment": "stage"' in curl["code"]

    bad = await api.call("ada", "GET", f"/api/catalog/{entry.id}/snippets?example=nope")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "example"
    missing = await api.call("ada", "GET", "/api/catalog/nope/snippets")
    assert missing.status_code == 404
    anonymous = await api.call(None, "GET", f"/api/catalog/{entry.id}/snippets")
    assert anonymous.status_code == 401


@pytest.mark.parametrize(
    ("entry", "example"), CHANGING, ids=[f"{e.id}:{x.name}" for e, x in CHANGING]
)
async def test_snippets_of_changing_examples_send_the_example(
    api: Api, entry: Entry, example: Example
) -> None:
    """Not run (they would change resources); checked to be code that sends the example."""
    import ast
    import json

    code = await snippets_of(api, "ada", entry, example)
    body = json.loads(code["curl"].split("<<'EOF'\n", 1)[1].rsplit("\nEOF", 1)[0])
    expected = {
        "workflow": entry.id,
        "environment": example.environment or entry.default_environment,
        "inputs": example.inputs,
    }
    assert body == expected
    for language in ("cli", "curl"):
        subprocess.run(["bash", "-n"], input=code[language], text=True, check=True)
    for language in ("httpx", "requests"):
        ast.parse(code[language])
    assert "--no-dry-run" in code["cli"]
