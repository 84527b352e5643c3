"""Clients into cloud-ops' AWS accounts.

Activities act in an account by assuming cloud-ops' automation role there, with
boto3's normal credential chain as the starting point; in the dev stack
``AWS_ENDPOINT_URL`` points every client at the local emulator.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import boto3
from botocore.exceptions import ClientError

ACCOUNTS: dict[str, str] = {
    "sandbox": "123456789012",
    "payments-prod": "402958371620",
    "data-prod": "587123904466",
}
"""The catalog's account names (``aws_account_name`` in ``defs/aws.yaml``) → account ids."""

ROLE_NAME = "cloud-ops-automation"
_REFRESH_MARGIN_SECONDS = 300

_lock = threading.Lock()
_credentials: dict[str, tuple[float, dict[str, str]]] = {}
_clients: dict[tuple[str, str, str], tuple[dict[str, str], Any]] = {}


def _assumed(account: str) -> dict[str, str]:
    with _lock:
        cached = _credentials.get(account)
        if cached is not None and cached[0] > time.time() + _REFRESH_MARGIN_SECONDS:
            return cached[1]
        sts = boto3.session.Session().client("sts")
        answer = sts.assume_role(
            RoleArn=f"arn:aws:iam::{ACCOUNTS[account]}:role/{ROLE_NAME}",
            RoleSessionName="foyer-cloud-ops",
        )["Credentials"]
        credentials = {
            "aws_access_key_id": answer["AccessKeyId"],
            "aws_secret_access_key": answer["SecretAccessKey"],
            "aws_session_token": answer["SessionToken"],
        }
        _credentials[account] = (answer["Expiration"].timestamp(), credentials)
        return credentials


def client(service: str, account: str, region: str) -> Any:
    """A boto3 client for ``service`` acting in ``account`` (a catalog name) and ``region``.

    Clients are kept until the account's credentials are renewed: making one loads
    the service's model from disk, and boto3 clients are safe to share between threads.
    """
    credentials = _assumed(account)
    key = (service, account, region)
    with _lock:
        cached = _clients.get(key)
        if cached is not None and cached[0] is credentials:
            return cached[1]
    made = boto3.session.Session(**credentials).client(service, region_name=region)
    with _lock:
        _clients[key] = (credentials, made)
    return made


def error_code(err: ClientError) -> str:
    return str(err.response.get("Error", {}).get("Code", ""))
