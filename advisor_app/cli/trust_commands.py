"""Commands of trust: backups and restore, quarantine, consent, access, erasure, retention,
encryption."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from advisor_app.cli.commands import add_command
from advisor_app.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    CommandContext,
    date_argument,
    output_folder,
    print_json,
    read_passphrase_file,
)
from advisor_app.domain.enums import ConsentScope
from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.i18n import _, format_date, format_datetime, ngettext
from advisor_app.services import Progress
from advisor_app.services.quarantine import RestoreChoice
from advisor_app.services.workspace_lock import BackupInfo


def register(subparsers: Any) -> None:
    backup = add_command(subparsers, "backup")
    backup.set_defaults(handler=run_backup)

    backups = add_command(subparsers, "backups")
    backups.add_argument("--json", action="store_true", help=_("print JSON"))
    backups.set_defaults(handler=run_backups)

    restore = add_command(subparsers, "restore")
    restore.add_argument("backup", metavar=_("BACKUP"), help=_("name of the backup"))
    restore.add_argument("--case", dest="case_id", default=None, help=_("restore only this case"))
    restore.add_argument(
        "--state",
        action="store_true",
        help=_("bring back only the partners, outbox queue, settings and audit log it holds"),
    )
    restore.set_defaults(handler=run_restore)

    damaged = add_command(subparsers, "quarantine")
    damaged.add_argument("--json", action="store_true", help=_("print JSON"))
    damaged.add_argument(
        "--restore",
        dest="case_id",
        default=None,
        help=_(
            "restore this case from the newest backup that holds it (refused when the "
            "quarantine holds a newer save of it)"
        ),
    )
    source = damaged.add_mutually_exclusive_group()
    source.add_argument(
        "--from-quarantine",
        action="store_const",
        dest="choice",
        const=RestoreChoice.QUARANTINED,
        default=RestoreChoice.SAFEST,
        help=_("with --restore: put back the newest sound file of the case kept in the quarantine"),
    )
    source.add_argument(
        "--from-backup",
        action="store_const",
        dest="choice",
        const=RestoreChoice.BACKUP,
        help=_("with --restore: take the newest backup even if the quarantine holds newer saves"),
    )
    damaged.set_defaults(handler=run_quarantine)

    consent = add_command(subparsers, "consent-processing")
    consent.add_argument("case_id")
    consent.add_argument("--how", required=True, help=_("how it was given, e.g. signed form"))
    consent.add_argument("--on", default=None, help=_("day it was given (default: today)"))
    consent.set_defaults(handler=run_consent)

    access = add_command(subparsers, "access-export")
    access.add_argument("case_id")
    access.add_argument("-o", "--output", type=Path, required=True, help=_("folder to write to"))
    access.set_defaults(handler=run_access_export)

    erase = add_command(subparsers, "erase")
    erase.add_argument("case_id")
    erase.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    erase.set_defaults(handler=run_erase)

    retention = add_command(subparsers, "retention")
    retention.add_argument("--json", action="store_true", help=_("print JSON"))
    retention.set_defaults(handler=run_retention)

    anonymise = add_command(subparsers, "anonymise")
    anonymise.add_argument("case_id")
    anonymise.set_defaults(handler=run_anonymise)

    encrypt = add_command(subparsers, "encrypt")
    encrypt.add_argument(
        "--passphrase-file",
        dest="new_passphrase_file",
        type=Path,
        default=None,
        metavar=_("FILE"),
        help=_("file holding the new passphrase"),
    )
    encrypt.set_defaults(handler=run_encrypt)

    change = add_command(subparsers, "change-passphrase")
    change.add_argument(
        "--new-passphrase-file",
        type=Path,
        default=None,
        metavar=_("FILE"),
        help=_("file holding the new passphrase"),
    )
    change.set_defaults(handler=run_change_passphrase)

    decrypt = add_command(subparsers, "decrypt")
    decrypt.set_defaults(handler=run_decrypt)


def _backup_json(backup: BackupInfo) -> dict[str, Any]:
    return {
        "name": backup.name,
        "created_at": backup.created_at,
        "kind": backup.kind,
        "cases": list(backup.case_ids),
        "skipped": list(backup.skipped),
        "path": backup.path,
    }


def run_backup(context: CommandContext, options: argparse.Namespace) -> int:
    context.daily_backup = False
    backup = context.services.backups.back_up_now()
    print(
        _("Backup {name} written ({count} case files).").format(
            name=backup.name, count=len(backup.case_ids)
        )
    )
    for case_id in backup.skipped:
        print(_("{case_id}: damaged, not backed up.").format(case_id=case_id), file=sys.stderr)
    return EXIT_OK


def run_backups(context: CommandContext, options: argparse.Namespace) -> int:
    backups = context.services.backups.all()
    if options.json:
        print_json([_backup_json(b) for b in backups])
        return EXIT_OK
    for b in backups:
        cases = ngettext("{count} case", "{count} cases", len(b.case_ids)).format(
            count=len(b.case_ids)
        )
        print(f"{b.name:<36} {format_datetime(b.created_at):<22} {cases}")
    if not backups:
        print(_("There is no backup of this workspace yet."), file=sys.stderr)
    return EXIT_OK


def run_restore(context: CommandContext, options: argparse.Namespace) -> int:
    context.daily_backup = False
    services = context.services
    if options.state:
        services.backups.restore_state(options.backup)
        print(
            _(
                "The partners, outbox queue, settings and audit log were restored from {name}."
            ).format(name=options.backup)
        )
        print(_("The state before the restore was backed up first."), file=sys.stderr)
        return EXIT_OK
    services.backups.restore(options.backup, options.case_id)
    if options.case_id:
        print(
            _("The case {case_id} was restored from {name}.").format(
                case_id=options.case_id, name=options.backup
            )
        )
    else:
        print(_("The workspace was restored from {name}.").format(name=options.backup))
    print(_("The state before the restore was backed up first."), file=sys.stderr)
    return EXIT_OK


def run_quarantine(context: CommandContext, options: argparse.Namespace) -> int:
    services = context.services
    if options.case_id:
        services.backups.set_aside_and_restore(options.case_id, options.choice)
        if options.choice is RestoreChoice.QUARANTINED:
            done = _("The case {case_id} was put back from the quarantine.")
        else:
            done = _("The case {case_id} was restored from a backup.")
        print(done.format(case_id=options.case_id))
        return EXIT_OK
    if options.choice is not RestoreChoice.SAFEST:
        raise AdvisorError(N_("--from-quarantine and --from-backup go with --restore CASE_ID."))
    rows = []
    for item in services.quarantine.files():
        rows.append(
            {
                "case_id": item.case_id,
                "file": item.file.path,
                "moved_at": item.file.moved_at,
                "sound": item.state is not None,
                "saved_at": item.state.updated_at if item.state else None,
                "revision": item.state.revision if item.state else None,
                "restorable_from": item.backup.name if item.backup else None,
                "newer_than_backup": item.newer_than_backup,
            }
        )
    if options.json:
        print_json(rows)
        return EXIT_OK
    for row in rows:
        if row["newer_than_backup"]:
            offer = _(
                "sound, and newer than any backup: put it back with "
                "quarantine --restore {case_id} --from-quarantine"
            ).format(case_id=row["case_id"])
        elif row["restorable_from"]:
            offer = _("restore with: quarantine --restore {case_id}").format(case_id=row["case_id"])
        else:
            offer = _("no backup holds it")
        print(f"{row['case_id']}  {Path(str(row['file'])).name}  {offer}")
    if not rows:
        print(_("No damaged file is kept aside."), file=sys.stderr)
    return EXIT_OK


def run_consent(context: CommandContext, options: argparse.Namespace) -> int:
    services = context.services
    on = date_argument(options.on) if options.on else services.context.today()
    services.notes.record_consent(options.case_id, ConsentScope.PROCESSING, on, options.how)
    print(_("Consent to processing recorded on {date}.").format(date=format_date(on)))
    return EXIT_OK


def run_access_export(context: CommandContext, options: argparse.Namespace) -> int:
    export = context.services.privacy.access_export(options.case_id, output_folder(options.output))
    print(export.pdf)
    print(export.json)
    for path in export.attachments:
        print(path)
    return EXIT_OK


def run_erase(context: CommandContext, options: argparse.Namespace) -> int:
    services = context.services
    if not options.yes and sys.stdin.isatty():
        answer = input(
            _(
                "Erase the case {case_id} everywhere, backups included? This cannot be undone. [y/N] "
            ).format(case_id=options.case_id)
        )
        if answer.strip().lower() not in ("y", "yes", "o", "oui"):
            print(_("Nothing was erased."), file=sys.stderr)
            return EXIT_PROBLEM
    services.privacy.erase(options.case_id)
    print(_("The case {case_id} was erased.").format(case_id=options.case_id))
    return EXIT_OK


def run_retention(context: CommandContext, options: argparse.Namespace) -> int:
    privacy = context.services.privacy
    past = privacy.past_retention()
    if options.json:
        print_json(
            [
                {
                    "case_id": c.case_id,
                    "holder": c.holder,
                    "closed_on": c.closed_on,
                    "last_contact": c.last_contact,
                    "reference": c.reference,
                }
                for c in past
            ]
        )
        return EXIT_OK
    for c in past:
        print(f"{c.case_id}  {c.holder:<32} {format_date(c.reference)}")
    print(
        _("{count} closed cases past the retention period of {years} years.").format(
            count=len(past), years=privacy.retention_years
        ),
        file=sys.stderr,
    )
    return EXIT_OK


def run_anonymise(context: CommandContext, options: argparse.Namespace) -> int:
    context.services.privacy.anonymise(options.case_id)
    print(_("The case {case_id} was anonymised.").format(case_id=options.case_id))
    return EXIT_OK


def _new_passphrase(path: Path | None) -> str:
    if path is not None:
        return read_passphrase_file(path)
    if not sys.stdin.isatty():
        raise AdvisorError(
            N_("A new passphrase is needed."),
            N_("Give it in a file with --passphrase-file."),
        )
    first = getpass.getpass(_("New passphrase: "))
    second = getpass.getpass(_("The same again: "))
    if first != second:
        raise AdvisorError(N_("The two passphrases differ; nothing was changed."))
    return first


def _rekey(context: CommandContext, work: Iterator[object]) -> None:
    """Run a re-keying of the services (every file of the workspace and its backups)."""
    for step in work:
        if isinstance(step, Progress) and sys.stderr.isatty() and step.total:
            print(f"\r{step.done}/{step.total}", end="", file=sys.stderr, flush=True)
    if sys.stderr.isatty():
        print(file=sys.stderr)


def run_encrypt(context: CommandContext, options: argparse.Namespace) -> int:
    context.daily_backup = False
    encryption = context.services.encryption
    if encryption.encrypted:
        raise AdvisorError(
            N_("This workspace is already encrypted."),
            N_("Use change-passphrase to choose another passphrase."),
        )
    _rekey(context, encryption.protect(_new_passphrase(options.new_passphrase_file)))
    print(_("The workspace and its backups are encrypted."))
    return EXIT_OK


def run_change_passphrase(context: CommandContext, options: argparse.Namespace) -> int:
    context.daily_backup = False
    encryption = context.services.encryption
    if not encryption.encrypted:
        raise AdvisorError(
            N_("This workspace is not encrypted."),
            N_("Use the encrypt command to protect it with a passphrase."),
        )
    passphrase = _new_passphrase(options.new_passphrase_file)
    _rekey(context, encryption.change_passphrase(passphrase))
    print(_("The passphrase was changed; every file was re-keyed."))
    return EXIT_OK


def run_decrypt(context: CommandContext, options: argparse.Namespace) -> int:
    context.daily_backup = False
    _rekey(context, context.services.encryption.remove())
    print(_("The workspace is no longer encrypted."))
    return EXIT_OK
