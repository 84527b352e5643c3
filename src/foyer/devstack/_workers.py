"""Team workers ``foyer up`` starts beside Foyer's own, declared in a file or on the command line.

The file (``workers.yaml`` beside the catalog directory by default) reads::

    workers:
      - name: cloud-ops-worker             # lowercase letters, digits and -
        module: examples.cloud_ops.worker  # run as `python -m <module>`, or instead:
        # command: bin/worker --flag       #   a command line (string or list)
        namespaces: [cloud-ops]            # optional; each must be named by the catalog
"""

from __future__ import annotations

import difflib
import re
import shlex
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from foyer.devstack._errors import StackError

WORKERS_FILE = "workers.yaml"
"""Name of the workers file, looked for beside the catalog directory."""

BUILT_IN = ("temporal", "moto", "router-worker", "gateway")
"""Names of Foyer's own components; ``nexus-<namespace>`` are Foyer's too."""

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_KEYS = ("name", "module", "command", "namespaces", "namespace")


class WorkersFileError(StackError):
    """A workers declaration is wrong; the message names the file, the worker and the fix."""


@dataclass(frozen=True)
class WorkerSpec:
    """One team worker: a process the stack starts, watches and restarts.

    Attributes:
        name: Its name in logs and ``Stack.processes``.
        argv: The command line, run from the directory ``foyer up`` runs in.
        namespaces: The namespaces it serves, given to it as
            ``FOYER_WORKER_NAMESPACES`` (comma-separated); empty when undeclared.
        source: Where it was declared, for error messages.
    """

    name: str
    argv: tuple[str, ...]
    namespaces: tuple[str, ...] = ()
    source: str = ""


def default_workers_file(catalog_dir: Path) -> Path:
    """``workers.yaml`` beside (not inside) the catalog directory."""
    return catalog_dir.resolve().parent / WORKERS_FILE


def load_workers_file(path: Path) -> list[WorkerSpec]:
    """Read and check a workers file.

    Raises:
        WorkersFileError: Listing every problem, each with where it is.
    """
    try:
        document = yaml.safe_load(path.read_text())
    except OSError as err:
        raise WorkersFileError(f"{path}: cannot read it: {err.strerror}") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise WorkersFileError(f"{path}: invalid YAML{where}: {problem}") from None
    if document is None:
        return []
    problems: list[str] = []
    workers: list[WorkerSpec] = []
    if not isinstance(document, dict) or set(document) - {"workers"}:
        problems.append("must be a mapping with one key, `workers`: a list of workers")
    elif not isinstance(document.get("workers"), list | None):
        problems.append("`workers` must be a list")
    else:
        for index, item in enumerate(document.get("workers") or []):
            worker = _worker(item, f"workers[{index}]", str(path), problems)
            if worker is not None:
                workers.append(worker)
    problems += _duplicate_problems(workers)
    if problems:
        raise WorkersFileError(f"{path}: " + "; ".join(problems))
    return workers


def declared_workers(
    workers_file: Path | None, catalog_dir: Path, extra: Sequence[WorkerSpec] = ()
) -> list[WorkerSpec]:
    """The workers of ``workers_file`` (by default the one beside the catalog, if it
    exists), then ``extra``.

    Raises:
        WorkersFileError: If the file is wrong, or was named and does not exist.
    """
    path = default_workers_file(catalog_dir) if workers_file is None else workers_file
    if workers_file is None and not path.is_file():
        return list(extra)
    if not path.is_file():
        raise WorkersFileError(f"workers file {path} does not exist; pass --workers FILE")
    return [*load_workers_file(path), *extra]


def parse_worker_option(text: str) -> WorkerSpec:
    """A worker from ``--worker NAME=COMMAND``.

    Raises:
        WorkersFileError: If ``text`` is not ``NAME=COMMAND`` with a valid name and command.
    """
    name, separator, command = text.partition("=")
    hint = "e.g. --worker data-worker='python -m data_team.worker'"
    if not separator or not command.strip():
        raise WorkersFileError(f"--worker `{text}`: expected NAME=COMMAND, {hint}")
    problems: list[str] = []
    name_problem = _name_problem(name)
    if name_problem:
        problems.append(name_problem)
    argv = _command(command, problems)
    if problems or argv is None:
        raise WorkersFileError(f"--worker `{text}`: " + "; ".join(problems))
    return WorkerSpec(name=name, argv=argv, source="--worker")


