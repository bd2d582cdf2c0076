"""Dates, times, durations, numbers and money as each locale writes them, one way each."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from advisor_app.domain.enums import Gender, Situation
from advisor_app.domain.errors import ValidationError
from advisor_app.i18n import (
    format_date,
    format_datetime,
    format_duration,
    format_money,
    format_number,
    format_time,
    ngettext,
    parse_date,
    situation_label,
    using_language,
)
from advisor_app.ui.widgets.parsing import parse_duration, parse_time

BREAKING_SPACE = " "


def spaced(text: str) -> str:
    """`text` with its no-break spaces shown as plain spaces, to compare with a literal."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


@pytest.mark.parametrize(
    ("minutes", "french", "english"),
    [
        (90, "1 h 30", "1 h 30 min"),
        (45, "45 min", "45 min"),
        (120, "2 h", "2 h"),
        (605, "10 h 05", "10 h 5 min"),
        (6315, "105 h 15", "105 h 15 min"),
        (160_665, "2 677 h 45", "2,677 h 45 min"),
    ],
)
def test_durations_read_as_people_write_them_and_never_break_inside(
    minutes: int, french: str, english: str
) -> None:
    for language, text in (("fr", french), ("en", english)):
        with using_language(language):
            written = format_duration(minutes)
        assert spaced(written) == text
        assert BREAKING_SPACE not in written
        if minutes <= 12 * 60:  # what an appointment's field shows is read back
            assert parse_duration(written) == minutes


def test_hours_are_grouped_by_thousands_as_the_counts_beside_them() -> None:
    with using_language("fr"):
        assert format_duration(2677 * 60).startswith(format_number(2677))
        assert spaced(format_number(2273)) == "2 273"
    with using_language("en"):
        assert format_number(2273) == "2,273"


def test_a_time_of_day_is_written_as_the_durations_are() -> None:
    with using_language("fr"):
        assert spaced(format_time(time(9, 30))) == "9 h 30"
        assert spaced(format_datetime(datetime(2026, 3, 14, 11, 30))) == "14/03/2026 11 h 30"
        assert BREAKING_SPACE not in format_time(time(11, 30))
        assert parse_time(format_time(time(11, 30))) == time(11, 30)
    with using_language("en"):
        assert format_time(time(9, 30)) == "09:30"
        assert format_datetime(datetime(2026, 3, 14, 11, 30)) == "2026-03-14 11:30"


def test_the_first_of_the_month_is_the_first_in_french() -> None:
    with using_language("fr"):
        assert format_date(date(2026, 1, 1)) == "1er janv. 2026"
        assert format_date(date(2026, 1, 1), "long") == "1er janvier 2026"
        assert format_date(date(2026, 1, 1), "full") == "jeudi 1er janvier 2026"
        assert format_date(date(2026, 1, 1), "EEE d MMM") == "jeu. 1er janv."
        assert format_date(date(2026, 1, 1), "short") == "01/01/2026"
        assert format_date(date(2026, 1, 2)) == "2 janv. 2026"
        assert format_date(date(2026, 1, 11)) == "11 janv. 2026"
    with using_language("en"):
        assert format_date(date(2026, 1, 1)) == "1 Jan 2026"


def test_english_dates_cannot_be_read_the_american_way() -> None:
    with using_language("en"):
        assert format_date(date(2025, 9, 1), "short") == "2025-09-01"
        assert format_date(date(2025, 9, 1)) in ("1 Sept 2025", "1 Sep 2025")
        assert parse_date("d", format_date(date(2025, 9, 1), "short")) == date(2025, 9, 1)
    with using_language("fr"):
        assert parse_date("d", format_date(date(2025, 9, 1), "short")) == date(2025, 9, 1)


