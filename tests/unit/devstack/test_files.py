import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from foyer.devstack._files import (
    open_private_for_append,
    private_dir,
    reserve_private,
    write_private,
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """With umask 0, only the mode each call asks for keeps files private."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def test_private_dir_is_created_owner_only(tmp_path: Path) -> None:
    private_dir(tmp_path / "a" / "state")

    assert mode(tmp_path / "a" / "state") == 0o700


def test_an_open_directory_is_tightened(tmp_path: Path) -> None:
    (tmp_path / "state").mkdir(mode=0o755)

    private_dir(tmp_path / "state")

    assert mode(tmp_path / "state") == 0o700


def test_a_reserved_file_is_private_before_anything_is_written(tmp_path: Path) -> None:
    path = tmp_path / "key.pem"

    reserve_private(path)
    path.write_text("secret")  # what a writer that knows nothing of modes does

    assert mode(path) == 0o600
    reserve_private(path)  # exists: left alone
    assert path.read_text() == "secret"


def test_write_private_replaces_an_open_file_with_a_private_one(tmp_path: Path) -> None:
    path = tmp_path / "credentials.json"
    path.write_text("old")
    path.chmod(0o644)

    write_private(path, "new")

    assert (path.read_text(), mode(path)) == ("new", 0o600)
    assert [p.name for p in tmp_path.iterdir()] == ["credentials.json"]


def test_appended_logs_are_private(tmp_path: Path) -> None:
    os.close(open_private_for_append(tmp_path / "gateway.log"))

    assert mode(tmp_path / "gateway.log") == 0o600
