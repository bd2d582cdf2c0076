"""What two members compare of a shared case."""

from __future__ import annotations

from typing import Any

from advisor_app.cli.case_commands import case_as_json
from advisor_app.services import Services

# What each workspace keeps for itself: its file's revision and dates, its history.
LOCAL = ("revision", "updated_at", "history", "created_at")


def shown(services: Services, case_id: str) -> dict[str, Any]:
    """What `show --json` shows of a case, but what each workspace keeps for itself."""
    seen = case_as_json(services.cases.get(case_id))
    for local in LOCAL:
        seen.pop(local, None)
    return seen
