"""Every message of the application is translated, in French and in English."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from advisor_app.domain.enums import AppointmentMode
from advisor_app.i18n import _, label, set_language, using_language

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def source_messages() -> set[tuple[str | None, str]]:
    """(context, message) of every message in the code."""
    found: set[tuple[str | None, str]] = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT / "advisor_app"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add((context, message[0] if isinstance(message, tuple) else message))
    return found


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_message_has_a_translation(language: str) -> None:
    path = ROOT / "translations" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    translated = {
        (m.context, m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalog
        if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    missing = sorted(source_messages() - translated)
    assert not missing, f"{len(missing)} messages without a {language} translation: {missing[:15]}"


def test_labels_follow_the_chosen_language() -> None:
    set_language("fr")
    assert label(AppointmentMode.HOME) == "Visite à domicile"
    set_language("en")
    assert label(AppointmentMode.HOME) == "Home visit"
    with using_language("fr"):
        assert _("Appointments") == "Rendez-vous"
    assert _("Appointments") == "Appointments"
