"""The user commands stay light: no Temporal, web framework or database library loads."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("temporalio", "fastapi", "sqlalchemy", "uvicorn", "textual", "httpx")

PROBE = """
import json, sys
from foyer.cli.app import main
sys.argv = ["foyer", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
print("\\nLOADED=" + json.dumps(sorted({m.split(".")[0] for m in sys.modules} & set(%r))))
"""


def loaded_by(*args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE % (HEAVY,), json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    marker = result.stdout.rsplit("LOADED=", 1)
    assert len(marker) == 2, result.stdout + result.stderr
    return json.loads(marker[1])  # type: ignore[no-any-return]


@pytest.mark.parametrize("args", [["--help"], ["run", "--help"], ["runs", "--help"]])
def test_help_loads_nothing_heavy(args: list[str]) -> None:
    assert loaded_by(*args) == []
