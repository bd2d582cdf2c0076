"""Exchange with partners: `partner`, `consent`, `export`, `outbox`, `sync`, `import`, `ics`."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from advisor_app.cli.commands import add_command
from advisor_app.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    CommandContext,
    output_file,
    output_folder,
    print_json,
    read_secret_file,
)
from advisor_app.domain.messages import N_
from advisor_app.i18n import _, describe, format_datetime
from advisor_app.services.outbox import STATES
from advisor_app.services.partners import KINDS, REPORTS, SECTIONS, PartnerView


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def register(subparsers: Any) -> None:
    partner = add_command(subparsers, "partner")
    actions = partner.add_subparsers(dest="partner_action", metavar=_("ACTION"), required=True)
    add = actions.add_parser("add", help=_("add a partner and where its packages go"))
    add.add_argument("name")
    where = add.add_mutually_exclusive_group(required=True)
    where.add_argument("--folder", type=Path, help=_("a folder (synced folder, USB stick)"))
    where.add_argument("--webdav", metavar="URL", help=_("a WebDAV share (Nextcloud...)"))
    add.add_argument("--user", default="", help=_("user name on the WebDAV share"))
    add.add_argument(
        "--password-file", type=Path, default=None, help=_("file holding the WebDAV password")
    )
    add.add_argument("--kind", choices=list(KINDS), default="network", help=_("kind of partner"))
    add.add_argument(
        "--sections",
        type=_names,
        default=None,
        help=_("sections it receives, among: {names}").format(names=", ".join(SECTIONS)),
    )
    add.add_argument(
        "--reports",
        type=_names,
        default=None,
        help=_("reports it receives, among: {names}").format(names=", ".join(REPORTS)),
    )
    add.add_argument(
        "--attachments",
        type=_names,
        default=None,
        help=_("attachments it receives, as name patterns (* for all)"),
    )
    add.set_defaults(handler=run_partner_add)
    listing = actions.add_parser("list", help=_("list the partners"))
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.set_defaults(handler=run_partner_list)
    remove = actions.add_parser("remove", help=_("remove a partner"))
    remove.add_argument("name")
    remove.set_defaults(handler=run_partner_remove)

    consent = add_command(subparsers, "consent")
    consent.add_argument("case_id")
    consent.add_argument("--share-with", required=True, metavar=_("NAME"))
    consent.add_argument("--withdraw", action="store_true", help=_("withdraw the consent"))
    consent.add_argument("--how", default="", help=_("how it was given (signed form...)"))
    consent.set_defaults(handler=run_consent)

    export = add_command(subparsers, "export")
    export.add_argument("case_id")
    export.add_argument("--partner", required=True, metavar=_("NAME"))
    export.set_defaults(handler=run_export)

    outbox = add_command(subparsers, "outbox")
    outbox.add_argument("--json", action="store_true", help=_("print JSON"))
    outbox.set_defaults(handler=run_outbox)

    sync = add_command(subparsers, "sync")
    sync.add_argument("--partner", default=None, metavar=_("NAME"))
    sync.add_argument(
        "--password-file", type=Path, default=None, help=_("file holding the WebDAV password")
    )
    sync.add_argument(
        "--due-only", action="store_true", help=_("leave failed packages until their next try")
    )
    sync.set_defaults(handler=run_sync)

    importing = add_command(subparsers, "import")
    importing.add_argument("file", type=Path)
    importing.add_argument(
        "--dry-run", action="store_true", help=_("only show what would be created or updated")
    )
    importing.set_defaults(handler=run_import)

    ics = add_command(subparsers, "ics")
    ics.add_argument("--case", default=None, metavar="CASE_ID")
    ics.add_argument("-o", "--output", type=Path, required=True, help=_("file to write"))
    ics.add_argument(
        "--initials",
        action="store_true",
        help=_("write people's initials instead of their names (for a calendar hosted elsewhere)"),
    )
    ics.set_defaults(handler=run_ics)


def _read_password(path: Path) -> str:
    return read_secret_file(path, N_("The password file {path} cannot be read: {reason}."))


def run_partner_add(context: CommandContext, options: argparse.Namespace) -> int:
    password = _read_password(options.password_file) if options.password_file else None
    if options.folder is not None:
        options.folder = output_folder(options.folder)
    partner, _changes = context.services.partners.add(
        options.name,
        options.kind,
        folder=options.folder,
        webdav=options.webdav,
        user=options.user,
        password=password,
        sections=options.sections,
        reports=options.reports,
        attachments=options.attachments,
    )
    if password is not None and not context.services.partners.passwords.keyring_available():
        print(
            _("No keyring on this system: the password was not kept; sync will ask for it."),
            file=sys.stderr,
        )
    print(partner.name)
    return EXIT_OK


def _partner_json(partner: PartnerView) -> dict[str, Any]:
    return {
        "name": partner.name,
        "kind": partner.kind,
        "sections": list(partner.sections),
        "reports": list(partner.reports),
        "attachments": list(partner.attachments),
        "transport": partner.transport,
        "location": partner.location,
        "user": partner.user,
    }


def run_partner_list(context: CommandContext, options: argparse.Namespace) -> int:
    partners = context.services.partners.all()
    if options.json:
        print_json([_partner_json(p) for p in partners])
        return EXIT_OK
    for p in partners:
        print(f"{p.name}\t{_(KINDS[p.kind])}\t{p.transport}\t{p.location}")
    return EXIT_OK


def run_partner_remove(context: CommandContext, options: argparse.Namespace) -> int:
    context.services.partners.remove(options.name)
    return EXIT_OK


def run_consent(context: CommandContext, options: argparse.Namespace) -> int:
    partners = context.services.partners
    if options.withdraw:
        partners.withdraw_sharing(options.case_id, options.share_with)
        print(_("Consent to share with {partner} withdrawn.").format(partner=options.share_with))
    else:
        partners.share_with(options.case_id, options.share_with, options.how)
        print(_("Consent to share with {partner} recorded.").format(partner=options.share_with))
    return EXIT_OK


def run_export(context: CommandContext, options: argparse.Namespace) -> int:
    package_id, _changes = context.services.exchange.export(options.case_id, options.partner)
    print(package_id)
    return EXIT_OK


def run_outbox(context: CommandContext, options: argparse.Namespace) -> int:
    items = context.services.outbox.items()
    if options.json:
        print_json(
            [
                {
                    "package_id": i.package_id,
                    "partner": i.partner,
                    "case_id": i.case_id,
                    "state": i.state,
                    "attempts": i.attempts,
                    "next_attempt_at": i.next_attempt_at,
                    "last_error": describe(i.last_error) if i.last_error else None,
                    "created_at": i.created_at,
                    "sent_at": i.sent_at,
                    "size": i.size,
                }
                for i in items
            ]
        )
        return EXIT_OK
    for i in items:
        line = f"{i.package_id}\t{i.partner}\t{i.holder or i.case_id}\t{_(STATES[i.state])}"
        if i.attempts:
            line += "\t" + _("{count} attempts").format(count=i.attempts)
        if i.next_attempt_at and i.state == "failed":
            line += "\t" + _("next try {when}").format(when=format_datetime(i.next_attempt_at))
        if i.last_error and i.state == "failed":
            line += "\t" + describe(i.last_error)
        print(line)
    return EXIT_OK


def run_sync(context: CommandContext, options: argparse.Namespace) -> int:
    services = context.services
    if options.password_file:
        password = _read_password(options.password_file)
        chosen = services.partners.get(options.partner).name if options.partner else None
        for partner in services.partners.all():
            if partner.transport == "webdav" and chosen in (None, partner.name):
                services.partners.passwords.remember(partner, password, keep=False)

    def ask(partner: PartnerView) -> str | None:
        if not sys.stdin.isatty():
            return None
        prompt = _("Password of {user} on {url}: ").format(user=partner.user, url=partner.location)
        return getpass.getpass(prompt) or None

    report = services.outbox.sync(options.partner, due_only=options.due_only, ask_password=ask)
    for package_id, partner_name, error in report.failed:
        print(
            _("{package} to {partner} failed: {reason}").format(
                package=package_id, partner=partner_name, reason=describe(error)
            ),
            file=sys.stderr,
        )
    for package_id, partner_name, error in report.waiting:
        print(
            _("{package} to {partner} not tried: {reason}").format(
                package=package_id, partner=partner_name, reason=describe(error)
            ),
            file=sys.stderr,
        )
    print(
        _("{sent} sent, {failed} failed, {waiting} waiting.").format(
            sent=len(report.sent), failed=len(report.failed), waiting=len(report.waiting)
        )
    )
    return EXIT_OK if report.complete else EXIT_PROBLEM


def run_import(context: CommandContext, options: argparse.Namespace) -> int:
    exchange = context.services.exchange
    preview = exchange.preview_import(options.file.absolute())
    print(
        _("Package from {sender} for {holder} ({case_id}):").format(
            sender=preview.sender or _("an unnamed sender"),
            holder=preview.holder or "—",
            case_id=preview.case_id,
        )
    )
    for line in preview.lines:
        params = {k: _(v) if isinstance(v, str) else v for k, v in line.params.items()}
        print("  " + _(line.message).format(**params))
    if options.dry_run:
        return EXIT_OK
    exchange.import_package(options.file.absolute())
    print(_("Imported case {case_id}.").format(case_id=preview.case_id))
    return EXIT_OK


def run_ics(context: CommandContext, options: argparse.Namespace) -> int:
    count = context.services.calendar.write_ics(
        output_file(options.output), options.case, initials_only=options.initials
    )
    print(
        _("{count} planned appointments written to {path}.").format(
            count=count, path=options.output
        )
    )
    return EXIT_OK
