"""`foyer catalog validate`: exact output and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from foyer.cli.catalog import app
from foyer.cli.errors import CommandError

DEMO = Path(__file__).resolve().parents[3] / "examples" / "catalog"
runner = CliRunner()


def test_valid_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DEMO.parent.parent)
    result = runner.invoke(app, ["validate", "examples/catalog"])
    assert (result.exit_code, result.output) == (
        0,
        "11 entries and 1 option source valid in examples/catalog\n",
    )


def test_plural(tmp_path: Path) -> None:
    source = yaml.safe_load((DEMO / "cloud-ops" / "delete-dynamodb-table.yaml").read_text())
    (tmp_path / "defs").mkdir()
    for name in ("aws.yaml", "common.yaml"):
        (tmp_path / "defs" / name).write_text((DEMO / "defs" / name).read_text())
    (tmp_path / "sources").mkdir()
    for path in (DEMO / "sources").iterdir():
        (tmp_path / "sources" / path.name).write_text(path.read_text())
    for index in (1, 2):
        document = {**source, "id": f"delete-{index}", "workflow_type": f"Delete{index}"}
        (tmp_path / f"e{index}.yaml").write_text(yaml.safe_dump(document))
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert (result.exit_code, result.output) == (
        0,
        f"2 entries and 1 option source valid in {tmp_path}\n",
    )


def test_invalid_catalog_prints_one_line_per_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("apiVersion: foyer/v2\n")
    (tmp_path / "b.yaml").write_text("id: [\n")
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == (
        f"{tmp_path}/a.yaml:/apiVersion: unsupported apiVersion `foyer/v2`; "
        "supported versions: foyer/v1\n"
        f"{tmp_path}/b.yaml:/: invalid YAML at line 2, column 1: "
        "expected the node content, but found '<stream end>'\n"
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_missing_directory(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope")])
    assert isinstance(result.exception, CommandError)
    assert str(result.exception) == f"catalog directory `{tmp_path}/nope` does not exist"


def test_file_instead_of_directory(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("{}")
    result = runner.invoke(app, ["validate", str(tmp_path / "x.yaml")])
    assert isinstance(result.exception, CommandError)
    assert str(result.exception) == (
        f"`{tmp_path}/x.yaml` is not a directory; pass the catalog directory"
    )


def test_help() -> None:
    result = runner.invoke(app, ["validate", "--help"])
    assert result.exit_code == 0
    assert "Check every entry in a catalog directory" in result.output
