"""The names of the files Boussole writes for a person: the document, the person, the date.

"Suivi – Dupré-Lefèvre Amélie – 2026-11-30.pdf" in French, "Progress – Dupré-Lefèvre Amélie –
2026-11-30.pdf" in English: a name the advisor recognises in a folder of downloads or in an
e-mail, that sorts by person, and that Windows accepts (none of / \\ : * ? " < > |, no
trailing dot or space, no reserved device name, a bounded length). Two files for the same name
in one folder are told apart by " (2)", " (3)"... rather than one replacing the other.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

from advisor_app.domain.messages import N_
from advisor_app.i18n import _, using_language

# The word that opens the name of each kind of document (the report kinds' keys, and the
# other files written for a person).
DOCUMENT_WORDS: dict[str, str] = {
    "progress": N_("Progress"),
    "committee": N_("Committee file"),
    "activity": N_("Activity report"),
    "attendance": N_("Attendance"),
    "access": N_("Right of access"),
}

SEPARATOR = " – "
NAME_LIMIT = 120  # characters of the name, suffix included: room left for the folder's path

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_SPACES = re.compile(r"\s+")
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{d}{n}" for d in ("COM", "LPT") for n in range(10)}


def person_for_file(first_name: str, last_name: str) -> str:
    """The person as a folder sorts them: last name first ("Dupré-Lefèvre Amélie")."""
    return " ".join(part for part in (last_name.strip(), first_name.strip()) if part)


def safe_file_name(stem: str, suffix: str = ".pdf", limit: int = NAME_LIMIT) -> str:
    """`stem` + `suffix` as a file name every system accepts: forbidden signs become spaces
    (a slash in "Dupont/Durand" is no folder), runs of spaces one space, no dot or space at
    either end, no reserved device name, at most `limit` characters."""
    text = unicodedata.normalize("NFC", stem)
    text = _SPACES.sub(" ", _FORBIDDEN.sub(" ", text)).strip(" .")
    room = max(1, limit - len(suffix))
    if len(text) > room:
        text = text[:room].rstrip(" .–-")
    if not text:
        text = "_"
    if text.split(".")[0].upper() in _RESERVED:
        text = f"_{text}"
    return f"{text}{suffix}"


def document_name(
    kind: str,
    language: str,
    *,
    person: str = "",
    day: date | None = None,
    period: tuple[date, date] | None = None,
    suffix: str = ".pdf",
) -> str:
    """The file name of a document of `kind` in `language`: its word, the person, and the day
    it was made ("Suivi – Dupré-Lefèvre Amélie – 2026-11-30.pdf"), or the period it covers
    when it covers one and names nobody (the activity report)."""
    with using_language(language):
        word = _(DOCUMENT_WORDS.get(kind, kind))
        parts = [word]
        if person:
            parts.append(person)
        if period is not None and not person:
            parts.append(
                _("{first} to {last}").format(
                    first=period[0].isoformat(), last=period[1].isoformat()
                )
            )
        elif day is not None:
            parts.append(day.isoformat())
    if person and len(SEPARATOR.join(parts)) + len(suffix) > NAME_LIMIT:
        # Keep the document and the date whole: a very long name is what gets shortened.
        fixed = len(SEPARATOR.join(part for part in parts if part != person)) + len(SEPARATOR)
        room = max(8, NAME_LIMIT - len(suffix) - fixed)
        parts[parts.index(person)] = person[:room].rstrip(" .–-")
    return safe_file_name(SEPARATOR.join(parts), suffix)


def unused_path(folder: Path, name: str, suffix: str = ".pdf") -> Path:
    """`folder / name`, or "name (2).pdf", "name (3).pdf"... when that one exists already;
    `suffix` is the end kept after the number ("" for a folder: "J. Dupont" has none)."""
    path = folder / name
    stem = name[: -len(suffix)] if suffix and name.endswith(suffix) else name
    end = suffix if stem != name else ""
    number = 2
    while path.exists():
        path = folder / f"{stem} ({number}){end}"
        number += 1
    return path


__all__ = [
    "DOCUMENT_WORDS",
    "document_name",
    "person_for_file",
    "safe_file_name",
    "unused_path",
]
