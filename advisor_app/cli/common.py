"""What every command shares: the workspace it works on, output helpers, date parsing, and the
checks of what is typed where it enters (dates, files to read and to write).

Files written with `-o`: an existing file is replaced; a folder, a device or a pipe is
refused with a sentence, as is a folder that does not exist. Files read (a package, a text
given as @FILE, a passphrase file) are read only when they are regular files, or, for a
secret, only its first line.
"""

from __future__ import annotations

import argparse
import errno
import getpass
import json
import stat
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platformdirs import user_data_dir

from advisor_app.domain import validation
from advisor_app.domain.enums import CaseScope
from advisor_app.domain.errors import AdvisorError, ValidationError
from advisor_app.domain.messages import N_
from advisor_app.domain.validation import shown_id
from advisor_app.i18n import _, describe, parse_date, set_language

if TYPE_CHECKING:  # the services are imported when a command first uses them
    from advisor_app.services import Services

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
    # The first command of the day: its backup made after it, in a process of its own
    # (`finish`), rather than before it (a command run in-process, as the tests do).
    backup_after: bool = False
    _services: Services | None = field(default=None, init=False)
    _backup_claimed: bool = field(default=False, init=False)
    _passphrase: str | None = field(default=None, init=False, repr=False)
    _whole_catalog: bool = field(default=True, init=False)

    @property
    def case_services(self) -> Services:
        """The services for a command that works on one case: the catalog is not first
        brought in line with every case file (a look at each, a twentieth of a second at
        10,000 cases); the case's own line is made anew by its write, the others at the
        next command that lists cases or at the window's start."""
        if self._services is None:
            self._whole_catalog = False
        return self.services

    @property
    def services(self) -> Services:
        if self._services is None:
            from advisor_app.services import Services

            workspace_folder(self.workspace_path)
            passphrase = self.passphrase()
            self._services = Services.open(
                self.workspace_path, passphrase=passphrase, reconcile=self._whole_catalog
            )
            language = self._services.settings.get("language")
            if language and not self.language_chosen:
                set_language(language)
            for case_id in self._services.unfinished_erasures():  # say so at once
                from advisor_app.services.privacy import unfinished_erasure

                print(describe(unfinished_erasure(case_id)), file=sys.stderr)
            if self.daily_backup:
                self._first_of_the_day(self._services, passphrase)
        return self._services

    def _first_of_the_day(self, services: Services, passphrase: str | None) -> None:
        """Today's backup if it is due: claimed now and made once the command is done
        (`finish`), or made at once (`backup_after` false)."""
        if self.backup_after:
            if not self._backup_claimed and services.backups.claim_daily_backup():
                self._backup_claimed, self._passphrase = True, passphrase
        elif services.backups.daily_backup_due():
            print(_("Making today's backup of the workspace…"), file=sys.stderr)
            services.backups.daily_backup_if_due()

    def passphrase(self) -> str | None:
        """From --passphrase-file, else asked on a terminal when the workspace is encrypted."""
        from advisor_app.services.workspace_lock import is_encrypted

        if self.passphrase_file is not None:
            return read_passphrase_file(self.passphrase_file)
        if sys.stdin.isatty() and is_encrypted(self.workspace_path):  # not asked in a script
            return getpass.getpass(_("Passphrase of the workspace: "))
        return None

    def reopen(self) -> None:
        """Close the services (a command that replaces files re-opens them when needed)."""
        self.close()
        self._services = None

    def close(self) -> None:
        if self._services is not None:
            self._services.close()

    def finish(self) -> None:
        """Close the services, and start today's backup if this command claimed it (not
        when the command itself said no backup: it encrypted, restored or backed up)."""
        services, claimed = self._services, self._backup_claimed
        self._backup_claimed = False
        if claimed and services is not None and not self.daily_backup:
            services.backups.release_daily_backup()
        self.close()
        if claimed and self.daily_backup:
            from advisor_app.cli import daily_backup

            daily_backup.start(self.workspace_path, self._passphrase)


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not serialisable: {type(value).__name__}")


