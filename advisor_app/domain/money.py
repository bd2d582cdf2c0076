"""Money as whole cents (int): exact sums, no float drift in financing plans."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from advisor_app.domain.errors import ValidationError
from advisor_app.domain.messages import N_

# The largest amount typed (validation.MAX_CENTS, in euros): 1e999999 is refused before
# any arithmetic.
MAX_EUROS = Decimal(1_000_000_000)


def cents_from_text(field: str, text: str) -> int:
    """Parse what an advisor types ("12 500,50", "12500.5", "3 000 €", "12,500.50") into
    cents; an empty field is zero. With both separators, the last one is the decimal one."""
    cleaned = (
        text.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace("€", "").strip()
    ) or "0"
    if "," in cleaned and "." in cleaned:
        thousands = "," if cleaned.rindex(".") > cleaned.rindex(",") else "."
        cleaned = cleaned.replace(thousands, "")
    cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(
            field,
            N_("“{text}” is not an amount."),
            N_("Type a number such as 1500 or 1 500,50."),
            text=text,
        ) from None
    if not value.is_finite():
        raise ValidationError(field, N_("“{text}” is not an amount."), text=text)
    if value < 0:
        raise ValidationError(field, N_("An amount cannot be negative."))
    if value > MAX_EUROS:
        raise ValidationError(
            field,
            N_("An amount cannot exceed one billion euros."),
            N_("Check the number of digits."),
        )
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cents_to_decimal(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))
