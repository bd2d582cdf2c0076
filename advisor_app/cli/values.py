"""Values typed on the command line, read as the field needs them.

A field's kind comes from the services (`PERSON_FIELDS`, the annotations of `FundingDraft`):
text, dates (2026-03-14), yes/no, whole numbers, amounts in cents ("12 500,00", through
`cents_from_text`), rates in basis points ("2,5" %) and closed lists (by key). A value that
does not fit is refused with a `ValidationError` that names the field.
"""

from __future__ import annotations

import types
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from advisor_app.cli.common import regular_file
from advisor_app.domain.errors import ValidationError
from advisor_app.domain.messages import N_
from advisor_app.domain.money import cents_from_text
from advisor_app.i18n import parse_date

# A text given as @FILE: the longest text a field holds, in UTF-8, and some room.
TEXT_FILE_MAX_BYTES = 1 << 20
TRUE_WORDS = frozenset({"yes", "y", "true", "1", "oui", "o", "vrai"})
FALSE_WORDS = frozenset({"no", "n", "false", "0", "non", "faux"})


def is_amount(name: str, kind: Any) -> bool:
    """Amounts are kept in cents, in fields whose name ends with `_cents`."""
    return base_kind(kind) is int and name.endswith("_cents")


def is_rate(name: str, kind: Any) -> bool:
    """Rates are kept in hundredths of a percent (250 = 2.5 %), in fields whose name ends
    with `_basis_points`; they are typed as percents ("2,5")."""
    return base_kind(kind) is int and name.endswith("_basis_points")


def basis_points(field: str, text: str) -> int:
    """A percentage as typed ("2,5", "2.5 %") → hundredths of a percent (250)."""
    cleaned = text.replace("%", "").replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    try:
        value = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0 or value > 100:
        raise ValidationError(
            field, N_("“{text}” is not a rate."), N_("Type a percentage such as 2,5."), text=text
        )
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def base_kind(kind: Any) -> Any:
    """`date | None` → `date`: the kind an optional field holds when it holds something."""
    if get_origin(kind) in (Union, types.UnionType):
        inner = [arg for arg in get_args(kind) if arg is not type(None)]
        if len(inner) == 1:
            return inner[0]
    return kind


def is_optional(kind: Any) -> bool:
    return get_origin(kind) in (Union, types.UnionType) and type(None) in get_args(kind)


def typed_value(field: str, name: str, kind: Any, text: str, *, optional: bool = False) -> Any:
    """`text` as the value of the field `name`, of kind `kind` (see the module's docstring);
    `field` is how refusals name it. An empty text empties an `optional` field (or one whose
    kind allows None): None, "not given"."""
    kind_held = base_kind(kind)
    cleaned = text.strip()
    if kind_held is str:
        return text
    if not cleaned and (optional or is_optional(kind) or kind_held is date):
        return None
    if is_amount(name, kind_held):
        return cents_from_text(field, cleaned)
    if is_rate(name, kind_held):
        return basis_points(field, cleaned)
    if kind_held is date:
        return parse_date(field, cleaned)
    if kind_held is bool:
        return yes_or_no(field, cleaned)
    if kind_held is int:
        return whole_number(field, cleaned)
    if isinstance(kind_held, type) and issubclass(kind_held, Enum):
        return choice(field, kind_held, cleaned)
    try:
        return kind_held(cleaned)
    except (TypeError, ValueError):
        raise ValidationError(
            field, N_("“{text}” is not a value this field can take."), text=text
        ) from None


def yes_or_no(field: str, text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValidationError(
        field,
        N_("“{text}” is neither yes nor no."),
        N_("Write yes or no (true or false)."),
        text=text,
    )


def whole_number(field: str, text: str) -> int:
    try:
        return int(text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", ""))
    except ValueError:
        raise ValidationError(
            field, N_("“{text}” is not a whole number."), N_("Type digits only, e.g. 3."), text=text
        ) from None


def choice(field: str, kind: type[Enum], text: str) -> str:
    """The key of a closed list's member ("job_seeker"), as the services store it."""
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    keys = [str(member.value) for member in kind]
    if key in keys:
        return key
    raise ValidationError(
        field,
        N_("“{text}” is not one of the choices."),
        N_("Choose among: {choices}."),
        text=text,
        choices=", ".join(keys),
    )


def text_or_file(field: str, value: str) -> str:
    """A value as typed, or the text of a file when it starts with @ (`@opinion.txt`), less
    the line ends that close it: long texts are written in a file rather than typed."""
    if not value.startswith("@"):
        return value
    path = regular_file(Path(value[1:]), limit=TEXT_FILE_MAX_BYTES, field=field)
    try:
        return path.read_text(encoding="utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        raise ValidationError(
            field,
            N_("The file {path} is not text in UTF-8."),
            N_("Save it as plain text (UTF-8)."),
            path=str(path),
        ) from None
    except OSError as error:
        raise ValidationError(
            field,
            N_("The file {path} cannot be read: {reason}."),
            path=str(path),
            reason=error.strerror or str(error),
        ) from error
