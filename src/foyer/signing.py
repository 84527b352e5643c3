"""Signed identity: the gateway vouches for who asked, the team side checks.

A token is ``base64url(claims JSON) + "." + base64url(Ed25519 signature)``. It is
bound to one action on one run and to a digest of what was asked (inputs, or
the decision), and it expires quickly, so a token lifted from a history cannot
authorise anything else. Keys are named by a fingerprint of the public key,
so several public keys can be trusted at once while the gateway's key rotates.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ValidationError

from foyer.contracts import Identity

Action = Literal["start", "decide", "cancel"]

ISSUER = "foyer-gateway"


class SignatureError(Exception):
    """A token that must not be trusted; the message says why."""


class Claims(BaseModel):
    """What a token asserts."""

    iss: str = ISSUER
    kid: str
    sub: str
    name: str = ""
    groups: list[str] = []
    act: Action
    run: str
    entry: str
    digest: str
    iat: int
    exp: int

    def identity(self) -> Identity:
        return Identity(subject=self.sub, name=self.name, groups=self.groups)


def digest(content: Any) -> str:
    """SHA-256 over the canonical JSON of ``content``."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def start_content(environment: str, inputs: Any) -> dict[str, Any]:
    """What a start token is bound to."""
    return {"environment": environment, "inputs": inputs}


def decision_content(approve: bool, comment: str, decision_id: str) -> dict[str, Any]:
    """What a decision token is bound to."""
    return {"approve": approve, "comment": comment, "decision": decision_id}


def cancel_content(reason: str, decision_id: str) -> dict[str, Any]:
    """What a cancellation token is bound to."""
    return {"reason": reason, "decision": decision_id}


def token_digest(token: str) -> str:
    """A short name for one token, so the team side can count it once."""
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Signer:
    """Signs claims with the gateway's private key."""

    def __init__(
        self,
        private_key: Ed25519PrivateKey,
        ttl_seconds: int = 900,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._key = private_key
        self._kid = key_id(private_key.public_key())
        self._ttl = ttl_seconds
        self._clock = clock

    def sign(self, identity: Identity, *, act: Action, run: str, entry: str, content: Any) -> str:
        now = int(self._clock())
        claims = Claims(
            kid=self._kid,
            sub=identity.subject,
            name=identity.name,
            groups=identity.groups,
            act=act,
            run=run,
            entry=entry,
            digest=digest(content),
            iat=now,
            exp=now + self._ttl,
        )
        body = _b64encode(claims.model_dump_json().encode())
        signature = _b64encode(self._key.sign(body.encode()))
        return f"{body}.{signature}"


class Verifier:
    """Checks tokens against the trusted public keys of the gateway."""

    def __init__(
        self,
        public_keys: Iterable[Ed25519PublicKey],
        leeway_seconds: int = 30,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._keys = {key_id(key): key for key in public_keys}
        self._leeway = leeway_seconds
        self._clock = clock

    def verify(self, token: str, *, act: Action, run: str, entry: str, content: Any) -> Identity:
        """Return the identity a valid token vouches for.

        Raises:
            SignatureError: the token is malformed, not signed by a trusted key,
                expired, or made for another action, run, entry or content.
        """
        body, _, signature = token.partition(".")
        try:
            claims = Claims.model_validate_json(_b64decode(body))
            raw_signature = _b64decode(signature)
        except (ValueError, ValidationError) as err:
            raise SignatureError("identity token is malformed") from err
        key = self._keys.get(claims.kid)
        if key is None:
            raise SignatureError(f"identity token is signed by unknown key {claims.kid!r}")
        try:
            key.verify(raw_signature, body.encode())
        except InvalidSignature as err:
            raise SignatureError("identity token signature is invalid") from err
        now = self._clock()
        if claims.exp + self._leeway < now:
            raise SignatureError("identity token has expired")
        if claims.iat - self._leeway > now:
            raise SignatureError("identity token is not valid yet")
        expected = {"act": act, "run": run, "entry": entry, "digest": digest(content)}
        for field, value in expected.items():
            if getattr(claims, field) != value:
                raise SignatureError(f"identity token was issued for another {field}")
        return claims.identity()


def generate_key_pair(private_path: Path, public_path: Path) -> None:
    """Write a new Ed25519 key pair as PEM files, the private one readable by owner only."""
    key = Ed25519PrivateKey.generate()
    private_path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    public_path.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def generate_secret(path: Path) -> None:
    """Write 32 random bytes, hex-encoded, to a file created readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(secrets.token_hex(32) + "\n")


def load_secret(path: Path) -> bytes:
    """The gateway's secret (see :func:`generate_secret`)."""
    try:
        secret = bytes.fromhex(path.read_text().strip())
    except FileNotFoundError as err:
        raise SignatureError(f"secret key file {path} does not exist") from err
    except ValueError as err:
        raise SignatureError(f"secret key file {path} must hold hex digits") from err
    if len(secret) < 16:
        raise SignatureError(f"secret key file {path} must hold at least 16 bytes")
    return secret


def load_private_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SignatureError(f"{path} does not hold an Ed25519 private key")
    return key


def load_public_keys(path: Path) -> list[Ed25519PublicKey]:
    """Load every public key in a PEM file (several while a key rotates)."""
    marker = b"-----END PUBLIC KEY-----"
    keys = []
    for block in path.read_bytes().split(marker):
        if block.strip():
            key = serialization.load_pem_public_key(block + marker)
            if not isinstance(key, Ed25519PublicKey):
                raise SignatureError(f"{path} holds a key that is not Ed25519")
            keys.append(key)
    return keys
