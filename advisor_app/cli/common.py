"""What every command shares: the workspace it works on, output helpers, date parsing."""

from __future__ import annotations

import getpass
import json
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from advisor_app.domain.errors import AdvisorError, ValidationError
from advisor_app.domain.messages import N_
from advisor_app.i18n import _, parse_date, set_language
from advisor_app.services import Services
from advisor_app.services.workspace_lock import is_encrypted

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2


def default_workspace() -> Path:
    return Path(user_data_dir("Boussole", appauthor=False)) / "workspace"


@dataclass
class CommandContext:
    workspace_path: Path
    passphrase_file: Path | None = None
    daily_backup: bool = True
    language_chosen: bool = False
    _services: Services | None = field(default=None, init=False)

    @property
    def services(self) -> Services:
        if self._services is None:
            self._services = Services.open(self.workspace_path, passphrase=self.passphrase())
            language = self._services.settings.get("language")
            if language and not self.language_chosen:
                set_language(language)
            if self.daily_backup and self._services.backups.daily_backup_due():
                print(_("Making today's backup of the workspace…"), file=sys.stderr)
                self._services.backups.daily_backup_if_due()
        return self._services

    def passphrase(self) -> str | None:
        """From --passphrase-file, else asked on a terminal when the workspace is encrypted."""
        if self.passphrase_file is not None:
            return read_passphrase_file(self.passphrase_file)
        if is_encrypted(self.workspace_path) and sys.stdin.isatty():
            return getpass.getpass(_("Passphrase of the workspace: "))
        return None

    def reopen(self) -> None:
        """Close the services (a command that replaces files re-opens them when needed)."""
        self.close()
        self._services = None

    def close(self) -> None:
        if self._services is not None:
            self._services.close()


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


def read_passphrase_file(path: Path) -> str:
    """The passphrase written in a file (its first line, without the line end)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise AdvisorError(
            N_("The passphrase file {path} cannot be read: {reason}."),
            path=str(path),
            reason=error.strerror or str(error),
        ) from error
    lines = text.splitlines()
    return lines[0] if lines else ""