def check_workers(
    workers: Iterable[WorkerSpec], namespaces: Iterable[str], catalog_dir: Path
) -> None:
    """Refuse duplicate or built-in names and namespaces the stack does not create.

    Raises:
        WorkersFileError: Naming each problem and where the worker was declared.
    """
    workers = list(workers)
    known = sorted(set(namespaces))
    problems = _duplicate_problems(workers, sources=True)
    for worker in workers:
        for namespace in worker.namespaces:
            if namespace not in known:
                problems.append(
                    f"{worker.source}: worker `{worker.name}` serves namespace `{namespace}`, "
                    f"which no entry in the catalog {catalog_dir} uses; "
                    f"the stack's team namespaces are: {', '.join(known) or '(none)'}"
                )
    if problems:
        raise WorkersFileError("; ".join(problems))


def _worker(item: Any, at: str, source: str, problems: list[str]) -> WorkerSpec | None:
    if not isinstance(item, dict):
        problems.append(f"{at}: must be a mapping with `name` and `module` or `command`")
        return None
    before = len(problems)
    for key in item:
        if key not in _KEYS:
            close = difflib.get_close_matches(str(key), _KEYS, n=1)
            hint = f"; did you mean `{close[0]}`?" if close else f"; allowed: {', '.join(_KEYS)}"
            problems.append(f"{at}: unknown key `{key}`{hint}")
    name = item.get("name")
    if name is None:
        problems.append(f"{at}: `name` is required")
    else:
        name_problem = _name_problem(name)
        if name_problem:
            problems.append(f"{at}.name: {name_problem}")
    argv = _argv(item, at, problems)
    namespaces = _namespaces(item, at, problems)
    if len(problems) > before or argv is None:
        return None
    return WorkerSpec(name=str(name), argv=argv, namespaces=namespaces, source=source)


def _name_problem(name: object) -> str | None:
    if not isinstance(name, str) or not _NAME.match(name):
        return (
            f"`{name}` is not a worker name: use 1 to 40 lowercase letters, digits and `-`, "
            "starting with a letter or digit"
        )
    if name in BUILT_IN or name.startswith("nexus-"):
        return f"`{name}` is the name of one of Foyer's own components; choose another"
    return None


def _argv(item: Mapping[str, Any], at: str, problems: list[str]) -> tuple[str, ...] | None:
    module, command = item.get("module"), item.get("command")
    if module is None and command is None:
        problems.append(f"{at}: needs `module` (a Python module to run) or `command`")
        return None
    if module is not None and command is not None:
        problems.append(f"{at}: give `module` or `command`, not both")
        return None
    if module is not None:
        if not isinstance(module, str) or not _MODULE.match(module):
            problems.append(f"{at}.module: `{module}` is not a Python module name like `a.b.c`")
            return None
        return (sys.executable, "-m", module)
    before = len(problems)
    argv = _command(command, problems)
    for index in range(before, len(problems)):
        problems[index] = f"{at}.command: {problems[index]}"
    return argv


def _command(command: object, problems: list[str]) -> tuple[str, ...] | None:
    if isinstance(command, str):
        try:
            argv = shlex.split(command)
        except ValueError as err:
            problems.append(f"cannot split `{command}` into words: {err}")
            return None
    elif isinstance(command, list) and all(isinstance(word, str) for word in command):
        argv = command
    else:
        problems.append("must be a command line, as a string or a list of strings")
        return None
    if not argv:
        problems.append("is empty; give the program to run")
        return None
    return tuple(argv)


def _namespaces(item: Mapping[str, Any], at: str, problems: list[str]) -> tuple[str, ...]:
    if "namespace" in item and "namespaces" in item:
        problems.append(f"{at}: give `namespace` or `namespaces`, not both")
        return ()
    value = item.get("namespaces", item.get("namespace", []))
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        problems.append(f"{at}.namespaces: must be a list of namespace names")
        return ()
    return tuple(values)


def _duplicate_problems(workers: Iterable[WorkerSpec], *, sources: bool = False) -> list[str]:
    problems = []
    seen: dict[str, WorkerSpec] = {}
    for worker in workers:
        first = seen.setdefault(worker.name, worker)
        if first is not worker:
            where = f" (in {first.source} and {worker.source})" if sources else ""
            problems.append(f"worker `{worker.name}` is declared twice{where}")
    return problems
