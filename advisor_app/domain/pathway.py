"""Pathway templates: the ordered milestones a project holder goes through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any


@dataclass(frozen=True)
class MilestoneTemplate:
    key: str
    label: str
    stage: str
    offset_days: int


@dataclass(frozen=True)
class PathwayTemplate:
    key: str
    label: str
    milestones: tuple[MilestoneTemplate, ...]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PathwayTemplate:
        return cls(
            key=str(data["key"]),
            label=str(data["label"]),
            milestones=tuple(
                MilestoneTemplate(
                    key=str(item["key"]),
                    label=str(item["label"]),
                    stage=str(item.get("stage", item["key"])),
                    offset_days=int(item["offset_days"]),
                )
                for item in data["milestones"]
            ),
        )

    def keys(self) -> list[str]:
        return [m.key for m in self.milestones]

    def target_dates(self, opened_on: date) -> dict[str, date]:
        return {m.key: opened_on + timedelta(days=m.offset_days) for m in self.milestones}


def is_late(target_on: date | None, done_on: date | None, today: date) -> bool:
    return done_on is None and target_on is not None and target_on < today


def current_stage(milestones: list[tuple[str, date | None]]) -> str | None:
    """The key of the last done milestone in pathway order (None before the first)."""
    stage: str | None = None
    for key, done_on in milestones:
        if done_on is not None:
            stage = key
    return stage
