"""The JSON Schemas shipped in `resources/schemas`, and validation against them.

Dates are checked here, not by jsonschema's optional format libraries: "date" is a real
calendar day and "iso-date-time" a real calendar day and time as Boussole writes them
(2026-03-14T09:30, seconds, a fraction and an offset optional), both within the years
Boussole keeps (1900 to 2100). 2026-02-30 is refused, as is "not a date".
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaError

from advisor_app.domain.messages import N_
from advisor_app.domain.validation import FIRST_YEAR, LAST_YEAR
from advisor_app.exchange.errors import PackageRefused
from advisor_app.package_files import resource

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?"
)

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date", raises=ValueError)
def is_day(instance: object) -> bool:
    if not isinstance(instance, str):
        return True  # the type is another keyword's business
    if not _DAY.fullmatch(instance):
        return False
    return FIRST_YEAR <= date.fromisoformat(instance).year <= LAST_YEAR


@FORMATS.checks("iso-date-time", raises=ValueError)
def is_moment(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    if not _MOMENT.fullmatch(instance):
        return False
    return FIRST_YEAR <= datetime.fromisoformat(instance).year <= LAST_YEAR


@cache
def validator(name: str) -> Draft202012Validator:
    schema = json.loads(resource("schemas", f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FORMATS)


def check(name: str, document: Any, file_name: str) -> None:
    """Refuse `document` unless it is valid against the schema `name`; say where it is not."""
    errors = sorted(validator(name).iter_errors(document), key=lambda e: list(e.path))
    if errors:
        raise refusal(errors[0], file_name)


def refusal(error: SchemaError, file_name: str) -> PackageRefused:
    """The sentence for the first fault: a text too long, a date that is not one, a number
    out of bounds are named as such; anything else with jsonschema's words (short)."""
    where = "/".join(str(part) for part in error.absolute_path) or "/"
    hint = N_("Ask the sender for a new package; nothing was imported.")
    instance = error.instance
    if error.validator == "maxLength" and isinstance(instance, str):
        return PackageRefused(
            N_(
                "The file {file} of the package holds a text too long at {where}: "
                "{length} characters, for at most {limit}."
            ),
            hint,
            file=file_name,
            where=where,
            length=float(len(instance)),
            limit=float(str(error.validator_value)),
        )
    if error.validator == "format" and isinstance(instance, str):
        return PackageRefused(
            N_(
                "The file {file} of the package holds “{value}” at {where}, which is not a "
                "date Boussole keeps."
            ),
            hint,
            file=file_name,
            where=where,
            value=instance[:40],
        )
    if error.validator in ("maximum", "minimum") and isinstance(instance, int):
        return PackageRefused(
            N_("The file {file} of the package holds a number out of bounds at {where}."),
            hint,
            file=file_name,
            where=where,
        )
    return PackageRefused(
        N_("The file {file} of the package is not valid ({where}: {reason})."),
        hint,
        file=file_name,
        where=where,
        reason=error.message[:200],
    )
