"""Who is calling: an API key, an OIDC token, or the headers of a trusted SSO proxy.

In order: ``Authorization: Bearer foyer_…`` is an API key (with its scopes);
any other bearer token is an OIDC JWT when an issuer is configured; without
``Authorization``, identity headers (``X-Forwarded-Email``,
``X-Forwarded-Groups``) count only when SSO headers are enabled and the
request comes from a trusted proxy address and/or carries the proxy's shared
secret. Everything here blocks on the database (and on first use the
issuer's keys): FastAPI runs it in its thread pool.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from foyer.db import Actor, Directory, SignIn
from foyer.errors import FoyerError, Unauthenticated
from foyer.gateway.oidc import OidcVerifier, looks_like_jwt
from foyer.identities import KEY_PREFIX, User
from foyer.settings import Settings

log = logging.getLogger("foyer.gateway")

PROXY_SECRET_HEADER = "X-Foyer-Proxy-Secret"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class SsoMisconfigured(FoyerError):
    """SSO settings that would let anyone in; the gateway refuses to start with them."""


@dataclass(frozen=True)
class Request:
    """The parts of an HTTP request that say who sent it."""

    headers: Mapping[str, str]
    """Looked up by lowercase name."""
    peer: str
    client: str = "http"


def trusted_networks(text: str) -> list[Network]:
    networks = []
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as err:
            raise SsoMisconfigured(
                f"FOYER_SSO_TRUSTED_PROXIES: `{part}` is not an address or network"
            ) from err
    return networks


class Authenticator:
    """Turns a request's credentials into a :class:`User`."""

    def __init__(self, settings: Settings, directory: Directory) -> None:
        self._directory = directory
        self._admin_group = settings.admin_group
        self._headers = settings.sso_headers
        self._proxies = trusted_networks(settings.sso_trusted_proxies)
        self._secret = (
            settings.sso_proxy_secret_file.read_text().strip().encode()
            if settings.sso_proxy_secret_file
            else None
        )
        if self._headers and not self._proxies and not self._secret:
            raise SsoMisconfigured(
                "FOYER_SSO_HEADERS is on but nothing says which requests come from the proxy: "
                "set FOYER_SSO_TRUSTED_PROXIES or FOYER_SSO_PROXY_SECRET_FILE"
            )
        # Header lookups use lowercase names, as HTTP/2 and starlette do.
        self._email_header = settings.sso_email_header.lower()
        self._groups_header = settings.sso_groups_header.lower()
        self._name_header = settings.sso_name_header.lower()
        self._oidc = OidcVerifier(settings) if settings.oidc_issuer else None

    def authenticate(self, request: Request) -> User:
        """The caller; :class:`Unauthenticated` with what to send when there is none."""
        authorization = request.headers.get("authorization")
        if authorization:
            scheme, _, token = authorization.partition(" ")
            token = token.strip()
            if scheme.lower() != "bearer" or not token:
                raise Unauthenticated(self._how(), "Authorization")
            return self._bearer(token, request)
        if self._headers and request.headers.get(self._email_header):
            if self._from_proxy(request):
                return self._sign_in(self._proxy_sign_in(request), request)
            log.warning("ignored SSO headers from untrusted %s", request.peer)
        raise Unauthenticated(self._how(), "Authorization")

    def source(self, request: Request) -> str:
        """The address a request came from: the proxy's ``X-Forwarded-For`` when it is trusted."""
        forwarded = request.headers.get("x-forwarded-for", "")
        if forwarded and self._peer_trusted(request.peer):
            return forwarded.split(",")[0].strip()[:100]
        return request.peer

    def _bearer(self, token: str, request: Request) -> User:
        if token.startswith(KEY_PREFIX) or self._oidc is None or not looks_like_jwt(token):
            return self._directory.verify_key(token, request.client, self.source(request))
        return self._sign_in(self._oidc.verify(token), request)

    def _sign_in(self, sign_in: SignIn, request: Request) -> User:
        actor = Actor(sign_in.email, request.client, self.source(request))
        return self._directory.sign_in(sign_in, actor, self._admin_group)

    def _proxy_sign_in(self, request: Request) -> SignIn:
        groups = request.headers.get(self._groups_header)
        return SignIn(
            email=request.headers[self._email_header],
            name=request.headers.get(self._name_header, ""),
            groups=None if groups is None else [g.strip() for g in groups.split(",")],
            source="proxy",
        )

    def _from_proxy(self, request: Request) -> bool:
        if self._proxies and not self._peer_trusted(request.peer):
            return False
        if self._secret is not None:
            sent = request.headers.get(PROXY_SECRET_HEADER.lower(), "").encode()
            return hmac.compare_digest(sent, self._secret)
        return True

    def _peer_trusted(self, peer: str) -> bool:
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in self._proxies)

    def _how(self) -> str:
        ways = ["an API key as `Authorization: Bearer <key>`"]
        if self._oidc is not None:
            ways.append(f"an OIDC token from {self._oidc.issuer}")
        return "Send " + " or ".join(ways)
