"""``foyer up``: run the whole stack in the foreground until Ctrl-C."""

from __future__ import annotations

import signal
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer

from foyer.cli.errors import CommandError
from foyer.devstack import PortInUse, Stack, StackConfig, StackError


def _option(component: str) -> str:
    return "--" + component.replace("_", "-")


def banner(credentials: dict[str, Any], credentials_file: Path) -> str:
    """What a developer needs to start using the stack, ready to copy."""
    rows = [
        ("Gateway", credentials["gateway_url"]),
        ("Temporal UI", credentials["temporal_ui_url"] or "(headless)"),
        ("Temporal", credentials["temporal_address"]),
        ("AWS (moto)", credentials["aws_endpoint_url"]),
    ]
    lines = ["", "Foyer is up.", ""]
    lines += [f"  {label:<13} {value}" for label, value in rows]
    lines += ["", f"Demo users (keys are also in {credentials_file}):"]
    for user in credentials["users"]:
        lines.append(f"  {user['name']} <{user['email']}>  groups: {', '.join(user['groups'])}")
        lines.append(f"      API key: {user['api_key']}")
    requester = credentials["users"][0]["api_key"]
    lines += [
        "",
        "Try it:",
        f'  curl -H "Authorization: Bearer {requester}" {credentials["gateway_url"]}/api/catalog',
        "",
        "Press Ctrl-C to stop.",
        "",
    ]
    return "\n".join(lines)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def up(
    state_dir: Annotated[
        Path, typer.Option(help="Where databases, keys and demo credentials are kept.")
    ] = Path(".foyer"),
    temporal_port: Annotated[int, typer.Option(help="Temporal frontend (gRPC) port.")] = 7233,
    ui_port: Annotated[int, typer.Option(help="Temporal Web UI port.")] = 8233,
    gateway_port: Annotated[int, typer.Option(help="Foyer gateway (HTTP) port.")] = 8000,
    moto_port: Annotated[int, typer.Option(help="moto (local AWS) port.")] = 5000,
    catalog: Annotated[Path, typer.Option(help="Catalog directory.")] = Path("examples/catalog"),
) -> None:
    """Start Temporal, local AWS, the workers and the gateway; stop them all on Ctrl-C."""
    config = StackConfig(
        state_dir=state_dir,
        temporal_port=temporal_port,
        ui_port=ui_port,
        gateway_port=gateway_port,
        moto_port=moto_port,
        catalog_dir=catalog,
        repo_root=Path.cwd(),
    )
    # Installed explicitly: a shell that starts `make up` in the background
    # hands it an ignored SIGINT, and the stack must still stop on it.
    stopping = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {signum: signal.signal(signum, _interrupt) for signum in stopping}
    try:
        _run(config)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _run(config: StackConfig) -> None:
    try:
        stack = Stack(config)
        stack.open()
    except PortInUse as err:
        raise CommandError(
            f"port {err.port} is already in use; stop what uses it "
            f"or choose another with {_option(err.component)}"
        ) from None
    except StackError as err:
        raise CommandError(str(err)) from None
    except KeyboardInterrupt:
        typer.echo("Stopped.")
        return
    try:
        typer.echo(banner(stack.credentials, stack.paths.credentials))
        exited = None
        while exited is None:
            # A bounded wait keeps Ctrl-C responsive.
            exited = stack.wait_for_exit(timeout=1.0)
    except KeyboardInterrupt:
        _shut_down(stack)
        typer.echo("Stopped.")
        return
    except BaseException:
        _shut_down(stack)
        raise
    _shut_down(stack)
    raise CommandError(
        f"{exited.name} exited unexpectedly with status {exited.returncode}; "
        "stopped the rest of the stack"
    )


def _shut_down(stack: Stack) -> None:
    # A second Ctrl-C must not interrupt the shutdown half-way and leave orphans.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    typer.echo("Stopping…")
    stack.close()
