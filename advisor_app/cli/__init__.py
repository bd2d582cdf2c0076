"""Headless commands over the services: `advisor-app [--workspace DIR] COMMAND`.

Exit codes: 0 success, 1 a problem found or an operation refused (a sentence on stderr),
2 wrong usage. Each command module registers its subcommands with `register(subparsers)`.
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
    exchange_commands,
    report_commands,
    trust_commands,
    workspace_commands,
)
from advisor_app.cli.common import EXIT_PROBLEM, CommandContext, default_workspace
from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import _, describe, set_language
from advisor_app.logs import log_path, setup_logging

COMMAND_MODULES = [
    workspace_commands,
    case_commands,
    report_commands,
    exchange_commands,
    trust_commands,
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
    setup_logging()
    set_language(_language_hint(arguments))
    parser = build_parser()
    options = parser.parse_args(arguments)
    if options.command is None:
        parser.print_help(sys.stderr)
        return 2
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


def _language_hint(arguments: list[str]) -> str | None:
    for index, value in enumerate(arguments):
        if value == "--lang" and index + 1 < len(arguments):
            return arguments[index + 1]
        if value.startswith("--lang="):
            return value.split("=", 1)[1]
    return None
