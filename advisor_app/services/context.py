"""What every service needs: the workspace, the clock, and the loaded pathway templates."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING

from advisor_app.domain.pathway import PathwayTemplate
from advisor_app.package_files import resource

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

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.clock().date()
