"""Where the ``foyer`` user commands find the gateway: profiles in a private TOML file.

As with the Temporal CLI, ``foyer login`` writes a named profile to
``$FOYER_CONFIG_DIR/config.toml`` (default ``~/.config/foyer/config.toml``),
``--profile`` or ``FOYER_PROFILE`` picks one (``default`` otherwise), and
``FOYER_URL`` / ``FOYER_API_KEY`` override what the profile says.

Only the standard library is imported here: every user command reads this first.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from foyer.errors import FoyerError

DEFAULT_PROFILE = "default"
CONFIG_FILE = "config.toml"
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


class NotConfigured(FoyerError):
    """No gateway URL or API key for the chosen profile."""


class ConfigUnreadable(FoyerError):
    """The configuration file exists but cannot be read as TOML."""


@dataclass(frozen=True)
class Profile:
    """A gateway and the API key to call it with."""

    name: str
    url: str
    api_key: str


def config_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """``$FOYER_CONFIG_DIR``, else ``$XDG_CONFIG_HOME/foyer``, else ``~/.config/foyer``."""
    if environ.get("FOYER_CONFIG_DIR"):
        return Path(environ["FOYER_CONFIG_DIR"]).expanduser()
    base = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base).expanduser() / "foyer"


def config_path(environ: Mapping[str, str] = os.environ) -> Path:
    """The configuration file every user command reads."""
    return config_dir(environ) / CONFIG_FILE


def profile_name(option: str | None, environ: Mapping[str, str] = os.environ) -> str:
    """The profile in use: ``--profile``, else ``FOYER_PROFILE``, else ``default``."""
    return option or environ.get("FOYER_PROFILE") or DEFAULT_PROFILE


def read_profiles(path: Path) -> dict[str, dict[str, str]]:
    """Every profile in ``path``; an empty mapping when the file does not exist."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigUnreadable(f"cannot read {path}: {err}; fix or remove the file") from None
    profiles = document.get("profile", {})
    if not isinstance(profiles, dict):
        raise ConfigUnreadable(f"{path}: `profile` must be a table of profiles")
    return {
        name: {key: str(value) for key, value in table.items()}
        for name, table in profiles.items()
        if isinstance(table, dict)
    }


def resolve(option: str | None = None, environ: Mapping[str, str] = os.environ) -> Profile:
    """The gateway and key to use: the profile, overridden by ``FOYER_URL`` / ``FOYER_API_KEY``.

    Raises:
        NotConfigured: If no URL or no key is known, with how to provide them.
    """
    name = profile_name(option, environ)
    path = config_path(environ)
    stored = read_profiles(path).get(name, {})
    url = environ.get("FOYER_URL") or stored.get("url", "")
    api_key = environ.get("FOYER_API_KEY") or stored.get("api_key", "")
    if url and api_key:
        return Profile(name=name, url=url.rstrip("/"), api_key=api_key)
    login = "foyer login --url URL --api-key KEY"
    if name != DEFAULT_PROFILE:
        login += f" --profile {name}"
    missing = " and ".join(
        what for what, value in (("gateway URL", url), ("API key", api_key)) if not value
    )
    raise NotConfigured(
        f"no {missing} for profile `{name}` in {path}; "
        f"run `{login}` or set FOYER_URL and FOYER_API_KEY"
    )


def save_profile(profile: Profile, environ: Mapping[str, str] = os.environ) -> Path:
    """Add or replace ``profile`` in the configuration file, keeping the others.

    The directory is created private (0700) and the file is replaced
    atomically with mode 0600, so the key is never readable by others, even
    for a moment.
    """
    path = config_path(environ)
    profiles = read_profiles(path)
    profiles[profile.name] = {"url": profile.url, "api_key": profile.api_key}
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=".config-", dir=path.parent)
    try:
        # mkstemp creates the file 0600 already; chmod keeps it so under any umask.
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(_toml(profiles))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _toml(profiles: dict[str, dict[str, str]]) -> str:
    lines = ["# Written by `foyer login`. Holds API keys: keep it private (mode 0600)."]
    for name in sorted(profiles):
        key = name if _BARE_KEY.fullmatch(name) else _string(name)
        lines += ["", f"[profile.{key}]"]
        lines += [f"{key} = {_string(value)}" for key, value in profiles[name].items()]
    return "\n".join(lines) + "\n"


def _string(value: str) -> str:
    # A JSON string without ASCII escaping is a valid TOML basic string.
    return json.dumps(value, ensure_ascii=False)
