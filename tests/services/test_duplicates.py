"""Before a second case is opened for someone: the same names (whatever their case, accents
and hyphens), the same e-mail address, or the same birth date and last name find the first."""

from __future__ import annotations

from datetime import date

from advisor_app.domain.enums import CaseStatus, Outcome
from advisor_app.services import NewCase, Services
from advisor_app.sheets.records import PersonRecord, SheetRecords


def _amelie(services: Services) -> str:
    case_id, _d, _c = services.cases.create(
        NewCase(
            "Amélie",
            "Dupré-Lefèvre",
            birth_date=date(1988, 3, 14),
            email="amelie.dl@exemple.fr",
            commune="Guéret",
            opened_on=date(2025, 2, 3),
        )
    )
    return case_id


def test_the_same_names_typed_without_accents_or_capitals_find_the_case(
    services: Services,
) -> None:
    first = _amelie(services)
    (found,) = services.cases.find_duplicates("amelie", "DUPRE LEFEVRE", None, "")
    assert found.case_id == first
    assert found.reason == "same first and last names"
    # enough to recognise her: name, birth date, commune, status, opening day
    assert found.holder == "Amélie Dupré-Lefèvre"
    assert found.birth_date == date(1988, 3, 14)
    assert found.commune == "Guéret"
    assert found.status is CaseStatus.ACTIVE
    assert found.opened_on == date(2025, 2, 3)


def test_the_same_email_finds_the_case_whatever_the_name(services: Services) -> None:
    first = _amelie(services)
    (found,) = services.cases.find_duplicates("A.", "Martin", None, " Amelie.DL@exemple.fr ")
    assert (found.case_id, found.reason) == (first, "same e-mail address")


def test_the_same_birth_date_and_last_name_find_the_case_under_another_first_name(
    services: Services,
) -> None:
    first = _amelie(services)
    (found,) = services.cases.find_duplicates("Amelia", "Dupré Lefèvre", date(1988, 3, 14), "")
    assert (found.case_id, found.reason) == (first, "same birth date and last name")


def test_a_namesake_born_another_day_or_another_family_is_not_a_duplicate(
    services: Services,
) -> None:
    _amelie(services)
    assert services.cases.find_duplicates("Amelia", "Dupré-Lefèvre", date(1990, 1, 1), "") == []
    assert services.cases.find_duplicates("Amélie", "Dupré", date(1988, 3, 14), "") == []
    assert services.cases.find_duplicates("Amélie", "", None, "") == []


def test_a_closed_case_is_found_with_its_status_and_a_binned_one_is_not(
    services: Services,
) -> None:
    first = _amelie(services)
    services.cases.close(first, Outcome.ABANDONED, date(2025, 6, 1))
    (found,) = services.cases.find_duplicates("Amélie", "Dupré-Lefèvre", None, "")
    assert found.status is CaseStatus.CLOSED
    services.cases.move_to_bin(first)
    assert services.cases.find_duplicates("Amélie", "Dupré-Lefèvre", None, "") == []


def test_the_import_recognises_a_person_by_the_same_identity_as_the_new_case_dialog(
    services: Services,
) -> None:
    """One definition of the same person: the names folded alike, the e-mail alike; the
    import is only stricter about names alone (a different birth date tells two apart)."""
    first = _amelie(services)
    typed = ("AMELIE", "dupre lefevre", date(1988, 3, 14), "")
    assert [d.case_id for d in services.cases.find_duplicates(*typed)] == [first]
    for person in (
        PersonRecord(2, last_name=typed[1], first_name=typed[0], birth_date=typed[2]),
        PersonRecord(2, last_name="Dupré", first_name="A.", email="AMELIE.DL@exemple.fr"),
    ):
        plan = services.sheet_import.plan(
            SheetRecords(people=[person], columns={"last_name": "Nom", "first_name": "Prénom"})
        )
        assert (plan.created, plan.updated, plan.unchanged) == ((), (), 1)
    assert not hasattr(services.cases, "duplicate_finder")  # no second way to find them
