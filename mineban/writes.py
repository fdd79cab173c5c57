"""What every service write shares: who made it, and which fields a caller may set."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

# The services take the request's user, or None for commands and tasks.
User = AbstractBaseUser | AnonymousUser | None


def attributed(user: User) -> Any:
    """The user to record as author: an anonymous or absent user is recorded as nobody."""
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def check_fields(fields: dict[str, Any], allowed: Iterable[str]) -> None:
    """A programming error, not bad input: the API and admin only pass fields they know."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
