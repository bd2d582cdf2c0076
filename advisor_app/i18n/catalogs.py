"""Which language is active, and the gettext catalogues behind `_`.

The application language is a process-wide default; a report printed in another language
overrides it for its own thread of work with `using_language`, through a context variable.
"""

from __future__ import annotations

import gettext
import io
import locale
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path

from advisor_app.domain.enums import Gender, LabelledEnum, Situation
from advisor_app.domain.errors import AdvisorError
from advisor_app.package_files import catalogue_folder

SUPPORTED_LANGUAGES: tuple[str, ...] = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
BABEL_LOCALES = {"fr": "fr_FR", "en": "en_GB"}
DOMAIN = "messages"

_default_language = DEFAULT_LANGUAGE
_override: ContextVar[str | None] = ContextVar("advisor_language", default=None)


def _older_than(compiled: Traversable, source: Traversable) -> bool:
    """Whether a checkout's `.mo` predates its edited `.po` (an installed one never does)."""
    if isinstance(compiled, Path) and isinstance(source, Path) and source.exists():
        return compiled.stat().st_mtime < source.stat().st_mtime
    return False


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue of `language`: the compiled .mo when fresh, else compiled from the .po."""
    folder = catalogue_folder(language)
    po_file, mo_file = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo_file.is_file() and not _older_than(mo_file, po_file):
        with mo_file.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if po_file.is_file():  # a checkout whose .po was edited: babel compiles it
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po_file.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return gettext.GNUTranslations(buffer)
    return gettext.NullTranslations()


def resolve_language(preference: str | None = None) -> str:
    """The setting if it names a supported language, else the system's, else French."""
    candidates = [preference or ""]
    environment = [os.environ.get(v, "") for v in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")]
    candidates.extend(environment)
    if not any(environment):  # Windows and macOS say it through the locale module only
        with suppress(ValueError):
            candidates.append(locale.getlocale()[0] or "")
    for candidate in candidates:
        code = candidate.split(":")[0].split("_")[0].split(".")[0].lower()
        if code in SUPPORTED_LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def set_language(language: str | None) -> str:
    """Make `language` (or the resolved default) the application's language; return it."""
    global _default_language
    _default_language = resolve_language(language)
    return _default_language


def current_language() -> str:
    return _override.get() or _default_language


@contextmanager
def using_language(language: str) -> Iterator[None]:
    token = _override.set(resolve_language(language))
    try:
        yield
    finally:
        _override.reset(token)


def _(message: str) -> str:
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translations(current_language()).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """`message` translated in `context`; the untranslated `message` when the catalogue lacks it."""
    return translations(current_language()).pgettext(context, message)


def label(value: LabelledEnum) -> str:
    """The translated label of an enum member (a mode, a status, a kind...)."""
    return _(value.label_id)


def situation_label(situation: Situation, gender: Gender) -> str:
    """A person's situation said of that person: "Demandeuse d'emploi" for a woman,
    "Demandeur d'emploi" for a man, "Demandeur ou demandeuse d'emploi" otherwise (`label`).
    English does not agree; its catalogue gives the same words in every context."""
    if gender is Gender.WOMAN:
        forms = {
            Situation.JOB_SEEKER: pgettext("woman", "Job seeker"),
            Situation.EMPLOYEE: pgettext("woman", "Employee"),
            Situation.STUDENT: pgettext("woman", "Student"),
        }
    elif gender is Gender.MAN:
        forms = {
            Situation.JOB_SEEKER: pgettext("man", "Job seeker"),
            Situation.EMPLOYEE: pgettext("man", "Employee"),
            Situation.STUDENT: pgettext("man", "Student"),
        }
    else:
        forms = {}
    agreed = forms.get(situation)
    return agreed if agreed and agreed != situation.label_id else label(situation)


def describe(error: AdvisorError) -> str:
    """The sentence to show for `error`, translated, with its hint when it has one; decimal
    numbers and dates among its parameters are written the locale's way ("2,5", "1er déc.
    2026" in French)."""
    params = {key: _shown(value) for key, value in error.params.items()}
    message = _(error.message).format(**params) if params else _(error.message)
    if error.hint:
        hint = _(error.hint).format(**params) if params else _(error.hint)
        return f"{message} {hint}"
    return message


def _shown(value: object) -> object:
    """A parameter of an error as the advisor reads it: numbers and dates by babel."""
    from advisor_app.i18n.formatting import format_date  # it builds on this module

    if isinstance(value, float):
        from babel.numbers import format_decimal

        return format_decimal(value, locale=BABEL_LOCALES.get(current_language(), "fr_FR"))
    if isinstance(value, date) and not isinstance(value, datetime):
        return format_date(value)
    return value
