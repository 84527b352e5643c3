"""Who the caller is, as the gateway authenticated them."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from foyer.gateway.deps import CurrentUser

router = APIRouter(tags=["identity"])


class Me(BaseModel):
    """The authenticated caller."""

    subject: str
    name: str = ""
    groups: list[str]


@router.get("/me", operation_id="getMe")
async def get_me(user: CurrentUser) -> Me:
    """The caller's identity and groups."""
    return Me(subject=user.email, name=user.name, groups=list(user.groups))
