"""``foyer up``: run the whole stack in the foreground until Ctrl-C."""

from __future__ import annotations

import signal
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any

import typer

from foyer.cli.errors import CommandError

if TYPE_CHECKING:
    from foyer.devstack import Stack, StackConfig


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
    workers: Annotated[
        Path | None,
        typer.Option(
            "--workers",
            metavar="FILE",
            help="Team workers to start [default: workers.yaml beside the catalog, if any].",
            show_default=False,
        ),
    ] = None,
    worker: Annotated[
        list[str] | None,
        typer.Option(
            "--worker",
            metavar="NAME=COMMAND",
            help="Start one more team worker; repeat for several.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Start Temporal, local AWS, the workers and the gateway; stop them all on Ctrl-C.

    A worker or the gateway that crashes is restarted (after 0.5 s, doubling to
    10 s); five crashes of one within 60 s, or a crash of Temporal or moto,
    stop the stack.
    """
    from foyer.devstack import StackConfig, parse_worker_option

    config = StackConfig(
        state_dir=state_dir,
        temporal_port=temporal_port,
        ui_port=ui_port,
        gateway_port=gateway_port,
        moto_port=moto_port,
        catalog_dir=catalog,
        workers_file=workers,
        workers=tuple(parse_worker_option(text) for text in worker or ()),
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
    from foyer.devstack import PortInUse, Stack

    try:
        stack = Stack(config)
        stack.open()
    except PortInUse as err:
        raise CommandError(
            f"port {err.port} is already in use; stop what uses it "
            f"or choose another with {_option(err.component)}"
        ) from None
    except KeyboardInterrupt:
        typer.echo("Stopped.")
        return
    try:
        typer.echo(banner(stack.credentials, stack.paths.credentials))
        failure = None
        while failure is None:
            # A bounded wait keeps Ctrl-C responsive.
            failure = stack.wait_for_failure(timeout=1.0)
    except KeyboardInterrupt:
        _shut_down(stack)
        typer.echo("Stopped.")
        return
    except BaseException:
        _shut_down(stack)
        raise
    _shut_down(stack)
    raise CommandError(
        f"{failure.message}; stopped the rest of the stack "
        f"(its state is kept in {config.state_dir}: `foyer up` starts it again)"
    )


def _shut_down(stack: Stack) -> None:
    # A second Ctrl-C must not interrupt the shutdown half-way and leave orphans.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    typer.echo("Stopping…")
    stack.close()
