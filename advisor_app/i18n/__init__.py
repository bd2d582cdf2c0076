"""Translations (gettext catalogues managed with babel) and locale-aware formatting.

Import `_` explicitly where a user-visible string is written; it is never put in builtins.
"""

from advisor_app.i18n.catalogs import (
    DEFAULT_LANGUAGE,
    SUPPORTED_LANGUAGES,
    _,
    current_language,
    describe,
    label,
    ngettext,
    pgettext,
    resolve_language,
    set_language,
    situation_label,
    using_language,
)
from advisor_app.i18n.formatting import (
    collation_key,
    format_amount_to_edit,
    format_date,
    format_datetime,
    format_duration,
    format_file_size,
    format_money,
    format_number,
    format_share,
    format_time,
    parse_date,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "SUPPORTED_LANGUAGES",
    "_",
    "collation_key",
    "current_language",
    "describe",
    "format_amount_to_edit",
    "format_date",
    "format_datetime",
    "format_duration",
    "format_file_size",
    "format_money",
    "format_number",
    "format_share",
    "format_time",
    "label",
    "ngettext",
    "parse_date",
    "pgettext",
    "resolve_language",
    "set_language",
    "situation_label",
    "using_language",
]
