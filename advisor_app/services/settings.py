"""Workspace settings: advisor, organisation, language, programmes, limits."""

from __future__ import annotations

import json
from typing import Any

from advisor_app.services.changes import Changes
from advisor_app.services.context import ServiceContext

# The activity report names no group (commune, funder...) of fewer people than this.
MIN_GROUP_SETTING = "report_min_group"

DEFAULTS: dict[str, Any] = {
    "language": "",
    "advisor_name": "",
    "organisation": "",
    "programmes": ["Accompagnement ante-création", "Suivi post-création"],
    "attachment_limit_bytes": 10 * 1024 * 1024,
    "retention_years": 3,
    "backups_daily_to_keep": 7,
    "backups_weekly_to_keep": 8,
    "backup_max_age_days": 7,
    "idle_lock_minutes": 10,
    MIN_GROUP_SETTING: 3,
}


class SettingsService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def get(self, key: str) -> Any:
        stored = self.context.workspace.catalog.setting(key)
        return json.loads(stored) if stored is not None else DEFAULTS.get(key)

    def all(self) -> dict[str, Any]:
        values = dict(DEFAULTS)
        for key, stored in self.context.workspace.catalog.settings().items():
            values[key] = json.loads(stored)
        return values

    def set(self, key: str, value: Any) -> Changes:
        from advisor_app.storage.catalog_models import Setting

        with self.context.workspace.catalog.write() as catalog:
            catalog.merge(Setting(key=key, value=json.dumps(value, ensure_ascii=False)))
        return Changes(settings=True)

    @property
    def advisor_name(self) -> str:
        return str(self.get("advisor_name") or "")

    @property
    def attachment_limit(self) -> int:
        return int(self.get("attachment_limit_bytes"))

    @property
    def programmes(self) -> list[str]:
        return [str(p) for p in self.get("programmes")]
