"""Files and directories only their owner can read, private from the moment they exist."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(path: Path) -> None:
    """Create ``path`` (and missing parents) as a directory only its owner can enter.

    A directory that exists already is tightened: it holds keys and the
    Temporal database, so it must not stay open to others.
    """
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        path.chmod(mode & PRIVATE_DIR)


def reserve_private(path: Path) -> None:
    """Create ``path`` empty and owner-only unless it exists.

    Whatever writes the file next (opening it with truncation) then writes into
    a private file, so its contents are never readable by others, not even for
    an instant.
    """
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))


def write_private(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` through a new owner-only file, atomically."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # A leftover from a crash could have any mode; O_EXCL guarantees a new file.
    temporary.unlink(missing_ok=True)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        with os.fdopen(descriptor, "w") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def open_private_for_append(path: Path) -> int:
    """A descriptor appending to ``path``, which is created owner-only if missing."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
