"""The `foyer` command's error boundary and last resort: exact output and exit codes."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from foyer.catalog import CatalogError, CatalogInvalid
from foyer.cli import app as app_module
from foyer.cli.app import app, main
from foyer.cli.errors import CommandError, ErrorBoundary
from foyer.devstack import free_port
from foyer.errors import NotFound
from foyer.settings import get_settings
from foyer.signing import SignatureError

REPO = Path(__file__).resolve().parents[3]
DEMO = REPO / "examples" / "catalog"
runner = CliRunner()


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def in_process_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    """main() leaves with os._exit once temporalio is loaded, as it is in this process."""
    monkeypatch.setattr(app_module, "_exit", sys.exit)


def failing_app(error: Exception) -> typer.Typer:
    """A one-command app behind the same boundary as `foyer`."""
    boundary = typer.Typer(cls=ErrorBoundary, pretty_exceptions_enable=False)

    @boundary.command()
    def fail() -> None:
        raise error

    @boundary.command()
    def other() -> None:
        """Another command, so `fail` is a subcommand as in `foyer`."""

    return boundary


@pytest.mark.parametrize(
    ("error", "stderr"),
    [
        (CommandError("port 1 is taken"), "error: port 1 is taken\n"),
        (
            NotFound("Workflow `x` is not in the catalog"),
            "error: Workflow `x` is not in the catalog\n",
        ),
        (
            CatalogInvalid(
                [CatalogError(Path("a.yaml"), "/id", "bad"), CatalogError(Path("b.yaml"), "", "x")]
            ),
            "error: a.yaml:/id: bad\nerror: b.yaml:/: x\n",
        ),
        (SignatureError("expired"), "error: expired\n"),
        (
            FileNotFoundError(2, "No such file or directory", "/keys/public.pem"),
            "error: cannot use /keys/public.pem: No such file or directory\n",
        ),
    ],
)
def test_domain_errors_are_one_line_each_and_exit_1(error: Exception, stderr: str) -> None:
    result = runner.invoke(failing_app(error), ["fail"])

    assert (result.exit_code, result.stdout, result.stderr) == (1, "", stderr)


def test_other_errors_pass_the_boundary_to_the_last_resort() -> None:
    result = runner.invoke(failing_app(ValueError("boom")), ["fail"])

    assert isinstance(result.exception, ValueError)


@pytest.mark.usefixtures("in_process_exit")
def test_the_last_resort_prints_one_line_and_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("FOYER_DEBUG", raising=False)
    monkeypatch.setattr(app_module, "app", failing_app(ValueError("boom\n  at line 2")))
    monkeypatch.setattr(sys, "argv", ["foyer", "fail"])

    with pytest.raises(SystemExit) as exited:
        main()

    assert exited.value.code == 1
    assert capsys.readouterr().err == (
        "error: unexpected ValueError: boom at line 2 "
        "(run again with FOYER_DEBUG=1 for the traceback)\n"
    )


@pytest.mark.usefixtures("in_process_exit")
def test_foyer_debug_adds_the_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FOYER_DEBUG", "1")
    monkeypatch.setattr(app_module, "app", failing_app(ValueError("boom")))
    monkeypatch.setattr(sys, "argv", ["foyer", "fail"])

    with pytest.raises(SystemExit):
        main()

    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):\n")
    assert err.endswith(
        "ValueError: boom\n"
        "error: unexpected ValueError: boom (run again with FOYER_DEBUG=1 for the traceback)\n"
    )


def test_up_with_a_missing_catalog(tmp_path: Path) -> None:
    result = runner.invoke(app, ["up", "--catalog", str(tmp_path / "nope")])

    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        f"error: catalog directory {tmp_path / 'nope'} does not exist; pass --catalog DIR\n",
    )


def test_up_with_a_bad_worker_option() -> None:
    result = runner.invoke(app, ["up", "--worker", "python -m x"])

    assert (result.exit_code, result.stderr) == (
        1,
        "error: --worker `python -m x`: expected NAME=COMMAND, "
        "e.g. --worker data-worker='python -m data_team.worker'\n",
    )


def test_nexus_worker_with_an_invalid_catalog(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("apiVersion: foyer/v2\n")
    (tmp_path / "b.yaml").write_text("id: [\n")

    result = runner.invoke(
        app,
        ["worker", "nexus", "--namespace", "cloud-ops"],
        env={"FOYER_CATALOG_DIR": str(tmp_path)},
    )

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {tmp_path}/a.yaml:/apiVersion: unsupported apiVersion `foyer/v2`; "
        "supported versions: foyer/v1",
        f"error: {tmp_path}/b.yaml:/: invalid YAML at line 2, column 1: "
        "expected the node content, but found '<stream end>'",
    ]


def test_nexus_worker_without_the_public_key(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["worker", "nexus", "--namespace", "cloud-ops"],
        env={
            "FOYER_CATALOG_DIR": str(DEMO),
            "FOYER_GATEWAY_PUBLIC_KEY_FILE": str(tmp_path / "public.pem"),
        },
    )

    assert (result.exit_code, result.stderr) == (
        1,
        f"error: cannot use {tmp_path / 'public.pem'}: No such file or directory\n",
    )


def foyer(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "foyer", *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", **(env or {})},
        cwd=REPO,
        timeout=60,
    )


def test_router_worker_with_temporal_down_is_one_line() -> None:
    address = f"127.0.0.1:{free_port()}"

    result = foyer("worker", "router", env={"FOYER_TEMPORAL_ADDRESS": address})

    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        f"error: cannot connect to Temporal at {address}; start the stack with `foyer up`, "
        "or set FOYER_TEMPORAL_ADDRESS to a running server\n",
    )


def test_an_unexpected_error_in_a_real_command_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "public.pem").write_text("not a key\n")

    result = foyer(
        *["worker", "nexus", "--namespace", "cloud-ops"],
        env={
            "FOYER_CATALOG_DIR": str(DEMO),
            "FOYER_GATEWAY_PUBLIC_KEY_FILE": str(tmp_path / "public.pem"),
        },
    )

    assert (result.returncode, result.stdout, len(result.stderr.splitlines())) == (1, "", 1)
    assert result.stderr.startswith("error: unexpected ValueError: ")
    assert result.stderr.endswith("(run again with FOYER_DEBUG=1 for the traceback)\n")


HEAVY = ("temporalio", "fastapi", "sqlalchemy", "uvicorn", "boto3")
HELPS = [["--help"], ["up", "--help"], ["worker", "router", "--help"], ["gateway", "--help"]]
PROBE = """
import sys
from foyer.cli.app import main
for args in {helps!r}:
    sys.argv = ["foyer", *args]
    try:
        main()
    except SystemExit as exited:
        assert exited.code == 0, (args, exited.code)
print(sorted(name for name in {heavy!r} if name in sys.modules), file=sys.stderr)
"""


def test_help_loads_no_temporal_web_or_database_code() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(helps=HELPS, heavy=HEAVY)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Usage: foyer") == len(HELPS)
    assert ast.literal_eval(result.stderr.strip().splitlines()[-1]) == []
