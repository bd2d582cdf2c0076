"""What every service needs: the workspace, the clock, and the loaded pathway templates."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING

from advisor_app.domain.hlc import HybridClock
from advisor_app.domain.pathway import PathwayTemplate
from advisor_app.package_files import resource
from advisor_app.storage.layout import STATE_SCHEMA

if TYPE_CHECKING:
    from advisor_app.storage.workspace import Workspace


@cache
def pathway_template(key: str = "standard") -> PathwayTemplate:
    shipped = resource("pathways", f"{key}.json")
    return PathwayTemplate.from_dict(json.loads(shipped.read_text(encoding="utf-8")))


def system_clock() -> datetime:
    return datetime.now().replace(microsecond=0)


@dataclass
class ServiceContext:
    workspace: Workspace
    clock: Callable[[], datetime] = field(default=system_clock)

    def __post_init__(self) -> None:
        self.workspace.clock = self.clock
        if self.workspace.team_clock is None:
            self.workspace.team_clock = team_clock_of(self.workspace)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.clock().date()


def team_clock_of(workspace: Workspace) -> HybridClock | None:
    """The team's clock of a workspace that belongs to a team (its writes to shared cases
    then record their changes), else None."""
    with workspace.catalog.plain_read() as connection:
        row = connection.execute(
            f"SELECT member_id, last_stamp FROM {STATE_SCHEMA}.team"
        ).fetchone()
    if row is None:
        return None
    return HybridClock(str(row[0]), str(row[1]) or None)