@pytest.mark.parametrize(
    ("language", "forms"),
    [("fr", ["0 dossier", "1 dossier", "2 dossiers"]), ("en", ["0 cases", "1 case", "2 cases"])],
)
def test_counts_take_the_plural_form_of_their_language(language: str, forms: list[str]) -> None:
    with using_language(language):
        written = [ngettext("{count} case", "{count} cases", n).format(count=n) for n in (0, 1, 2)]
    assert written == forms


def test_a_situation_agrees_with_the_person() -> None:
    with using_language("fr"):
        assert situation_label(Situation.JOB_SEEKER, Gender.WOMAN) == "Demandeuse d'emploi"
        assert situation_label(Situation.JOB_SEEKER, Gender.MAN) == "Demandeur d'emploi"
        assert situation_label(Situation.EMPLOYEE, Gender.WOMAN) == "Salariée"
        assert situation_label(Situation.STUDENT, Gender.WOMAN) == "Étudiante"
        inclusive = situation_label(Situation.JOB_SEEKER, Gender.UNSPECIFIED)
        assert inclusive == situation_label(Situation.JOB_SEEKER, Gender.OTHER)
        assert inclusive == "Demandeur ou demandeuse d'emploi"
        minimum_income = situation_label(Situation.MINIMUM_INCOME, Gender.WOMAN)
        assert minimum_income == "Bénéficiaire des minima sociaux"
    with using_language("en"):
        for gender in Gender:
            assert situation_label(Situation.JOB_SEEKER, gender) == "Job seeker"


def test_money_in_french_and_english() -> None:
    with using_language("fr"):
        assert format_money(1_250_000).replace("\u202f", " ").replace("\xa0", " ") == "12 500,00 €"
    with using_language("en"):
        assert format_money(1_250_000) == "€12,500.00"


def test_dates_in_french_and_english() -> None:
    with using_language("fr"):
        assert format_date(date(2026, 3, 14), "long") == "14 mars 2026"
    with using_language("en"):
        assert format_date(date(2026, 3, 14), "long") == "14 March 2026"


def test_dates_are_read_in_the_usual_ways_and_nonsense_is_refused() -> None:
    assert parse_date("d", "14/03/2026") == parse_date("d", "2026-03-14") == date(2026, 3, 14)
    with pytest.raises(ValidationError, match="not a date"):
        parse_date("d", "31/02/2026")


def test_french_is_the_default_when_the_system_names_no_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from advisor_app.i18n import resolve_language

    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert resolve_language(None) == "fr"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert resolve_language(None) == "en"
    assert resolve_language("fr") == "fr"


def test_names_sort_as_a_french_reader_expects() -> None:
    from advisor_app.i18n import collation_key

    names = ["Brunet", "Bénard", "Benali", "Château", "Chevalier", "cœur"]
    assert sorted(names, key=collation_key) == [
        "Benali",
        "Bénard",
        "Brunet",
        "Château",
        "Chevalier",
        "cœur",
    ]


def test_amounts_to_edit_and_file_sizes_follow_the_locale() -> None:
    from advisor_app.domain.money import cents_from_text
    from advisor_app.i18n import format_amount_to_edit, format_file_size

    with using_language("fr"):
        assert format_amount_to_edit(1_250_050) == "12500,50"
        assert format_file_size(2_621_440) == "2,5 Mo"
    with using_language("en"):
        assert format_amount_to_edit(1_250_000) == "12500"
        assert format_file_size(12_000) == "12 kB"
    for cents in (1_250_050, 1_250_000, 7):
        for language in ("fr", "en"):
            assert cents_from_text("amount", format_amount_to_edit(cents, language)) == cents


def test_a_refusal_writes_its_numbers_the_locale_way() -> None:
    from advisor_app.domain.errors import ValidationError
    from advisor_app.i18n import describe

    error = ValidationError("attachment", "{size} MB, limit {limit} MB", size=12.5, limit=10)
    with using_language("fr"):
        assert describe(error) == "12,5 MB, limit 10 MB"
    with using_language("en"):
        assert describe(error) == "12.5 MB, limit 10 MB"
