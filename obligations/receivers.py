"""Obligations keep up with the part of the States' record they refer to but do not own: the
meetings that decide extension requests (``states`` cannot call upward, so it signals)."""

from typing import Any

from obligations import services
from states.models import Meeting


def meeting_saved(sender: type[Meeting], instance: Meeting, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # a fixture being loaded carries its own links
        return
    services.meeting_links_refresh(meeting=instance)
