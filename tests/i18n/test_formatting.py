"""Dates, durations and money as each locale writes them."""

from __future__ import annotations

from datetime import date

import pytest

from advisor_app.domain.errors import ValidationError
from advisor_app.i18n import format_date, format_duration, format_money, parse_date, using_language


@pytest.mark.parametrize(
    ("minutes", "text"), [(90, "1 h 30"), (45, "45 min"), (120, "2 h"), (605, "10 h 05")]
)
def test_durations_read_as_people_write_them(minutes: int, text: str) -> None:
    assert format_duration(minutes) == text


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
