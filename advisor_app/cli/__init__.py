"""Headless commands over the services: `advisor-app [--workspace DIR] COMMAND`.

Exit codes: 0 success, 1 a problem found or an operation refused (a sentence on stderr),
2 wrong usage. Each command module registers its subcommands with `register(subparsers)`.

Whatever is typed gets a sentence, never "Unexpected error": text that is not valid UTF-8 is
refused before anything runs, a full disk, a read-only folder or an OSError that no service
explained is said in words (`common.sentence_for`); only a fault of Boussole itself is
"unexpected", with its details in the log.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from advisor_app import version
from advisor_app.cli import (
    case_commands,
    edit_commands,
    exchange_commands,
    report_commands,
    settings_commands,
    trust_commands,
    workspace_commands,
)
from advisor_app.cli.common import (
    EXIT_PROBLEM,
    EXIT_USAGE,
    CommandContext,
    default_workspace,
    sentence_for,
)
from advisor_app.cli.secret_arguments import secret_in_arguments
from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.domain.validation import is_encodable
from advisor_app.i18n import _, describe, set_language
from advisor_app.logs import log_path, setup_logging

COMMAND_MODULES = [
    workspace_commands,
    case_commands,
    edit_commands,
    report_commands,
    exchange_commands,
    trust_commands,
    settings_commands,
]


class _HelpFormatter(argparse.HelpFormatter):
    def add_usage(
        self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None
    ) -> None:
        super().add_usage(usage, actions, groups, prefix if prefix is not None else _("usage: "))


class _Parser(argparse.ArgumentParser):
    """argparse with its own words (usage, options, help) in the advisor's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        self.add_argument(
            "-h",
            "--help",
            action="help",
            default=argparse.SUPPRESS,
            help=_("show this help and exit"),
        )

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="advisor-app",
        description=_("Boussole: case files of the people you accompany, from the command line."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"Boussole {version()}",
        help=_("show Boussole's version and exit"),
    )
    parser.add_argument(
        "--workspace",
        type=Path,
        default=None,
        help=_("workspace folder (default: {path})").format(path=default_workspace()),
    )
    parser.add_argument(
        "--lang", choices=["fr", "en"], default=None, help=_("language of messages")
    )
    parser.add_argument(
        "--passphrase-file",
        type=Path,
        default=None,
        metavar=_("FILE"),
        help=_("file holding the passphrase of an encrypted workspace"),
    )
    subparsers = parser.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=_Parser)
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    _tolerant_output()
    setup_logging()
    set_language(_language_hint(arguments))
    refused = secret_in_arguments(arguments)  # before argparse, which would print it back
    if refused is not None:
        print(_(refused), file=sys.stderr)
        return EXIT_PROBLEM
    parser = build_parser()
    options = parser.parse_args(arguments)
    if options.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    invalid = _invalid_text(parser, options)
    if invalid is not None:
        print(describe(invalid), file=sys.stderr)
        return EXIT_USAGE
    context = CommandContext(
        options.workspace or default_workspace(),
        passphrase_file=options.passphrase_file,
        language_chosen=options.lang is not None,
    )
    try:
        return int(options.handler(context, options) or 0)
    except AdvisorError as error:
        print(describe(error), file=sys.stderr)
        return EXIT_PROBLEM
    except BrokenPipeError:
        return EXIT_PROBLEM
    except KeyboardInterrupt:
        print(_("Interrupted."), file=sys.stderr)
        return EXIT_PROBLEM
    except Exception as error:
        explained = sentence_for(error, context.workspace_path)
        if explained is not None:
            logging.getLogger("advisor_app").warning("refused: %s", error, exc_info=True)
            print(describe(explained), file=sys.stderr)
            return EXIT_PROBLEM
        logging.getLogger("advisor_app").exception("unexpected error")
        print(
            _(
                "Unexpected error ({error}); nothing saved was lost. "
                "The details are in {path}: send them to whoever looks after Boussole."
            ).format(error=error, path=log_path()),
            file=sys.stderr,
        )
        return EXIT_PROBLEM
    finally:
        context.close()


def _tolerant_output() -> None:
    """Print what cannot be encoded (a file name that is not UTF-8) escaped, never fail."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _invalid_text(
    parser: argparse.ArgumentParser, options: argparse.Namespace
) -> AdvisorError | None:
    """Refuse a text argument that is not valid UTF-8 (the shell passed bytes Python keeps
    as lone surrogates): it could be neither stored nor printed. File paths may hold such
    bytes, as the system allows: they are `Path`s, and are not checked here."""
    for name, value in vars(options).items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, str) and not is_encodable(item):
                return AdvisorError(
                    N_("The value given for {option} is not valid text (it is not UTF-8)."),
                    N_("Type it again in a terminal that writes UTF-8; nothing was done."),
                    option=_option_name(parser, name),
                )
    return None


def _option_name(parser: argparse.ArgumentParser, dest: str) -> str:
    """`first_name` → `--first-name`, as typed (a positional argument keeps its name)."""
    for action in _actions(parser):
        if action.dest == dest:
            return action.option_strings[-1] if action.option_strings else dest.upper()
    return dest


def _actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    found: list[argparse.Action] = []
    for action in parser._actions:
        found.append(action)
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found.extend(_actions(child))
    return found


def _language_hint(arguments: list[str]) -> str | None:
    for index, value in enumerate(arguments):
        if value == "--lang" and index + 1 < len(arguments):
            return arguments[index + 1]
        if value.startswith("--lang="):
            return value.split("=", 1)[1]
    return None
