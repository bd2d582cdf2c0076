"""Documents that hold on real data: every report of a case pushed to its limits (long names,
a 300-character title, texts of 5,000 and 20,000 characters, 150 appointments), read back
glyph by glyph in French and in English.

Nothing is printed over anything else, no number, time, amount or word is cut at the end of
a line, no page is left mostly empty, and each language reads as itself: no key of the
program, no English in French, no French label in English.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from advisor_app.domain.enums import (
    AppointmentMode,
    AppointmentStatus,
    CaseStatus,
    ConsentScope,
    FinancingSide,
    FundingDecision,
    FundingKind,
    Gender,
    LabelledEnum,
    Outcome,
    Situation,
)
from advisor_app.domain.financing import FORECAST_ITEMS
from advisor_app.i18n import _, format_duration, format_money, format_time, using_language
from advisor_app.reports.committee_figures import FORECAST_LABELS
from advisor_app.reports.fonts import register_fonts
from tests.conftest import run_cli
from tests.reports.conftest import LANGUAGES, REPORTS, StressPrints
from tests.reports.glyphs import cut_items, plain, read_pdf, words_of
from tests.reports.stress import _SENTENCES, ADVISOR, ORGANISATION, title, topic

PRINTS = [(report, language) for report in REPORTS for language in LANGUAGES]
ENUMS: tuple[type[LabelledEnum], ...] = (
    Gender,
    Situation,
    CaseStatus,
    Outcome,
    AppointmentMode,
    AppointmentStatus,
    FundingKind,
    FundingDecision,
    FinancingSide,
    ConsentScope,
)


def _id(value: tuple[str, str]) -> str:
    return "-".join(value)


# -- the detector itself ---------------------------------------------------------------------


def _canvas_pdf(path: Path, lines: list[tuple[float, float, str]], size: float = 8.5) -> Path:
    regular, _bold = register_fonts()
    canvas = Canvas(str(path))
    canvas.setFont(regular, size)
    for x, y, text in lines:
        canvas.drawString(x, y, text)
    canvas.save()
    return path


def test_the_detector_finds_a_row_printed_over_the_next(tmp_path: Path) -> None:
    path = _canvas_pdf(
        tmp_path / "overprinted.pdf",
        [
            (72, 700, "Préparation du comité d'engagement"),
            (72, 697, "Initiative Creuse n° 12"),  # 3 points lower: the old spilled row
        ],
    )
    found = read_pdf(path).overprints
    assert found
    assert {o.page for o in found} == {1}


def test_the_detector_finds_the_same_words_printed_twice(tmp_path: Path) -> None:
    path = _canvas_pdf(tmp_path / "twice.pdf", [(72, 700, "11:30"), (72.4, 700, "11:30")])
    assert len(read_pdf(path).overprints) >= 5


def test_the_detector_lets_lines_set_solid_and_letters_that_touch_pass(tmp_path: Path) -> None:
    path = _canvas_pdf(
        tmp_path / "clean.pdf",
        [
            (72, 700, "Lignes serrées sans interligne"),
            (72, 691.5, "Lignes serrées sans interligne"),  # leading = font size
            (72, 600, "AV"),
            (72 + 11.3, 600, "AV"),  # a fraction of a point into the previous pair
        ],
    )
    assert read_pdf(path).overprints == []


# -- the stress case, every report, both languages -----------------------------------------


def test_the_access_export_of_the_stress_case_succeeds_from_the_command_line(
    stress_prints: StressPrints, tmp_path: Path
) -> None:
    """It used to stop at "Flowable … too large" once a text passed 4,500 characters,
    leaving the JSON without the PDF."""
    code, _out, err = run_cli(
        stress_prints.workspace, "access-export", stress_prints.case.case_id, "-o", str(tmp_path)
    )
    assert code == 0, err
    assert (tmp_path / "access-export.pdf").is_file()
    assert len(read_pdf(tmp_path / "access-export.pdf").pages) > 20


@pytest.mark.parametrize("printed", PRINTS, ids=_id)
def test_no_glyph_is_printed_over_another(
    stress_prints: StressPrints, printed: tuple[str, str]
) -> None:
    found = read_pdf(stress_prints.files[printed]).overprints
    assert not found, "\n".join(str(o) for o in found[:10])


@pytest.mark.parametrize("printed", PRINTS, ids=_id)
def test_no_number_time_amount_or_word_is_cut_at_the_end_of_a_line(
    stress_prints: StressPrints, printed: tuple[str, str]
) -> None:
    reading = read_pdf(stress_prints.files[printed])
    whole = words_of([*reading.pages, *_SENTENCES, ORGANISATION, ADVISOR, title(), topic(1)])
    cuts = cut_items(reading, whole)
    assert not cuts, cuts[:10]


@pytest.mark.parametrize("printed", PRINTS, ids=_id)
def test_no_page_but_the_last_is_left_mostly_empty(
    stress_prints: StressPrints, printed: tuple[str, str]
) -> None:
    fills = read_pdf(stress_prints.files[printed]).fills
    empty = [(page, round(fill, 2)) for page, fill in enumerate(fills[:-1], start=1)]
    assert [p for p in empty if p[1] < 0.6] == []


@pytest.mark.parametrize("report", ["progress", "committee", "attendance", "access"])
def test_times_durations_and_amounts_print_whole(stress_prints: StressPrints, report: str) -> None:
    """The items the issue found cut ("11:30–12:1 / 5", "1 200 / 000,00 €") read whole on
    one line wherever the report prints them."""
    case = stress_prints.case
    done = [a for a in case.appointments if a.status is AppointmentStatus.DONE]
    for language in LANGUAGES:
        reading = read_pdf(stress_prints.files[report, language])
        text = "\n".join(s.text for page in reading.segments for s in page)
        items: set[str] = set()
        with using_language(language):
            if report != "committee":
                items |= {plain(format_duration(a.minutes)) for a in done}
                items |= {plain(f"{format_time(a.start)}–{format_time(a.end)}") for a in done}
            if report != "attendance":
                items |= {plain(format_money(f.amount_asked_cents)) for f in case.funding}
        missing = sorted(item for item in items if item not in text)
        assert not missing, (language, missing[:10])


def _keys(prints: StressPrints) -> set[str]:
    """What the program stores instead of words: closed lists, stages, forecast lines (less
    the keys that are words of the French labels, such as "taxes")."""
    values = {member.value for kind in ENUMS for member in kind}
    keys = values | {m.key for m in prints.case.milestones} | set(FORECAST_ITEMS)
    with using_language("fr"):
        french = words_of(_(message) for message in _words_to_translate(prints))
    return keys - french


@pytest.mark.parametrize("report", REPORTS)
def test_french_has_no_key_and_no_english(stress_prints: StressPrints, report: str) -> None:
    text = plain(read_pdf(stress_prints.files[report, "fr"]).text)
    keys = _keys(stress_prints)
    found = sorted(k for k in keys if re.search(rf"(?<![\w-]){re.escape(k)}(?![\w-])", text))
    assert not found
    data = _data_words(stress_prints)
    english = set()
    for message in _words_to_translate(stress_prints):
        with using_language("fr"):
            french = _(message)
        if (
            french != message
            and not set(message.split()) <= data
            and re.search(rf"(?<![\w-]){re.escape(message)}(?![\w-])", text)
        ):
            english.add(message)
    for word in ("the", "and", "of", "with", "not provided", "Printed"):
        if re.search(rf"\b{re.escape(word)}\b", text):
            english.add(word)
    assert not english


@pytest.mark.parametrize("report", REPORTS)
def test_english_has_no_key_and_no_french_label(stress_prints: StressPrints, report: str) -> None:
    text = plain(read_pdf(stress_prints.files[report, "en"]).text)
    keys = {k for k in _keys(stress_prints) if "_" in k}
    assert not [k for k in keys if k in text]
    data = _data_words(stress_prints)
    french = set()
    for message in _words_to_translate(stress_prints):
        with using_language("fr"):
            translated = _(message)
        if (
            translated != message
            and not set(translated.split()) <= data
            and (re.search(rf"(?<![\w-]){re.escape(translated)}(?![\w-])", text))
        ):
            french.add(translated)
    assert not french


def _data_words(prints: StressPrints) -> set[str]:
    """The words the advisor typed (a bank's name, "France Active", is no English); closed
    lists and the pathway's stages are the program's, not typed."""
    typed_by_program = {"mode", "status", "kind", "decision", "gender", "situation", "scope"}
    typed_by_program |= {"recommendation", "key", "outcome"}
    stages = [{k: v for k, v in m.items() if k != "label"} for m in prints.shown["milestones"]]

    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for k, v in value.items() if k not in typed_by_program for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return []

    return words_of(strings({**prints.shown, "milestones": stages}))


def _words_to_translate(prints: StressPrints) -> set[str]:
    """The labels a report prints from the program's own lists, as message ids."""
    labels = {member.label_id for kind in ENUMS for member in kind}
    return labels | {m.label for m in prints.case.milestones} | set(FORECAST_LABELS.values())
