import sys
from pathlib import Path

import pytest

from foyer.devstack import WorkersFileError, WorkerSpec, parse_worker_option
from foyer.devstack._workers import (
    check_workers,
    declared_workers,
    default_workers_file,
    load_workers_file,
)

REPO = Path(__file__).resolve().parents[3]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "workers.yaml"
    path.write_text(text)
    return path


def problem(path: Path) -> str:
    with pytest.raises(WorkersFileError) as caught:
        load_workers_file(path)
    return str(caught.value)


def test_a_module_a_command_string_and_a_command_list(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
workers:
  - name: cloud-ops-worker
    module: examples.cloud_ops.worker
    namespaces: [cloud-ops, cloud-ops-stage]
  - name: data-worker
    command: bin/data-worker --queue "etl jobs"
    namespace: data
  - name: go-worker
    command: [./go-worker, -v]
""",
    )

    assert load_workers_file(path) == [
        WorkerSpec(
            "cloud-ops-worker",
            (sys.executable, "-m", "examples.cloud_ops.worker"),
            ("cloud-ops", "cloud-ops-stage"),
            str(path),
        ),
        WorkerSpec("data-worker", ("bin/data-worker", "--queue", "etl jobs"), ("data",), str(path)),
        WorkerSpec("go-worker", ("./go-worker", "-v"), (), str(path)),
    ]


def test_an_empty_file_declares_no_workers(tmp_path: Path) -> None:
    assert load_workers_file(write(tmp_path, "# none yet\n")) == []
    assert load_workers_file(write(tmp_path, "workers: []\n")) == []


def test_every_problem_is_named_with_its_place(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
workers:
  - name: Cloud_Ops
    modul: examples.cloud_ops.worker
  - name: gateway
    module: examples.x
    command: x
  - name: data
    module: not a module
    namespaces: data
  - name: data
    command: ""
  - just-a-string
""",
    )

    assert problem(path) == f"{path}: " + "; ".join(
        [
            "workers[0]: unknown key `modul`; did you mean `module`?",
            "workers[0].name: `Cloud_Ops` is not a worker name: use 1 to 40 lowercase letters, "
            "digits and `-`, starting with a letter or digit",
            "workers[0]: needs `module` (a Python module to run) or `command`",
            "workers[1].name: `gateway` is the name of one of Foyer's own components; "
            "choose another",
            "workers[1]: give `module` or `command`, not both",
            "workers[2].module: `not a module` is not a Python module name like `a.b.c`",
            "workers[3].command: is empty; give the program to run",
            "workers[4]: must be a mapping with `name` and `module` or `command`",
        ]
    )


def test_names_are_unique(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "workers:\n  - {name: w, command: a}\n  - {name: w, command: b}\n",
    )

    assert problem(path) == f"{path}: worker `w` is declared twice"


def test_invalid_yaml_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "workers:\n  - name: [\n")

    assert problem(path) == (
        f"{path}: invalid YAML at line 3, column 1: expected the node content, "
        "but found '<stream end>'"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- name: w\n", "must be a mapping with one key, `workers`: a list of workers"),
        ("workers: {}\nother: 1\n", "must be a mapping with one key, `workers`: a list of workers"),
        ("workers: w\n", "`workers` must be a list"),
        ("workers:\n  - {command: x}\n", "workers[0]: `name` is required"),
    ],
)
def test_the_shape_is_checked(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)

    assert problem(path) == f"{path}: {expected}"


def test_worker_option() -> None:
    assert parse_worker_option("data-worker=python -m data.worker --fast") == WorkerSpec(
        "data-worker", ("python", "-m", "data.worker", "--fast"), (), "--worker"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "python -m data.worker",
            "--worker `python -m data.worker`: expected NAME=COMMAND, "
            "e.g. --worker data-worker='python -m data_team.worker'",
        ),
        (
            "w=",
            "--worker `w=`: expected NAME=COMMAND, "
            "e.g. --worker data-worker='python -m data_team.worker'",
        ),
        (
            "moto=python x.py",
            "--worker `moto=python x.py`: `moto` is the name of one of Foyer's own components; "
            "choose another",
        ),
        (
            "w=python 'x",
            "--worker `w=python 'x`: cannot split `python 'x` into words: No closing quotation",
        ),
    ],
)
def test_worker_option_errors(text: str, expected: str) -> None:
    with pytest.raises(WorkersFileError) as caught:
        parse_worker_option(text)

    assert str(caught.value) == expected


def test_the_file_beside_the_catalog_is_used_when_it_exists(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    extra = parse_worker_option("extra=python -m extra")

    assert declared_workers(None, catalog, [extra]) == [extra]

    write(tmp_path, "workers:\n  - {name: beside, command: b}\n")
    assert [w.name for w in declared_workers(None, catalog, [extra])] == ["beside", "extra"]


def test_a_named_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(WorkersFileError) as caught:
        declared_workers(tmp_path / "nope.yaml", tmp_path)

    assert str(caught.value) == (
        f"workers file {tmp_path / 'nope.yaml'} does not exist; pass --workers FILE"
    )


def test_namespaces_must_be_created_by_the_catalog(tmp_path: Path) -> None:
    worker = WorkerSpec("w", ("w",), ("cloud-ops", "cloud-ops-stag"), "workers.yaml")

    with pytest.raises(WorkersFileError) as caught:
        check_workers([worker], ["cloud-ops", "cloud-ops-stage"], tmp_path)

    assert str(caught.value) == (
        "workers.yaml: worker `w` serves namespace `cloud-ops-stag`, which no entry in the "
        f"catalog {tmp_path} uses; the stack's team namespaces are: cloud-ops, cloud-ops-stage"
    )


def test_a_worker_option_may_not_reuse_a_file_worker_name() -> None:
    in_file = WorkerSpec("w", ("a",), (), "workers.yaml")
    on_command_line = WorkerSpec("w", ("b",), (), "--worker")

    with pytest.raises(WorkersFileError) as caught:
        check_workers([in_file, on_command_line], [], Path("catalog"))

    assert str(caught.value) == "worker `w` is declared twice (in workers.yaml and --worker)"


def test_the_example_workers_file_declares_both_team_workers() -> None:
    catalog = REPO / "examples" / "catalog"

    workers = declared_workers(None, catalog)

    assert default_workers_file(catalog) == REPO / "examples" / "workers.yaml"
    assert [(w.name, w.argv[1:], w.namespaces) for w in workers] == [
        (
            "cloud-ops-worker",
            ("-m", "examples.cloud_ops.worker"),
            ("cloud-ops", "cloud-ops-stage"),
        ),
        ("platform-worker", ("-m", "examples.platform.worker"), ("platform", "platform-stage")),
    ]
