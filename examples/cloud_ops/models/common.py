"""Fields every cloud-ops request has."""

from __future__ import annotations

from pydantic import BaseModel


class Where(BaseModel):
    """An AWS account (as the catalog names it) and region."""

    aws_account: str
    region: str


class Request(Where):
    """The fields of every cloud-ops form: where, whether to only plan, and why."""

    dry_run: bool = True
    reason: str = ""
