"""An advisor opens, edits, closes, bins and restores case files."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from advisor_app.domain.enums import CaseStatus, Outcome
from advisor_app.domain.errors import ValidationError
from advisor_app.services import CaseFilter, NewCase, Services


def test_a_new_case_starts_the_standard_pathway_on_its_opening_day(services: Services) -> None:
    case_id, duplicates, changes = services.cases.create(
        NewCase("Zoé", "Lefèvre-Martin", project_title="Boulangerie au levain")
    )
    case = services.cases.get(case_id)
    assert duplicates == []
    assert case_id in changes.cases
    assert case.person.display_name == "Zoé Lefèvre-Martin"
    assert case.opened_on == date(2026, 11, 25)
    assert case.milestones[0].key == "welcome"
    assert case.milestones[0].target_on == date(2026, 11, 25)
    assert [h.action for h in case.history] == ["created"]


def test_the_same_person_coming_back_is_warned_and_linked(services: Services) -> None:
    first, _d, _c = services.cases.create(NewCase("Noël", "Château", birth_date=date(1980, 5, 4)))
    second, duplicates, _c = services.cases.create(
        NewCase("noël", "CHÂTEAU", birth_date=date(1980, 5, 4))
    )
    assert [d.case_id for d in duplicates] == [first]
    assert services.cases.get(second).previous_case_id == first


def test_the_same_email_is_warned_too(services: Services) -> None:
    first, _d, _c = services.cases.create(NewCase("Karim", "Benali", email="karim@exemple.fr"))
    _second, duplicates, _c = services.cases.create(
        NewCase("K.", "Benali", email="Karim@Exemple.fr")
    )
    assert [d.case_id for d in duplicates] == [first]


def test_a_birth_date_in_the_future_is_refused_at_creation(services: Services) -> None:
    with pytest.raises(ValidationError, match="future"):
        services.cases.create(NewCase("Léa", "Noël", birth_date=date(2027, 1, 1)))
    assert services.search.cases() == []


def test_editing_identity_is_saved_in_the_case_file_and_the_list(services: Services) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Théo", "Perrin"))
    services.cases.update_person(case_id, {"commune": "Aubusson", "postcode": "23200"})
    assert services.cases.get(case_id).person.commune == "Aubusson"
    assert services.search.cases(CaseFilter(text="Aubusson"))[0].case_id == case_id
    assert services.cases.get(case_id).revision == 2


def test_a_closed_case_keeps_its_outcome(services: Services) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Hélène", "Faure"))
    services.cases.close(case_id, Outcome.BUSINESS_CREATED)
    case = services.cases.get(case_id)
    assert case.status is CaseStatus.CLOSED
    assert case.outcome is Outcome.BUSINESS_CREATED
    assert services.search.cases(CaseFilter(status=CaseStatus.ACTIVE)) == []


def test_a_deleted_case_waits_in_the_bin_until_it_is_emptied(services: Services) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Rémi", "Giraud"))
    services.cases.move_to_bin(case_id)
    assert services.search.cases() == []
    assert [row[0] for row in services.cases.binned()] == [case_id]
    services.cases.restore_from_bin(case_id)
    assert [s.case_id for s in services.search.cases()] == [case_id]
    services.cases.move_to_bin(case_id)
    services.cases.empty_bin()
    assert not services.workspace.case_path(case_id).exists()
    assert services.cases.binned() == []


def test_emptying_the_bin_also_drops_its_waiting_packages(
    services: Services, tmp_path: Path
) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Rémi", "Giraud"))
    services.partners.add("Stick", "network", folder=tmp_path / "absent", reports=[])
    services.partners.share_with(case_id, "Stick")
    services.exchange.export(case_id, "Stick")
    assert len(services.outbox.items()) == 1
    services.cases.move_to_bin(case_id)
    services.cases.empty_bin()
    assert services.outbox.items() == []


def test_the_history_is_dated_by_the_advisors_clock(services: Services) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Hélène", "Faure"))
    services.cases.update_person(case_id, {"commune": "Crocq"})
    history = services.cases.get(case_id).history
    assert {entry.at for entry in history} == {datetime(2026, 11, 25, 12, 0)}
