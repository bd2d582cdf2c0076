"""argparse in the advisor's language: its headings, its placeholders and its own errors.

argparse writes its words through `gettext.gettext` in the domain "argparse", which Boussole
does not ship. Rather than replacing argparse's `_`, the parser here says them itself:
the headings (`HelpFormatter`, `Parser`), a placeholder for every value
(`name_placeholders`, "DOSSIER" rather than "case_id") and argparse's error messages, read
back from its English (Python 3.11 to 3.13) and said again with our catalogue
(`argparse_message`). A message argparse adds later stays in English, never wrong.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

from advisor_app.domain.messages import N_
from advisor_app.i18n import _, ngettext

# The placeholder of each value, by the name it is stored under.
PLACEHOLDERS: dict[str, str] = {
    "workspace": N_("WORKSPACE"),
    "case_id": N_("CASE"),
    "cases": N_("NUMBER"),
    "seed": N_("NUMBER"),
    "minutes": N_("MINUTES"),
    "first_name": N_("FIRST_NAME"),
    "last_name": N_("LAST_NAME"),
    "birth_date": N_("DATE"),
    "opened_on": N_("DATE"),
    "date": N_("DATE"),
    "on": N_("DATE"),
    "first": N_("DATE"),
    "last": N_("DATE"),
    "start": N_("DATE_TIME"),
    "email": N_("E-MAIL"),
    "commune": N_("COMMUNE"),
    "project": N_("TITLE"),
    "place": N_("PLACE"),
    "programme": N_("PROGRAMME"),
    "topic": N_("TEXT"),
    "summary": N_("TEXT"),
    "next_actions": N_("TEXT"),
    "comment": N_("TEXT"),
    "text": N_("TEXT"),
    "search": N_("WORDS"),
    "how": N_("TEXT"),
    "key": N_("MILESTONE"),
    "funding": N_("FUNDING"),
    "funding_id": N_("FUNDING"),
    "name": N_("NAME"),
    "user": N_("USER"),
    "folder": N_("FOLDER"),
    "file": N_("FILE"),
    "output": N_("FILE"),
    "password_file": N_("FILE"),
    "sections": N_("SECTIONS"),
    "reports": N_("REPORTS"),
    "attachments": N_("PATTERNS"),
}


class HelpFormatter(argparse.HelpFormatter):
    def add_usage(
        self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None
    ) -> None:
        super().add_usage(usage, actions, groups, prefix if prefix is not None else _("usage: "))


class Parser(argparse.ArgumentParser):
    """argparse with its own words (usage, headings, help, errors) in the advisor's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
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

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {argparse_message(message)}\n")


def name_placeholders(parser: argparse.ArgumentParser) -> None:
    """Give every value of `parser` and its subcommands a placeholder in the advisor's
    language, in the help and in the errors alike (a closed list keeps its {choices})."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                name_placeholders(child)
        elif action.metavar is None and action.nargs != 0 and action.choices is None:
            known = PLACEHOLDERS.get(action.dest)
            if known is not None:
                action.metavar = _(known)


def _pattern(template: str, *names: str) -> re.Pattern[str]:
    """argparse's template as a pattern: "%(value)r" becomes the group `value`, and each
    bare "%s" the next of `names`."""
    bare = iter(names)

    def group(match: re.Match[str]) -> str:
        return f"(?P<{match.group(1) or next(bare)}>.+?)"

    escaped = re.escape(template)
    return re.compile(re.sub(r"%(?:\\\((\w+)\\\))?[sr]", group, escaped) + r"\Z", re.DOTALL)


# argparse's English (its template and the names of its bare fields) → ours.
_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        _pattern("the following arguments are required: %s", "arguments"),
        N_("the following arguments are required: {arguments}"),
    ),
    (
        _pattern("one of the arguments %s is required", "arguments"),
        N_("one of the arguments {arguments} is required"),
    ),
    (
        _pattern("unrecognized arguments: %s", "arguments"),
        N_("unrecognized arguments: {arguments}"),
    ),
    (
        _pattern("not allowed with argument %s", "argument"),
        N_("not allowed with argument {argument}"),
    ),
    (
        _pattern("ignored explicit argument %r", "value"),
        N_("ignored explicit argument {value}"),
    ),
    (_pattern("expected one argument"), N_("expected one value")),
    (_pattern("expected at most one argument"), N_("expected at most one value")),
    (_pattern("expected at least one argument"), N_("expected at least one value")),
    (
        _pattern("ambiguous option: %(option)s could match %(matches)s"),
        N_("ambiguous option: {option} could match {matches}"),
    ),
    (
        _pattern("invalid choice: %(value)r (choose from %(choices)s)"),
        N_("invalid choice: {value} (choose from {choices})"),
    ),
    (_pattern("invalid int value: %(value)r"), N_("{value} is not a whole number")),
    (_pattern("invalid %(type)s value: %(value)r"), N_("invalid value: {value}")),
)
_ARGUMENT = _pattern("argument %(argument_name)s: %(message)s")
_EXPECTED = re.compile(r"expected (?P<count>\d+) arguments?\Z")


def argparse_message(message: str) -> str:
    """One of argparse's error messages in the advisor's language ("argument DOSSIER:
    invalid choice: …" → "argument DOSSIER : choix invalide : …")."""
    about = _ARGUMENT.match(message)
    if about is not None:
        return _("argument {argument}: {message}").format(
            argument=about["argument_name"], message=argparse_message(about["message"])
        )
    expected = _EXPECTED.match(message)
    if expected is not None:
        count = int(expected["count"])
        return ngettext("expected {count} value", "expected {count} values", count).format(
            count=count
        )
    for pattern, ours in _ERRORS:
        found = pattern.match(message)
        if found is not None:
            return _(ours).format_map(found.groupdict())
    return message
