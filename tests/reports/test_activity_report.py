"""The activity report a funder holds: nobody recognisable in it, the same figures at every
reprint, and one way to write each number, in the tables and in the charts alike."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from advisor_app.domain.enums import (
    AppointmentMode,
    AppointmentStatus,
    FundingDecision,
    FundingKind,
    Gender,
)
from advisor_app.i18n import format_duration, using_language
from advisor_app.services import AppointmentDraft, FundingDraft, NewCase, Services
from advisor_app.services.reports import ReportService
from tests.reports.conftest import flat, pdf_text
from tests.reports.glyphs import pdf_overprints

YEAR = (date(2026, 1, 1), date(2026, 10, 31))


def _received(
    services: Services,
    first: str,
    commune: str,
    gender: Gender = Gender.MAN,
    opened_on: date = date(2026, 3, 2),
) -> str:
    case_id, _d, _c = services.cases.create(
        NewCase(first, "Martin", gender=gender, commune=commune, opened_on=opened_on)
    )
    return case_id


def _report(reports: ReportService, tmp_path: Path, language: str, name: str = "a") -> str:
    path = reports.activity(*YEAR, tmp_path / f"{name}-{language}.pdf", language)
    return flat(pdf_text(path))


@pytest.fixture
def small_association(services: Services) -> Services:
    """Six people: three from Alès, two from Anduze, one woman from Bez funded by one bank."""
    for first in ("Arthur", "Basile", "Côme"):
        _received(services, first, "Alès")
    for first in ("Denis", "Émile"):
        _received(services, first, "Anduze")
    flora = _received(services, "Flora", "Bez", Gender.WOMAN)
    services.funding.add_request(
        flora,
        FundingDraft(
            "Banque Populaire du Sud",
            FundingKind.BANK_LOAN,
            3_500_000,
            date(2026, 6, 10),
            FundingDecision.GRANTED,
            3_500_000,
        ),
    )
    return services


def test_a_commune_of_two_people_is_counted_with_the_other_communes(
    small_association: Services, reports: ReportService, tmp_path: Path
) -> None:
    text = _report(reports, tmp_path, "en")
    assert "Alès 3 50%" in text
    assert "Other communes 3 50%" in text
    assert "Anduze" not in text
    assert "Bez" not in text


def test_one_woman_and_a_single_bank_decision_are_not_shown(
    small_association: Services, reports: ReportService, tmp_path: Path
) -> None:
    text = _report(reports, tmp_path, "en")
    assert "Women < 3 " in text
    assert "Banque Populaire" not in text
    assert "Other funders 1 €35,000.00" in text
    assert "Bank loan" not in text
    assert "Other kinds of funding 1 €35,000.00" in text
    assert "€35,000.00 in 1 decision " in text
    assert "1 decisions" not in text
    assert "fewer than 3 people" in text


def test_the_threshold_can_be_lowered_by_the_workspace(
    small_association: Services, reports: ReportService, tmp_path: Path
) -> None:
    small_association.settings.set("report_min_group", 1)
    text = _report(reports, tmp_path, "en")
    assert "Anduze 2" in text
    assert "Bez 1" in text
    assert "Banque Populaire du Sud 1" in text
    assert "fewer than" not in text


def test_french_counts_one_decision_and_the_first_of_january(
    small_association: Services, reports: ReportService, tmp_path: Path
) -> None:
    text = _report(reports, tmp_path, "fr")
    assert "Du 1er janv. 2026 au 31 oct. 2026" in text
    assert "35 000,00 € en 1 décision " in text
    assert "1 décisions" not in text
    assert "Autres communes 3 50 %" in text


def test_a_reprint_of_a_past_period_is_the_copy_the_funder_holds(
    services: Services, reports: ReportService, tmp_path: Path
) -> None:
    """Cases opened in December 2023 had started by the end of 2024; their later follow-ups
    do not turn the 2024 report into "Follow-up at 2 years"."""
    opened = date(2023, 12, 4)
    cases = [_received(services, name, "Guéret", opened_on=opened) for name in ("Lina", "Malo")]
    for case_id in cases:
        for key, day in (("welcome", date(2024, 1, 8)), ("start", date(2024, 9, 2))):
            services.milestones.mark_done(case_id, key, day)
    year_2024 = (date(2024, 1, 1), date(2024, 12, 31))
    first = reports.activity(*year_2024, tmp_path / "first.pdf", "en")
    printed = pdf_text(first)
    assert "Start of activity" in printed

    for case_id in cases:
        services.milestones.mark_done(case_id, "follow_up_6m", date(2025, 3, 3))
        services.milestones.mark_done(case_id, "follow_up_2y", date(2026, 9, 1))
    reprint = reports.activity(*year_2024, tmp_path / "reprint.pdf", "en")
    assert pdf_text(reprint) == printed
    assert "Follow-up at 2 years" not in printed


@pytest.mark.parametrize(("language", "rounded"), [("fr", "105,2"), ("en", "105.2")])
def test_a_chart_writes_the_hours_as_the_figure_above_it(
    services: Services, reports: ReportService, tmp_path: Path, language: str, rounded: str
) -> None:
    case_id = _received(services, "Olga", "Alès")
    start = datetime(2026, 2, 2, 9, 0)
    for day, minutes in enumerate([700] * 9 + [15]):
        services.appointments.add(
            case_id,
            AppointmentDraft(
                start + timedelta(days=day),
                minutes,
                AppointmentMode.OFFICE,
                status=AppointmentStatus.DONE,
            ),
        )
    with using_language(language):
        hours = flat(format_duration(105 * 60 + 15))
    text = _report(reports, tmp_path, language)
    # the key figure, the mode's row, the total and the bar of the chart
    assert text.count(hours) == 4
    assert rounded not in text


LONG_COMMUNE = "Saint-Pierre-de-Fursac-et-Saint-Étienne-de-Fursac-les-Deux-Églises"
LONG_FUNDER = (
    "Caisse régionale de Crédit Agricole Mutuel Centre France – agence de Guéret, service "
    "des professionnels et des entreprises en création"
)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_long_names_print_without_a_glyph_over_another(
    services: Services, reports: ReportService, tmp_path: Path, language: str
) -> None:
    for index in range(6):
        commune = f"{LONG_COMMUNE} {index}" if index < 3 else LONG_COMMUNE
        case_id = _received(services, f"Personne {index}", commune)
        services.funding.add_request(
            case_id,
            FundingDraft(
                LONG_FUNDER,
                FundingKind.HONOUR_LOAN if index % 2 else FundingKind.GUARANTEE,
                123_456_789,
                date(2026, 5, 4),
                FundingDecision.GRANTED,
                123_456_789,
            ),
        )
        services.appointments.add(
            case_id,
            AppointmentDraft(
                datetime(2026, 4, 1 + index, 9),
                700,
                AppointmentMode.THIRD_PLACE,
                status=AppointmentStatus.DONE,
            ),
        )
    path = reports.activity(*YEAR, tmp_path / f"long-{language}.pdf", language)
    assert pdf_overprints(path) == []
    text = flat(pdf_text(path))
    assert "Fursac-les-Deux-Églises" in text
    assert not any(f"Églises {n}" in text for n in range(3))
