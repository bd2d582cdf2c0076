"""Values as the trackers write them: dates day first or ISO or as cells, amounts in French
or English writing, durations in every habit, and the words that mean "not known"."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor_app.i18n import format_duration, format_money
from advisor_app.sheets.values import (
    ValueRefused,
    amount_value,
    date_value,
    datetime_value,
    email_value,
    is_empty,
    minutes_value,
    phone_value,
    postcode_value,
    text_value,
    time_value,
)

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    "written",
    [
        "03/02/1985",
        "3/2/85",
        "03-02-1985",
        "03.02.1985",
        "3 février 1985",
        "1985-02-03",
        " 03/02/1985 ",
    ],
)
def test_a_birth_date_in_every_habit(written: str) -> None:
    assert date_value(written, TODAY) == date(1985, 2, 3)


def test_date_cells_and_excel_serial_numbers() -> None:
    assert date_value(date(1990, 7, 14)) == date(1990, 7, 14)
    assert date_value(datetime(1990, 7, 14, 0, 0)) == date(1990, 7, 14)
    assert date_value(33068.0) == date(1990, 7, 14)  # a date cell read as its number
    assert date_value("33068") == date(1990, 7, 14)


def test_two_digit_years_fall_in_the_right_century() -> None:
    assert date_value("14/07/05", TODAY) == date(2005, 7, 14)
    assert date_value("14/07/27", TODAY) == date(2027, 7, 14)  # next year: an appointment
    assert date_value("14/07/30", TODAY) == date(1930, 7, 14)


def test_an_appointment_with_its_time() -> None:
    assert datetime_value("03/02/2024 14h30") == datetime(2024, 2, 3, 14, 30)
    assert datetime_value("03/02/2024 à 9:05") == datetime(2024, 2, 3, 9, 5)
    assert datetime_value("2024-02-03T14:30:00") == datetime(2024, 2, 3, 14, 30)
    assert datetime_value("lundi 1er avril 2024") == datetime(2024, 4, 1)
    assert time_value("14h30") == time(14, 30)
    assert time_value(time(9, 30)) == time(9, 30)
    assert time_value("9 h") == time(9, 0)


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("31/02/1985", "does not exist"),
        ("1985", "A year alone"),
        ("bientôt", "not a date"),
        ("03/02/1850", "outside the years"),
        ("12/25/2024", "does not exist"),  # month first: not our habit, refused
    ],
)
def test_what_is_not_a_date_is_refused_with_its_reason(written: str, reason: str) -> None:
    with pytest.raises(ValueRefused) as refused:
        date_value(written, TODAY)
    assert reason in refused.value.reason


@pytest.mark.parametrize(
    ("written", "euros"),
    [
        ("12\u00a0500,00\u00a0€", "12500.00"),
        ("12\u202f500,00\u202f€", "12500.00"),
        ("12 500,00 €", "12500.00"),
        ("12,500.00", "12500.00"),
        ("12500", "12500.00"),
        ("1 500 €", "1500.00"),
        ("1.500,50", "1500.50"),
        ("€1,500", "1500.00"),
        ("8 000 euros", "8000.00"),
        ("0,50", "0.50"),
        ("12,5", "12.50"),
        (12500.0, "12500.00"),
        (1234.56, "1234.56"),
        (0.1 + 0.2, "0.30"),  # a formula's float noise
    ],
)
def test_amounts_in_french_and_english_writing(written: object, euros: str) -> None:
    assert amount_value(written) == Decimal(euros)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("-500", "negative"),
        ("12,345,6", "not an amount"),
        ("beaucoup", "not an amount"),
        ("1,2345", "two decimals"),
        ("2 000 000 000 €", "one billion"),
    ],
)
def test_what_is_not_an_amount_is_refused(written: str, reason: str) -> None:
    with pytest.raises(ValueRefused) as refused:
        amount_value(written)
    assert reason in refused.value.reason


@pytest.mark.parametrize(
    ("written", "minutes"),
    [
        ("1h30", 90),
        ("1 h 30", 90),
        ("1 h 30 min", 90),
        ("45 min", 45),
        ("45mn", 45),
        ("45'", 45),
        ("1,5 h", 90),
        ("1.5h", 90),
        ("2 heures", 120),
        ("90", 90),
        ("2", 120),  # a small whole number is hours
        ("01:30", 90),
        ("1:30:00", 90),
        (time(1, 30), 90),
        (timedelta(minutes=75), 75),
        (1.5, 90),
        (60.0, 60),
    ],
)
def test_durations_in_every_habit(written: object, minutes: int) -> None:
    assert minutes_value(written) == minutes  # type: ignore[arg-type]


def test_the_columns_unit_decides_for_a_bare_number() -> None:
    assert minutes_value("2", "minutes") == 2
    assert minutes_value(1, "hours") == 60
    assert minutes_value("10", "hours") == 600


@pytest.mark.parametrize("written", ["0", "13 h", "beaucoup", "0 min"])
def test_what_is_not_a_duration_is_refused(written: str) -> None:
    with pytest.raises(ValueRefused):
        minutes_value(written)


@pytest.mark.parametrize(
    "written",
    [
        "",
        "  ",
        "NC",
        "nc",
        "N.C.",
        "n.c.",
        "N/C",
        "-",
        "—",
        "–",
        "?",
        "NR",
        "Néant",
        "non communiqué",
        "N/A",
    ],
)
def test_the_words_that_mean_not_known_are_empty(written: str) -> None:
    assert is_empty(written)
    assert date_value(written) is None
    assert amount_value(written) is None
    assert minutes_value(written) is None
    assert text_value(written) == ""


@pytest.mark.parametrize("written", ["Na", "Nicolas", "-5", "Nice", "x"])
def test_real_values_are_not_taken_for_empty(written: str) -> None:
    assert not is_empty(written)


def test_numbers_a_spreadsheet_made_of_phones_and_postcodes_get_their_zero_back() -> None:
    assert phone_value(612345678.0) == "0612345678"
    assert phone_value("06 12 34 56 78") == "06 12 34 56 78"
    assert postcode_value(1000.0) == "01000"
    assert postcode_value(69003.0) == "69003"


def test_an_email_address() -> None:
    assert email_value(" mailto:lea@example.org ") == "lea@example.org"
    with pytest.raises(ValueRefused):
        email_value("lea.example.org")


def test_text_keeps_its_lines() -> None:
    assert text_value("Première ligne\r\nSeconde ; ligne ") == "Première ligne\nSeconde ; ligne"
    assert text_value(75001.0) == "75001"


# -- round trips: what Boussole writes, it reads back ----------------------------------------

days = st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 31))


@given(days)
def test_a_day_written_day_first_or_iso_reads_back(day: date) -> None:
    assert date_value(day.strftime("%d/%m/%Y")) == day
    assert date_value(day.strftime("%d.%m.%Y")) == day
    assert date_value(day.isoformat()) == day


@given(st.integers(min_value=0, max_value=99_999_999_999), st.sampled_from(["fr", "en"]))
def test_an_amount_written_as_boussole_writes_money_reads_back(cents: int, language: str) -> None:
    written = format_money(cents, language)

    assert amount_value(written) == Decimal(cents) / 100


@given(st.integers(min_value=1, max_value=12 * 60), st.sampled_from(["fr", "en"]))
def test_a_duration_written_as_boussole_writes_it_reads_back(minutes: int, language: str) -> None:
    assert minutes_value(format_duration(minutes, language)) == minutes
