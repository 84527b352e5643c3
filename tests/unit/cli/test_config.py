"""Profiles: where they are written, how they are chosen, what overrides them."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from foyer.cli.config import (
    ConfigUnreadable,
    NotConfigured,
    Profile,
    config_dir,
    read_profiles,
    resolve,
    save_profile,
)


def test_config_dir_defaults_to_xdg_then_home(tmp_path: Path) -> None:
    assert config_dir({"FOYER_CONFIG_DIR": "/x/y"}) == Path("/x/y")
    assert config_dir({"XDG_CONFIG_HOME": "/cfg"}) == Path("/cfg/foyer")
    assert config_dir({}) == Path.home() / ".config" / "foyer"


def test_saved_file_is_private_and_keeps_other_profiles(config_dir: Path) -> None:
    save_profile(Profile("default", "http://a", "key-a"))
    path = save_profile(Profile("prod", "https://b", 'key "b"'))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(config_dir.stat().st_mode) == 0o700
    assert read_profiles(path) == {
        "default": {"url": "http://a", "api_key": "key-a"},
        "prod": {"url": "https://b", "api_key": 'key "b"'},
    }
    assert list(config_dir.iterdir()) == [path]  # no temporary file left behind


def test_login_again_replaces_the_profile() -> None:
    save_profile(Profile("default", "http://a", "old"))
    save_profile(Profile("default", "http://a", "new"))
    assert resolve().api_key == "new"


def test_profile_option_wins_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    save_profile(Profile("a", "http://a", "key-a"))
    save_profile(Profile("b", "http://b/", "key-b"))
    monkeypatch.setenv("FOYER_PROFILE", "a")
    assert resolve() == Profile("a", "http://a", "key-a")
    assert resolve("b") == Profile("b", "http://b", "key-b")


def test_url_and_key_variables_override_the_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    save_profile(Profile("default", "http://a", "key-a"))
    monkeypatch.setenv("FOYER_API_KEY", "key-env")
    assert resolve() == Profile("default", "http://a", "key-env")
    monkeypatch.setenv("FOYER_URL", "http://env")
    assert resolve() == Profile("default", "http://env", "key-env")


def test_environment_alone_needs_no_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOYER_URL", "http://env")
    monkeypatch.setenv("FOYER_API_KEY", "k")
    assert resolve() == Profile("default", "http://env", "k")


def test_missing_profile_says_how_to_log_in(config_dir: Path) -> None:
    with pytest.raises(NotConfigured) as raised:
        resolve("staging")
    assert str(raised.value) == (
        f"no gateway URL and API key for profile `staging` in {config_dir / 'config.toml'}; "
        "run `foyer login --url URL --api-key KEY --profile staging` "
        "or set FOYER_URL and FOYER_API_KEY"
    )


def test_unreadable_file_is_named(config_dir: Path) -> None:
    config_dir.mkdir()
    (config_dir / "config.toml").write_text("[profile.default\n")
    with pytest.raises(ConfigUnreadable, match=r"config\.toml"):
        resolve()
