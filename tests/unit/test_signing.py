"""Signed identity: what verifies, and every way a token must not."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from foyer.contracts import Identity
from foyer.signing import (
    SignatureError,
    Signer,
    Verifier,
    digest,
    generate_key_pair,
    load_private_key,
    load_public_keys,
)

ADA = Identity(subject="ada@example.com", name="Ada", groups=["engineering"])
CONTENT = {"environment": "prod", "inputs": {"table_name": "orders"}}
NOW = 1_800_000_000.0


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def sign(key: Ed25519PrivateKey, at: float = NOW, **overrides: object) -> str:
    claims: dict[str, object] = {"act": "start", "run": "run-1", "entry": "e", "content": CONTENT}
    claims.update(overrides)
    return Signer(key, ttl_seconds=300, clock=lambda: at).sign(ADA, **claims)  # type: ignore[arg-type]


def verify(key: Ed25519PrivateKey, token: str, at: float = NOW, **overrides: object) -> Identity:
    expected: dict[str, object] = {"act": "start", "run": "run-1", "entry": "e", "content": CONTENT}
    expected.update(overrides)
    verifier = Verifier([key.public_key()], leeway_seconds=30, clock=lambda: at)
    return verifier.verify(token, **expected)  # type: ignore[arg-type]


def test_a_valid_token_yields_the_identity(key: Ed25519PrivateKey) -> None:
    assert verify(key, sign(key)) == ADA


def test_content_digest_ignores_key_order() -> None:
    assert digest({"a": 1, "b": [1, 2]}) == digest({"b": [1, 2], "a": 1})
    assert digest({"a": 1}) != digest({"a": "1"})


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"act": "decide"}, "identity token was issued for another act"),
        ({"run": "run-2"}, "identity token was issued for another run"),
        ({"entry": "other"}, "identity token was issued for another entry"),
        ({"content": {"environment": "prod", "inputs": {}}}, "issued for another digest"),
    ],
)
def test_a_token_is_bound_to_its_action_run_entry_and_content(
    key: Ed25519PrivateKey, override: dict[str, object], message: str
) -> None:
    with pytest.raises(SignatureError, match=message):
        verify(key, sign(key), **override)


def test_expired_and_future_tokens_are_refused(key: Ed25519PrivateKey) -> None:
    token = sign(key)
    assert verify(key, token, at=NOW + 300 + 29) == ADA
    with pytest.raises(SignatureError, match="identity token has expired"):
        verify(key, token, at=NOW + 300 + 31)
    with pytest.raises(SignatureError, match="identity token is not valid yet"):
        verify(key, token, at=NOW - 31)


def test_a_token_from_another_key_is_refused(key: Ed25519PrivateKey) -> None:
    token = sign(Ed25519PrivateKey.generate())
    with pytest.raises(SignatureError, match="signed by unknown key"):
        verify(key, token)


def test_tampered_claims_are_refused(key: Ed25519PrivateKey) -> None:
    body, _, signature = sign(key).partition(".")
    other_body, _, _ = sign(key, run="run-2").partition(".")
    with pytest.raises(SignatureError, match="signature is invalid"):
        verify(key, f"{other_body}.{signature}", run="run-2")
    assert body != other_body


@pytest.mark.parametrize("token", ["", "garbage", "a.b", "e30.AAAA", "!!.??"])
def test_malformed_tokens_are_refused(key: Ed25519PrivateKey, token: str) -> None:
    with pytest.raises(SignatureError):
        verify(key, token)


def test_key_files_round_trip_and_rotation(tmp_path: Path) -> None:
    generate_key_pair(tmp_path / "old.pem", tmp_path / "old.pub")
    generate_key_pair(tmp_path / "new.pem", tmp_path / "new.pub")
    both = tmp_path / "trusted.pub"
    both.write_bytes((tmp_path / "old.pub").read_bytes() + (tmp_path / "new.pub").read_bytes())
    verifier = Verifier(load_public_keys(both), clock=lambda: NOW)
    for name in ("old.pem", "new.pem"):
        token = Signer(load_private_key(tmp_path / name), clock=lambda: NOW).sign(
            ADA, act="cancel", run="r", entry="e", content={}
        )
        assert verifier.verify(token, act="cancel", run="r", entry="e", content={}) == ADA
    assert (tmp_path / "old.pem").stat().st_mode & 0o777 == 0o600
