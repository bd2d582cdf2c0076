"""Filling a case from a script: `edit`, `note add`, `plan add-line`, `plan forecast`,
`funding add`, `funding update`.

`edit` sets the person's and the project's fields by the paths `show --json` prints
(`person.commune`, `project.advisor_opinion`); the fields and their kinds come from the
services (`PERSON_FIELDS`, `PROJECT_FIELDS`), and the funding options from the fields of
`FundingDraft`, so a field added there can be set here without touching this module. Every
value is read and checked before anything is written: a refusal changes nothing.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, get_type_hints

from advisor_app.cli.commands import add_command
from advisor_app.cli.common import EXIT_OK, EXIT_PROBLEM, CommandContext
from advisor_app.cli.values import base_kind, is_amount, is_rate, text_or_file, typed_value
from advisor_app.domain.enums import FinancingSide
from advisor_app.domain.errors import NotFoundError, ValidationError
from advisor_app.domain.financing import FORECAST_ITEMS
from advisor_app.domain.messages import N_
from advisor_app.domain.money import cents_from_text
from advisor_app.i18n import _, describe, ngettext
from advisor_app.services import FundingDraft
from advisor_app.services.cases import OPTIONAL_FIELDS, PERSON_FIELDS, PROJECT_FIELDS


def editable_sections() -> dict[str, Mapping[str, Any]]:
    """The parts of a case `edit` sets, each with its fields and their kinds."""
    return {"person": PERSON_FIELDS, "project": PROJECT_FIELDS}


def editable_fields() -> dict[str, Any]:
    """`person.commune` → its kind, for every field `edit` can set."""
    return {
        f"{section}.{name}": kind
        for section, fields in editable_sections().items()
        for name, kind in fields.items()
    }


def funding_fields() -> dict[str, Any]:
    """The fields of a funding request (`FundingDraft`) and their kinds."""
    hints = get_type_hints(FundingDraft)
    return {item.name: hints[item.name] for item in dataclasses.fields(FundingDraft)}


def funding_options(name: str) -> list[str]:
    """`amount_granted_cents` → `--amount-granted` (amounts are typed in euros, rates in
    percents: `annual_rate_basis_points` → `--annual-rate`); the amount asked is `--amount`
    first. Refusals name the first."""
    option = "--" + name.removesuffix("_cents").removesuffix("_basis_points").replace("_", "-")
    return ["--amount", option] if name == "amount_asked_cents" else [option]


def register(subparsers: Any) -> None:
    fields = editable_fields()
    edit = add_command(
        subparsers,
        "edit",
        epilog=_("Fields: {names}.").format(names=", ".join(fields)),
    )
    edit.add_argument("case_id")
    edit.add_argument(
        "--set",
        dest="assignments",
        action="append",
        required=True,
        metavar=_("FIELD=VALUE"),
        help=_(
            "a field as show --json names it, e.g. person.commune=Guéret; "
            "FIELD=@FILE takes the text of a file"
        ),
    )
    edit.set_defaults(handler=run_edit)

    note = add_command(subparsers, "note")
    note_actions = note.add_subparsers(dest="note_action", metavar=_("ACTION"), required=True)
    add_note = note_actions.add_parser("add", help=_("add a note to a case"))
    add_note.add_argument("case_id")
    text = add_note.add_mutually_exclusive_group(required=True)
    text.add_argument("--text", help=_("text of the note"))
    text.add_argument(
        "--text-file", type=Path, metavar=_("FILE"), help=_("file holding the text of the note")
    )
    add_note.set_defaults(handler=run_note_add)

    plan = add_command(subparsers, "plan")
    plan_actions = plan.add_subparsers(dest="plan_action", metavar=_("ACTION"), required=True)
    line = plan_actions.add_parser("add-line", help=_("add a need or a resource to the plan"))
    line.add_argument("case_id")
    side = line.add_mutually_exclusive_group(required=True)
    for option, caption in (
        ("--need", _("a need: its label and amount")),
        ("--resource", _("a resource: its label and amount")),
    ):
        side.add_argument(option, nargs=2, metavar=(_("LABEL"), _("AMOUNT")), help=caption)
    line.set_defaults(handler=run_plan_line)
    forecast = plan_actions.add_parser("forecast", help=_("set lines of the 3-year forecast"))
    forecast.add_argument("case_id")
    forecast.add_argument("--year", type=int, choices=(1, 2, 3), required=True)
    forecast.add_argument(
        "lines",
        nargs="+",
        metavar=_("ITEM=AMOUNT"),
        help=_("among: {names}").format(names=", ".join(FORECAST_ITEMS)),
    )
    forecast.set_defaults(handler=run_plan_forecast)

    funding = add_command(subparsers, "funding")
    funding_actions = funding.add_subparsers(
        dest="funding_action", metavar=_("ACTION"), required=True
    )
    add = funding_actions.add_parser("add", help=_("record a funding request"))
    add.add_argument("case_id")
    _funding_options(add, required=True)
    add.set_defaults(handler=run_funding_add)
    update = funding_actions.add_parser(
        "update", help=_("change a funding request (the committee's decision, ...)")
    )
    update.add_argument("case_id")
    update.add_argument("funding_id")
    _funding_options(update, required=False)
    update.set_defaults(handler=run_funding_update)


def _funding_options(parser: argparse.ArgumentParser, required: bool) -> None:
    """One option per field of `FundingDraft`; amounts in euros, lists by key, dates ISO."""
    for name, kind in funding_fields().items():
        default = next(f.default for f in dataclasses.fields(FundingDraft) if f.name == name)
        metavar, caption = _option_kind(name, kind)
        parser.add_argument(
            *funding_options(name),
            dest=f"funding_{name}",
            default=None,
            required=required and default is dataclasses.MISSING,
            metavar=metavar,
            help=caption,
        )


def _option_kind(name: str, kind: Any) -> tuple[str, str | None]:
    """The metavar and help of an option, from the kind of its field."""
    held = base_kind(kind)
    if is_amount(name, held):
        return _("AMOUNT"), _("in euros, e.g. 12 500,00")
    if is_rate(name, held):
        return _("PERCENT"), _("a yearly rate in percent, e.g. 2,5")
    if held is date:
        return _("DATE"), _("e.g. 2026-03-14")
    if isinstance(held, type) and issubclass(held, Enum):
        return _("KEY"), _("among: {names}").format(names=", ".join(m.value for m in held))
    if held is int:
        return _("NUMBER"), None
    return _("TEXT"), None


# -- edit --------------------------------------------------------------------------------


def run_edit(context: CommandContext, options: argparse.Namespace) -> int:
    services = context.case_services
    services.cases.require(options.case_id)
    try:
        values = _read_assignments(options.assignments)
        checked = {
            "person": services.cases.checked_person(values["person"]),
            "project": services.cases.checked_project(values["project"]),
        }
    except ValidationError as error:
        return _refused(error)
    if checked["person"]:
        services.cases.update_person(options.case_id, checked["person"])
    if checked["project"]:
        services.cases.update_project(options.case_id, checked["project"])
    count = len(checked["person"]) + len(checked["project"])
    print(
        ngettext(
            "{count} field saved in the case {case_id}.",
            "{count} fields saved in the case {case_id}.",
            count,
        ).format(count=count, case_id=options.case_id)
    )
    return EXIT_OK


def _read_assignments(assignments: Iterable[str]) -> dict[str, dict[str, Any]]:
    """`--set` values, typed as their fields need, by section; the last one of a field wins."""
    fields = editable_fields()
    values: dict[str, dict[str, Any]] = {section: {} for section in editable_sections()}
    for assignment in assignments:
        path, _equal, raw = split_assignment(assignment)
        path = path.strip()
        if path not in fields:
            raise unknown_name(path, fields)
        section, name = path.split(".", 1)
        values[section][name] = typed_value(
            path, name, fields[path], text_or_file(path, raw), optional=name in OPTIONAL_FIELDS
        )
    return values


def split_assignment(text: str, forecast: bool = False) -> tuple[str, str, str]:
    """`name=value` → its name, "=", its value; refused without "=" or a name."""
    name, equal, value = text.partition("=")
    if not equal or not name.strip():
        if forecast:
            raise ValidationError(
                "",
                N_("“{text}” is not ITEM=AMOUNT."),
                N_("Write it as turnover=48000, in quotes if the amount has spaces."),
                text=text,
            )
        raise ValidationError(
            "set",
            N_("“{text}” is not FIELD=VALUE."),
            N_("Write it as person.commune=Guéret, or project.advisor_opinion=@opinion.txt."),
            text=text,
        )
    return name, equal, value


def unknown_name(name: str, known: Iterable[str]) -> ValidationError:
    """A refusal that names the closest known names, or all of them when none is close.
    Names are compared without their section (`person.`), which would make them all close."""
    known = list(known)
    by_bare: dict[str, list[str]] = {}
    for path in known:
        by_bare.setdefault(path.rsplit(".", 1)[-1], []).append(path)
    matches = difflib.get_close_matches(name.rsplit(".", 1)[-1], by_bare, n=4, cutoff=0.6)
    close = [path for match in matches for path in by_bare[match]]
    return ValidationError(
        "",
        N_("There is no field {name}."),
        N_("Close names: {names}.") if close else N_("The fields are: {names}."),
        name=name,
        names=", ".join(close or known),
    )


def _refused(error: ValidationError, path: Callable[[str], str] | None = None) -> int:
    """Print a refusal naming the field it concerns (as typed on the command line), and
    that nothing was changed."""
    field = (path or _field_path)(error.field)
    reason = describe(error)
    print(
        _("{field}: {reason} Nothing was changed.").format(field=field, reason=reason)
        if field
        else _("{reason} Nothing was changed.").format(reason=reason),
        file=sys.stderr,
    )
    return EXIT_PROBLEM


def _field_path(field: str) -> str:
    """A service names the bare field (`email`); the command line names its path."""
    if field == "set":
        return "--set"
    for section, fields in editable_sections().items():
        if field in fields:
            return f"{section}.{field}"
    return field


# -- notes and the financing plan --------------------------------------------------------


def run_note_add(context: CommandContext, options: argparse.Namespace) -> int:
    text = options.text
    if options.text_file is not None:
        text = text_or_file("text", f"@{options.text_file}")
    note_id, _changes = context.case_services.notes.add_note(options.case_id, text)
    print(note_id)
    return EXIT_OK


def run_plan_line(context: CommandContext, options: argparse.Namespace) -> int:
    side = FinancingSide.NEED if options.need else FinancingSide.RESOURCE
    label, amount = options.need or options.resource
    try:
        line_id, _changes = context.case_services.funding.add_plan_line(
            options.case_id, side, label, cents_from_text("amount", amount)
        )
    except ValidationError as error:
        return _refused(error, lambda _field: f"--{side.value}")
    print(line_id)
    return EXIT_OK


def run_plan_forecast(context: CommandContext, options: argparse.Namespace) -> int:
    services = context.case_services
    services.cases.require(options.case_id)
    amounts: dict[str, int] = {}
    try:
        for line in options.lines:
            item, _equal, amount = split_assignment(line, forecast=True)
            item = item.strip()
            if item not in FORECAST_ITEMS:
                raise unknown_name(item, FORECAST_ITEMS)
            amounts[item] = cents_from_text(item, amount)
    except ValidationError as error:
        return _refused(error)
    for item, cents in amounts.items():
        services.funding.set_forecast(options.case_id, options.year, item, cents)
    return EXIT_OK


# -- funding requests --------------------------------------------------------------------


def run_funding_add(context: CommandContext, options: argparse.Namespace) -> int:
    services = context.case_services
    services.cases.require(options.case_id)
    try:
        draft = FundingDraft(**_funding_values(options)).checked()
    except ValidationError as error:
        return _refused(error, _funding_path)
    funding_id, _changes = services.funding.add_request(options.case_id, draft)
    print(funding_id)
    return EXIT_OK


def run_funding_update(context: CommandContext, options: argparse.Namespace) -> int:
    services = context.case_services
    case = services.cases.get(options.case_id)
    current = next((f for f in case.funding if f.id == options.funding_id), None)
    if current is None:
        raise NotFoundError(
            N_("This case has no funding request {funding_id}."), funding_id=options.funding_id
        )
    kept = {
        item.name: getattr(current, item.name, item.default)
        for item in dataclasses.fields(FundingDraft)
    }
    try:
        draft = FundingDraft(**{**kept, **_funding_values(options)}).checked()
    except ValidationError as error:
        return _refused(error, _funding_path)
    services.funding.update_request(options.case_id, options.funding_id, draft)
    return EXIT_OK


def _funding_values(options: argparse.Namespace) -> dict[str, Any]:
    """The funding fields given as options, typed; amounts typed in euros become cents."""
    values: dict[str, Any] = {}
    for name, kind in funding_fields().items():
        text = getattr(options, f"funding_{name}")
        if text is None:
            continue
        value = typed_value(funding_options(name)[0], name, kind, text)
        values[name] = _as_member(kind, value)
    return values


def _as_member(kind: Any, value: Any) -> Any:
    """A closed list's key back to its member (a draft holds members, not keys)."""
    held = base_kind(kind)
    if value is not None and isinstance(held, type) and issubclass(held, Enum):
        return held(value)
    return value


def _funding_path(field: str) -> str:
    """A draft names its field (`amount_granted`); the command line names its option."""
    names = funding_fields()
    for name in (field, f"{field}_cents"):
        if name in names:
            return funding_options(name)[0]
    return field
