"""`settings show` and `settings set`: who prints the reports (organisation, advisor), the
language of the workspace, and the smallest group the activity report names."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from typing import Any

from advisor_app.cli.commands import add_command
from advisor_app.cli.common import EXIT_OK, EXIT_PROBLEM, CommandContext, print_json
from advisor_app.cli.values import whole_number
from advisor_app.domain import validation
from advisor_app.domain.errors import ValidationError
from advisor_app.domain.messages import N_
from advisor_app.i18n import SUPPORTED_LANGUAGES, _, describe
from advisor_app.services.settings import MIN_GROUP_SETTING

# The largest "smallest group": more people than any advisor follows.
MAX_MIN_GROUP = 100_000

# setting key → (option, caption)
NAMED_SETTINGS: dict[str, tuple[str, str]] = {
    "organisation": ("--organisation", N_("Organisation")),
    "advisor_name": ("--advisor", N_("Advisor")),
    "language": ("--language", N_("Language")),
    MIN_GROUP_SETTING: ("--min-group", N_("Smallest group named in the activity report")),
}


def register(subparsers: Any) -> None:
    settings = add_command(subparsers, "settings")
    actions = settings.add_subparsers(dest="settings_action", metavar=_("ACTION"), required=True)
    show = actions.add_parser("show", help=_("show the settings"))
    show.add_argument("--json", action="store_true", help=_("print JSON (every setting)"))
    show.set_defaults(handler=run_settings_show)
    change = actions.add_parser(
        "set", help=_("set the organisation and advisor printed on every report")
    )
    change.add_argument("--organisation", default=None, metavar=_("TEXT"))
    change.add_argument("--advisor", default=None, metavar=_("TEXT"))
    change.add_argument(
        "--language",
        choices=list(SUPPORTED_LANGUAGES),
        default=None,
        help=_("language of the application and of its reports"),
    )
    change.add_argument(
        "--min-group",
        default=None,
        metavar=_("NUMBER"),
        help=_(
            "the activity report names no group (commune, funder...) of fewer people (default 3)"
        ),
    )
    change.set_defaults(handler=run_settings_set)


def run_settings_show(context: CommandContext, options: argparse.Namespace) -> int:
    values = context.services.settings.all()
    if options.json:
        print_json(values)
        return EXIT_OK
    not_set = _("(not set)")
    for key, (_option, caption) in NAMED_SETTINGS.items():
        print(f"{_(caption)}: {values.get(key) or not_set}")
    return EXIT_OK


def run_settings_set(context: CommandContext, options: argparse.Namespace) -> int:
    given = {
        "organisation": options.organisation,
        "advisor_name": options.advisor,
        "language": options.language,
        MIN_GROUP_SETTING: options.min_group,
    }
    given = {key: value for key, value in given.items() if value is not None}
    if not given:
        print(
            _("Nothing to set: give --organisation, --advisor, --language or --min-group."),
            file=sys.stderr,
        )
        return EXIT_PROBLEM
    try:
        checked = {key: checked_setting(key, value) for key, value in given.items()}
    except ValidationError as error:
        print(
            _("{field}: {reason} Nothing was changed.").format(
                field=error.field, reason=describe(error)
            ),
            file=sys.stderr,
        )
        return EXIT_PROBLEM
    settings = context.services.settings
    for key, value in checked.items():
        settings.set(key, value)
    return EXIT_OK


def checked_setting(key: str, text: str) -> object:
    """The value of the setting `key` as typed, checked."""
    option = NAMED_SETTINGS[key][0]
    if key != MIN_GROUP_SETTING:
        return one_line(option, text)
    number = whole_number(option, text)
    if number < 1:
        raise ValidationError(option, N_("The smallest group is at least 1 person."))
    return validation.check_whole_number(option, number, 1, MAX_MIN_GROUP)


def one_line(field: str, text: str) -> str:
    """A name printed in the header of every page: one line, no control characters."""
    cleaned = text.strip()
    if any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in cleaned):
        raise ValidationError(
            field,
            N_("A name is written on one line, without tabs or control characters."),
            N_("Give it as one line of text."),
        )
    return cleaned
