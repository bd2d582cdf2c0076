"""Fixtures of the trust tests: small workspaces, a quick key derivation, byte searches."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from advisor_app.domain.enums import Outcome
from advisor_app.services import AppointmentDraft, NewCase, Services
from advisor_app.storage import encryption
from advisor_app.storage.workspace import Workspace
from tests.conftest import TODAY, fixed_clock

PASSPHRASE = "la boussole du nord"


@pytest.fixture(autouse=True)
def quick_key_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real number of PBKDF2 rounds costs a fifth of a second per opening."""
    monkeypatch.setattr(encryption, "ITERATIONS", 1_000)


def open_services(root: Path, passphrase: str | None = None) -> Services:
    return Services(Workspace.open(root, passphrase=passphrase), clock=fixed_clock)


def add_person(services: Services, first: str, last: str, *, consent: bool = True) -> str:
    case_id, _warnings, _changes = services.cases.create(
        NewCase(
            first_name=first,
            last_name=last,
            email=f"{first}.{last}@exemple.fr".lower(),
            commune="Aubusson",
            postcode="23200",
            project_title=f"Atelier de {last}",
            project_description=f"{first} {last} veut ouvrir un atelier.",
            processing_consent_how="signed form" if consent else None,
        )
    )
    services.appointments.add(
        case_id,
        AppointmentDraft(
            start=TODAY.replace(hour=9), minutes=90, topic=f"Premier entretien {last}"
        ),
    )
    services.notes.add_note(case_id, f"{first} {last} a apporté son business plan.")
    return case_id


@pytest.fixture
def trio(tmp_path: Path) -> Iterator[tuple[Services, dict[str, str]]]:
    """A workspace with three people: Ondine Vasseur-Kerbrat, Basile Morvan, Jade Ferrand."""
    services = open_services(tmp_path / "ws")
    ids = {
        "ondine": add_person(services, "Ondine", "Vasseur-Kerbrat"),
        "basile": add_person(services, "Basile", "Morvan"),
        "jade": add_person(services, "Jade", "Ferrand", consent=False),
    }
    yield services, ids
    services.close()


def files_containing(root: Path, needle: str) -> list[Path]:
    """Every file under `root` whose bytes contain `needle` (UTF-8 and UTF-16 spellings)."""
    spellings = {needle.encode("utf-8"), needle.encode("utf-16-le"), needle.lower().encode()}
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if any(s in data for s in spellings):
                found.append(path)
    return found


def close_case(services: Services, case_id: str, on: date) -> None:
    services.cases.close(case_id, Outcome.BUSINESS_CREATED, on)
