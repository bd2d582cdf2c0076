"""Headless commands over the services: `advisor-app [--workspace DIR] COMMAND`.

Exit codes: 0 success, 1 a problem found or an operation refused (a sentence on stderr),
2 wrong usage. Each command module registers its subcommands with `register(subparsers)`;
`commands.COMMANDS` names the module of each command, which is imported only when its
command is the one typed (`--help` lists the commands from the table alone).

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
from importlib import import_module
from pathlib import Path

from advisor_app import version
from advisor_app.cli.commands import COMMANDS, MODULES, add_command
from advisor_app.cli.common import (
    EXIT_PROBLEM,
    EXIT_USAGE,
    CommandContext,
    default_workspace,
    sentence_for,
)
from advisor_app.cli.parser import Parser, name_placeholders
from advisor_app.cli.secret_arguments import secret_in_arguments
from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.domain.validation import is_encodable
from advisor_app.i18n import _, describe, set_language
from advisor_app.logs import log_path, setup_logging

_EVERY_COMMAND = "*"
# The options before the command that take a value (argparse also takes them abbreviated).
_VALUED_OPTIONS = ("--workspace", "--lang", "--passphrase-file")


def build_parser(command: str | None = _EVERY_COMMAND) -> argparse.ArgumentParser:
    """The parser of the command line. Only the module of `command` is imported and
    registers its commands in full; every other command is listed by its name and its line
    of help (`None`: none in full, as `--help` needs; by default: all of them)."""
    parser = Parser(
        prog="advisor-app",
        description=_("Boussole: case files of the people you accompany, from the command line."),
    )
    parser.add_argument(
        "--version", action=_Version, nargs=0, help=_("show Boussole's version and exit")
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
    subparsers = parser.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=Parser)
    wanted = COMMANDS[command][0] if command in COMMANDS else None
    for module in MODULES:
        if command == _EVERY_COMMAND or module == wanted:
            import_module(f"advisor_app.cli.{module}").register(subparsers)
        else:
            for name, (owner, _help) in COMMANDS.items():
                if owner == module:
                    add_command(subparsers, name)
    name_placeholders(parser)
    return parser


class _Version(argparse.Action):
    """--version: the installed package's metadata is read only when it is asked for."""

    def __call__(self, parser: argparse.ArgumentParser, *_arguments: object) -> None:
        print(f"Boussole {version()}")
        parser.exit()


def _command_typed(arguments: list[str]) -> str | None:
    """The command among `arguments` (the first word that is not an option before it, nor
    the value of one), or None."""
    values = iter(arguments)
    for word in values:
        if word == "--":
            return next(values, None)
        if not word.startswith("-"):
            return word
        if "=" not in word and any(
            option.startswith(word) for option in _VALUED_OPTIONS if word.startswith("--")
        ):
            next(values, None)
    return None


def main(argv: Sequence[str] | None = None, *, backup_after: bool = False) -> int:
    """Run the command of `argv`. `backup_after`: the first command of the day makes
    today's backup after it, in a process of its own (the command line's own process),
    rather than before it."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    _tolerant_output()
    setup_logging()
    set_language(_language_hint(arguments))
    refused = secret_in_arguments(arguments)  # before argparse, which would print it back
    if refused is not None:
        print(_(refused), file=sys.stderr)
        return EXIT_PROBLEM
    typed = _command_typed(arguments)
    parser = build_parser(typed)
    if typed in COMMANDS:
        options = parser.parse_args(arguments)
    else:  # no command, a mistyped one, or one typed where `_command_typed` did not look
        options, _rest = parser.parse_known_args(arguments)
        if options.command is not None:
            parser = build_parser(options.command)
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
        backup_after=backup_after,
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
        context.finish()


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
    """`first_name` → `--first-name`, as typed (a positional argument: its placeholder)."""
    for action in _actions(parser):
        if action.dest == dest:
            if action.option_strings:
                return action.option_strings[-1]
            return action.metavar if isinstance(action.metavar, str) else dest.upper()
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
