"""`report KIND ...`: print a PDF report; the subcommands follow the reports' registry.

A protected committee file takes its password from a file (`--password-file`) or asks it
twice on a terminal (`--protect`): a password typed as an argument would stay in the shell's
history and in the list of processes, so `--password` is refused with a sentence.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from advisor_app.cli.commands import add_command
from advisor_app.cli.common import (
    EXIT_OK,
    CommandContext,
    add_scope_argument,
    date_argument,
    output_file,
    read_secret_file,
)
from advisor_app.domain.enums import CaseScope
from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.i18n import _
from advisor_app.services.reports import (
    PASSWORD_MIN_LENGTH,
    REPORT_KINDS,
    ReportRequest,
    ReportService,
    check_password,
)


def register(subparsers: Any) -> None:
    report = add_command(subparsers, "report")
    kinds = report.add_subparsers(dest="report_kind", metavar=_("REPORT"), required=True)
    for kind in REPORT_KINDS:
        parser = kinds.add_parser(kind.key, help=_(kind.description))
        if kind.needs_case:
            parser.add_argument("case_id")
        if kind.needs_period:
            parser.add_argument("--from", dest="first", required=True, help=_("first day"))
            parser.add_argument("--to", dest="last", required=True, help=_("last day"))
        if kind.can_choose_scope:
            add_scope_argument(parser, CaseScope.MINE)
        if kind.can_choose_funding:
            parser.add_argument("--funding", default=None, help=_("id of the funding request"))
        if kind.can_protect:
            protect = parser.add_mutually_exclusive_group()
            protect.add_argument(
                "--password-file",
                type=Path,
                default=None,
                metavar=_("FILE"),
                help=_("protect the file with the password written on the first line of FILE"),
            )
            protect.add_argument(
                "--protect",
                action="store_true",
                help=_("protect the file with a password asked twice on the terminal"),
            )
            # Only to refuse it with a sentence rather than "unrecognized arguments".
            parser.add_argument("--password", default=None, help=argparse.SUPPRESS)
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            required=True,
            help=_("PDF file to write, or a folder to write it in under its usual name"),
        )
        # Its own name: a subcommand's default would hide the --lang given before the command.
        parser.add_argument(
            "--lang",
            dest="report_language",
            choices=["fr", "en"],
            default=None,
            help=_("language of the report (default: the one of the messages)"),
        )
        parser.set_defaults(handler=run_report)


def run_report(context: CommandContext, options: argparse.Namespace) -> int:
    folder: Path = options.output.expanduser()
    target = None if folder.is_dir() else output_file(options.output)
    request = ReportRequest(
        kind=options.report_kind,
        case_id=getattr(options, "case_id", None),
        first=date_argument(options.first) if getattr(options, "first", None) else None,
        last=date_argument(options.last) if getattr(options, "last", None) else None,
        funding_id=getattr(options, "funding", None),
        password=report_password(options),
        language=options.report_language or options.lang,
        scope=CaseScope(getattr(options, "scope", None) or CaseScope.MINE),
    )
    service = ReportService(context.services)
    path = service.render(request, target) if target else service.render_into(request, folder)
    print(path)
    return EXIT_OK


def report_password(options: argparse.Namespace) -> str | None:
    """The password protecting the file: from --password-file, or asked twice (--protect)."""
    if getattr(options, "password", None) is not None:
        raise AdvisorError(
            N_("Passwords are never typed on the command line: use --password-file or the prompt."),
            N_("--protect asks for the password twice on the terminal."),
        )
    path: Path | None = getattr(options, "password_file", None)
    if path is not None:
        password = read_secret_file(path, N_("The password file {path} cannot be read: {reason}."))
        check_password(password)
        return password
    if not getattr(options, "protect", False):
        return None
    if not sys.stdin.isatty():
        raise AdvisorError(
            N_("There is no terminal to ask the password on."),
            N_("Write it on the first line of a file and give it with --password-file."),
        )
    first = getpass.getpass(
        _("Password of the file (at least {minimum} characters): ").format(
            minimum=PASSWORD_MIN_LENGTH
        )
    )
    check_password(first)
    second = getpass.getpass(_("The same again: "))
    if first != second:
        raise AdvisorError(N_("The two passwords differ; nothing was written."))
    return first
