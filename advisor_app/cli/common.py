"""What every command shares: the workspace it works on, output helpers, date parsing."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from advisor_app.domain.errors import ValidationError
from advisor_app.domain.messages import N_
from advisor_app.i18n import parse_date, set_language
from advisor_app.services import Services

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2


def default_workspace() -> Path:
    return Path(user_data_dir("Boussole", appauthor=False)) / "workspace"


@dataclass
class CommandContext:
    workspace_path: Path
    _services: Services | None = field(default=None, init=False)

    @property
    def services(self) -> Services:
        if self._services is None:
            self._services = Services.open(self.workspace_path)
            language = self._services.settings.get("language")
            if language and not _explicit_language():
                set_language(language)
        return self._services

    def close(self) -> None:
        if self._services is not None:
            self._services.close()


def _explicit_language() -> bool:
    return any(arg == "--lang" or arg.startswith("--lang=") for arg in sys.argv)


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not serialisable: {type(value).__name__}")


def date_argument(text: str) -> date:
    return parse_date("date", text)


def datetime_argument(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            "start",
            N_("“{text}” is not a date and time."),
            N_("Write it as 2026-03-14T09:30."),
            text=text,
        ) from None