def date_argument(text: str) -> date:
    """A day as typed (2026-03-14, 14/03/2026), within the years Boussole keeps."""
    day = parse_date("date", text if len(text) <= 60 else shown_id(text, 60))
    validation.check_date("date", day)
    return day


def datetime_argument(text: str) -> datetime:
    """A local date and time as typed (2026-03-14T09:30): no time zone, within the years kept."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            "start",
            N_("“{text}” is not a date and time."),
            N_("Write it as 2026-03-14T09:30."),
            text=shown_id(text, 60),
        ) from None
    validation.check_local_time("start", moment)
    return moment


def workspace_folder(path: Path) -> Path:
    """The folder given with --workspace: a folder, or a name for a new one (not a file)."""
    try:
        kind = path.stat().st_mode
    except FileNotFoundError:
        return path
    except OSError as error:
        raise os_error_sentence(error, path) from error
    if not stat.S_ISDIR(kind):
        raise AdvisorError(
            N_("{path} is not a folder."),
            N_("Give the folder of a workspace with --workspace (a new name makes a new one)."),
            path=str(path),
        )
    return path


def output_file(path: Path) -> Path:
    """Where a command writes a file (-o): an existing file is replaced; a folder, a device,
    a pipe, or a place in a folder that does not exist is refused before anything is done."""
    path = path.expanduser()
    try:
        kind = path.stat().st_mode
    except FileNotFoundError:
        kind = None
    except OSError as error:
        raise os_error_sentence(error, path) from error
    if kind is not None and stat.S_ISDIR(kind):
        raise AdvisorError(
            N_("{path} is a folder: give the name of the file to write."),
            N_("For example {example}."),
            path=str(path),
            example=str(path / "file.pdf" if path.suffix == "" else path),
        )
    if kind is not None and not stat.S_ISREG(kind):
        raise AdvisorError(
            N_("{path} is not an ordinary file (a device or a pipe): nothing was written."),
            N_("Give the name of a file to write."),
            path=str(path),
        )
    folder = path.absolute().parent
    if not folder.is_dir():
        raise AdvisorError(
            N_("The folder {folder} does not exist: nothing was written."),
            N_("Create it first, or choose another folder."),
            folder=str(folder),
        )
    return path.absolute()


def output_folder(path: Path) -> Path:
    """Where a command writes several files (-o FOLDER): a folder, or a new one's name."""
    path = path.expanduser()
    try:
        kind = path.stat().st_mode
    except FileNotFoundError:
        return path.absolute()
    except OSError as error:
        raise os_error_sentence(error, path) from error
    if not stat.S_ISDIR(kind):
        raise AdvisorError(
            N_("{path} is not a folder: nothing was written."),
            N_("Give a folder to write in (a new name makes a new one)."),
            path=str(path),
        )
    return path.absolute()


def regular_file(path: Path, *, limit: int | None = None, field: str | None = None) -> Path:
    """A file to read: refused at once, without reading it, when it is not an ordinary file
    (a folder, a device such as /dev/zero, a named pipe) or larger than `limit` bytes. With
    `field`, the refusal is a ValidationError naming it (a value given as @FILE)."""

    def refused(message: str, **params: Any) -> AdvisorError:
        if field is not None:
            return ValidationError(field, message, **params)
        return AdvisorError(message, **params)

    try:
        info = path.stat()
    except OSError as error:
        raise refused(
            N_("The file {path} cannot be read: {reason}."),
            path=str(path),
            reason=error.strerror or str(error),
        ) from error
    if not stat.S_ISREG(info.st_mode):
        raise refused(
            N_("{path} is not an ordinary file (a folder, a device or a pipe): it was not read."),
            path=str(path),
        )
    if limit is not None and info.st_size > limit:
        raise refused(
            N_("{path} is too large to be read here ({size} bytes)."),
            path=str(path),
            size=float(info.st_size),
        )
    return path


