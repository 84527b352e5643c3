from __future__ import annotations

import pytest

from foyer.errors import Forbidden
from foyer.identities import (
    KEY_PREFIX,
    User,
    hash_key,
    key_hint,
    looks_like_api_key,
    new_api_key,
)


def test_keys_have_the_prefix_random_body_and_a_checksum() -> None:
    keys = {new_api_key() for _ in range(100)}

    assert len(keys) == 100
    for key in keys:
        assert key.startswith(KEY_PREFIX) and len(key) == len(KEY_PREFIX) + 36
        assert key[len(KEY_PREFIX) :].isalnum()
        assert looks_like_api_key(key)


def test_a_changed_character_fails_the_checksum() -> None:
    key = new_api_key()
    position = len(KEY_PREFIX) + 5
    changed = key[:position] + ("A" if key[position] != "A" else "B") + key[position + 1 :]

    assert not looks_like_api_key(changed)
    assert not looks_like_api_key(key[:-1])
    assert not looks_like_api_key("ghp_" + key[len(KEY_PREFIX) :])


def test_digest_and_hint() -> None:
    assert hash_key("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert key_hint("foyer_abcdefgh") == "foyer_abcd…"


def test_scopes_are_checked_with_a_message_naming_the_fix() -> None:
    user = User(email="ci@example.com", scopes=["run"])

    user.require_scope("run")
    with pytest.raises(Forbidden, match=r"lacks the `approve` scope.*--scope approve"):
        user.require_scope("approve")
