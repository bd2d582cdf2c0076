"""A workspace in team mode, as the lead's sync leaves it: Claire's own cases, one of them
shared with the team, and two cases Bruno shares, one of them of a person Claire also follows.

The sharing is written here the way the team's changes write it (a `team_sharing` row and the
référent in `case_info.advisor`): the tests of the team views need the cases, not the sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from advisor_app.domain.enums import AppointmentMode, AppointmentStatus, Gender
from advisor_app.services import AppointmentDraft, NewCase, Services
from advisor_app.storage.case_models import CaseInfo
from advisor_app.storage.team_models import TeamSharing

ME = "Claire Martin"
COLLEAGUE = "Bruno Petit"


def share(services: Services, case_id: str, referent: str, *, by: str = ME) -> None:
    """Share `case_id` with the team, `referent` its référent (a colleague's case arriving
    from the team: not linked to any case of this workspace)."""
    with services.context.workspace.changing(case_id, "team_shared", "", by) as session:
        info = session.get(CaseInfo, case_id)
        assert info is not None
        info.advisor = referent
        if referent != ME:
            info.previous_case_id = None  # opened in the colleague's workspace
        sharing = session.get(TeamSharing, case_id)
        if sharing is None:
            session.add(
                TeamSharing(id=case_id, shared=True, shared_by=by, shared_on=date(2026, 11, 2))
            )
        else:
            sharing.shared = True


def hand_over(services: Services, case_id: str, referent: str) -> None:
    """The référent of a shared case changes (a handover)."""
    with services.context.workspace.changing(case_id, "team_handover", referent, ME) as session:
        info = session.get(CaseInfo, case_id)
        assert info is not None
        info.advisor = referent


def _case(services: Services, new: NewCase, done: datetime, minutes: int, planned: datetime) -> str:
    case_id, _duplicates, _changes = services.cases.create(new)
    services.appointments.add(
        case_id,
        AppointmentDraft(done, minutes, AppointmentMode.OFFICE, status=AppointmentStatus.DONE),
    )
    services.appointments.add(case_id, AppointmentDraft(planned, 60, topic="Suivi"))
    return case_id


@dataclass(frozen=True)
class TeamStory:
    ines: str  # Claire's, not shared
    marc: str  # Claire's, shared with the team
    sofia: str  # Bruno's, shared with the team
    ines_with_bruno: str  # Bruno's too: the same Inès, met by him in June


def claire_and_bruno(services: Services) -> TeamStory:
    services.settings.set("advisor_name", ME)
    ines = _case(
        services,
        NewCase(
            "Inès",
            "Benali",
            birth_date=date(2003, 5, 1),
            gender=Gender.WOMAN,
            commune="Alès",
            opened_on=date(2026, 2, 1),
        ),
        datetime(2026, 3, 10, 9, 0),
        60,
        datetime(2026, 11, 26, 10, 0),
    )
    marc = _case(
        services,
        NewCase(
            "Marc",
            "Olivier",
            birth_date=date(1970, 1, 1),
            gender=Gender.MAN,
            commune="Nîmes",
            opened_on=date(2026, 3, 1),
        ),
        datetime(2026, 4, 1, 14, 0),
        90,
        datetime(2026, 11, 26, 14, 0),
    )
    sofia = _case(
        services,
        NewCase(
            "Sofia",
            "Lopes",
            birth_date=date(1990, 7, 14),
            gender=Gender.WOMAN,
            commune="Uzès",
            opened_on=date(2026, 4, 15),
        ),
        datetime(2026, 5, 5, 11, 0),
        45,
        datetime(2026, 11, 27, 9, 0),
    )
    again = _case(
        services,
        NewCase(
            "Ines",
            "BENALI",
            birth_date=date(2003, 5, 1),
            gender=Gender.WOMAN,
            commune="Alès",
            opened_on=date(2026, 6, 1),
        ),
        datetime(2026, 6, 1, 16, 0),
        30,
        datetime(2026, 11, 27, 16, 0),
    )
    share(services, marc, ME)
    share(services, sofia, COLLEAGUE, by=COLLEAGUE)
    share(services, again, COLLEAGUE, by=COLLEAGUE)
    return TeamStory(ines, marc, sofia, again)