# What an error the services did not turn into a sentence means, by its errno (-o paths,
# files read, folders created): each a sentence, never "Unexpected error".
_ERRNO_SENTENCES = {
    errno.EROFS: N_("{path} is on a read-only disk: nothing was written there."),
    errno.EACCES: N_("Boussole is not allowed to use {path} (permission denied)."),
    errno.EPERM: N_("Boussole is not allowed to use {path} (permission denied)."),
    errno.EISDIR: N_("{path} is a folder, where a file was expected."),
    errno.ENOTDIR: N_("{path} is not a folder, or lies under a file, where a folder was expected."),
    errno.EEXIST: N_("{path} already exists."),
    errno.ENAMETOOLONG: N_("The name {path} is too long."),
    errno.ENXIO: N_("{path} is not an ordinary file (a device or a pipe)."),
}


def os_error_sentence(error: OSError, where: Path) -> AdvisorError:
    """A sentence for an OSError met on `where` (or on the file the error names)."""
    named = error.filename if isinstance(error.filename, str) else None
    path = Path(named) if named else where
    from advisor_app.services.disk import DiskFullError

    shown = shown_id(str(path), 200)
    reason = error.strerror or str(error)
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return DiskFullError(shown_id(str(path.parent), 200))
    if error.errno == errno.ENOENT:
        if path.parent.is_dir() and not path.exists() and named and where != path:
            return AdvisorError(
                N_("Boussole cannot create a file in {folder} ({reason})."),
                N_("Choose another folder."),
                folder=shown_id(str(path.parent), 200),
                reason=reason,
            )
        return AdvisorError(N_("{path} does not exist."), path=shown)
    message = _ERRNO_SENTENCES.get(error.errno or 0, N_("{path} cannot be used ({reason})."))
    return AdvisorError(message, path=shown, reason=reason)


def sentence_for(error: BaseException, workspace: Path) -> AdvisorError | None:
    """The sentence for an error that reached the command line unexplained: a full disk, a
    read-only folder, an I/O error (in the workspace), or what an OSError's errno says (on
    any path). None for anything else: a fault of Boussole, for the log."""
    from advisor_app.services.disk import disk_problem

    if isinstance(error, OSError):
        named = Path(error.filename) if isinstance(error.filename, str) else workspace
        inside = _inside(named, workspace)
        problem = disk_problem(error, named) if inside else None
        return problem or os_error_sentence(error, named)
    return disk_problem(error, workspace)


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.absolute().is_relative_to(folder.absolute())
    except (OSError, ValueError):
        return False


def read_passphrase_file(path: Path) -> str:
    """The passphrase written in a file (its first line, without the line end)."""
    return read_secret_file(path, N_("The passphrase file {path} cannot be read: {reason}."))


def read_secret_file(path: Path, unreadable: str) -> str:
    """A secret written in a file (its first line, without the line end): secrets are never
    typed as arguments, which the shell's history and the list of processes would show.
    `unreadable` is the message id of the refusal, with {path} and {reason}."""
    try:
        with path.open("rb") as handle:  # a pipe, as <(pass show x), holds the secret too
            line = handle.readline(SECRET_MAX_BYTES)
        text = line.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else None
        raise AdvisorError(unreadable, path=str(path), reason=reason or str(error)) from error
    lines = text.splitlines()
    return lines[0] if lines else ""


# A secret is one line: no more of its file is read (/dev/zero is never read to its end).
SECRET_MAX_BYTES = 4096


def add_scope_argument(parser: argparse.ArgumentParser, default: CaseScope) -> None:
    """--scope mine|team|all: whose cases, in team mode."""
    parser.add_argument(
        "--scope",
        choices=[scope.value for scope in CaseScope],
        default=default.value,
        help=_(
            "whose cases: mine (not shared with the team, or shared with me as lead advisor), "
            "team (every case shared with the team) or all (default: {default})"
        ).format(default=default.value),
    )
