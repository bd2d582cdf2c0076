"""A case that pushes every report to its limits, built through the services as an advisor
would fill it: long names, a 300-character title, texts of 5,000 characters (20,000 in the
advisor's opinion), 150 appointments with 60-character topics, large amounts.

The organisation and the advisor are a real pair whose names overlapped the page header.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from advisor_app.domain.enums import (
    AppointmentMode,
    AppointmentStatus,
    ConsentScope,
    FinancingSide,
    FundingDecision,
    FundingKind,
    Gender,
    Situation,
)
from advisor_app.domain.financing import FORECAST_ITEMS
from advisor_app.services import AppointmentDraft, FundingDraft, NewCase, Services
from advisor_app.services.cases import PERSON_FIELDS, PROJECT_FIELDS
from advisor_app.services.limits import text_limit
from advisor_app.storage.case_models import Person, Project

ORGANISATION = "BGE Limousin – Boutique de gestion pour entreprendre, antenne de Guéret"
ADVISOR = "Marie-Bérénice de La Tour-d'Auvergne-Saint-Évremond"
FIRST_NAME = "Anne-Charlotte-Eugénie"
LAST_NAME = "Lefèvre-Παπαδοπούλου-Дмитриева de Montmorency-Laval"
APPOINTMENTS = 150
TOPIC_LENGTH = 60
TEXT_LENGTH = 5_000
LONGEST_TEXT = 20_000
LONGEST_FIELD = "advisor_opinion"

_SENTENCES = (
    "Le porteur de projet a présenté son prévisionnel révisé, avec un besoin de 1 200 000,00 € "
    "couvert en partie par un prêt bancaire sur 84 mois.",
    "Rendez-vous fixé de 11:30 à 12:15 avec la chargée d'affaires de la Caisse d'Épargne, "
    "en visioconférence, pour relire les devis.",
    "L'étude de marché porte sur trois communes rurales : Guéret, Aubusson et "
    "Bourganeuf-sur-Thaurion, où la concurrence reste faible.",
    "Points de vigilance : la saisonnalité de l'activité, le besoin en fonds de roulement "
    "(45 jours de chiffre d'affaires) et la dépendance à un fournisseur unique.",
    "Le plan de financement est équilibré après l'apport personnel de 12 500,00 € et le prêt "
    "d'honneur d'Initiative Creuse.",
    "Elle a suivi la formation « 5 jours pour entreprendre » et une immersion de 2 h 30 chez "
    "un artisan boulanger de la Souterraine.",
)


def prose(length: int, seed: int = 0) -> str:
    """French prose of at most `length` characters, in paragraphs of five sentences, with
    the amounts, times and long words that reports used to cut."""
    sentences: list[str] = []
    size, index = 0, seed
    while size < length:
        sentence = _SENTENCES[index % len(_SENTENCES)]
        sentences.append(sentence)
        size += len(sentence) + 1
        index += 1
    paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]
    return "\n\n".join(paragraphs)[: length - 1].rstrip() + "."


def topic(index: int) -> str:
    """A 60-character topic, different for each appointment."""
    base = f"Préparation du comité d'engagement Initiative Creuse n° {index}"
    return (base + " – relecture du dossier financier")[:TOPIC_LENGTH]


def title() -> str:
    words = (
        "Création d'une boulangerie-pâtisserie biologique et d'un fournil itinérant "
        "desservant les communes rurales de la Creuse, avec atelier de formation, "
        "vente directe sur les marchés de producteurs, livraison à domicile en vélo cargo "
        "électrique et partenariat avec les cantines scolaires du territoire de Guéret, "
        "Aubusson et Bourganeuf-sur-Thaurion"
    )
    return words[:300]


@dataclass(frozen=True)
class StressCase:
    case_id: str
    done_minutes: int
    funding_id: str


def _value_for(name: str, kind: type, index: int, limit: int) -> Any:
    """A demanding value for a field, whatever its type: the longest text its column holds
    (up to 5,000 characters, 20,000 in the advisor's opinion), a number, a date."""
    if kind is str:
        if name == LONGEST_FIELD:
            return prose(min(LONGEST_TEXT, limit), index)
        return prose(min(TEXT_LENGTH, limit), index)
    if kind is bool:
        return True
    if kind is int:
        return 12
    if kind is date:
        return date(2027, 3, 1)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return list(kind)[index % len(list(kind))]
    return None


def build_stress_case(services: Services, attachment_folder: Path) -> StressCase:
    """Every field of the case filled with long data, through the services."""
    services.settings.set("organisation", ORGANISATION)
    services.settings.set("advisor_name", ADVISOR)
    case_id, _d, _c = services.cases.create(
        NewCase(
            FIRST_NAME,
            LAST_NAME,
            birth_date=date(1988, 2, 29),
            gender=Gender.WOMAN,
            situation=Situation.MINIMUM_INCOME,
            commune="Bourganeuf-sur-Thaurion-les-Deux-Églises",
            postcode="23400",
            email="anne-charlotte-eugenie.lefevre-montmorency-laval@fournil-itinerant-creuse.fr",
            phone="+33 6 12 34 56 78",
            project_title=title(),
            processing_consent_how="Formulaire papier signé au premier rendez-vous",
            opened_on=date(2024, 1, 8),
        )
    )
    simple = {"first_name", "last_name", "birth_date", "gender", "situation", "email"}
    person = {
        name: _value_for(name, kind, i, text_limit(Person, name))
        for i, (name, kind) in enumerate(PERSON_FIELDS.items())
        if name not in simple
    }
    person["postcode"] = "23400"
    person["phone"] = "+33 6 12 34 56 78"
    person["commune"] = "Bourganeuf-sur-Thaurion-les-Deux-Églises"
    services.cases.update_person(case_id, person)
    project = {
        name: _value_for(name, kind, i, text_limit(Project, name))
        for i, (name, kind) in enumerate(PROJECT_FIELDS.items())
        if name != "title"
    }
    project["sector"] = "Boulangerie-pâtisserie, restauration rapide et traiteur itinérant"
    project["legal_form"] = "Société par actions simplifiée unipersonnelle (SASU)"
    services.cases.update_project(case_id, project)
    done = _add_appointments(services, case_id)
    for key, day in (("welcome", date(2024, 1, 8)), ("diagnosis", date(2024, 2, 12))):
        services.milestones.mark_done(case_id, key, day)
    case = services.cases.get(case_id)
    for n, milestone in enumerate(case.milestones):
        services.milestones.set_comment(case_id, milestone.key, prose(TEXT_LENGTH, n))
        if milestone.done_on is None:
            services.milestones.set_target(case_id, milestone.key, date(2025, 1, 1 + n))
    funding_id, _c = services.funding.add_request(
        case_id,
        FundingDraft(
            "Initiative Creuse – plateforme France Initiative du département de la Creuse",
            FundingKind.HONOUR_LOAN,
            120_000_000,
            date(2026, 12, 3),
        ),
    )
    services.funding.add_request(
        case_id,
        FundingDraft(
            "Caisse régionale de Crédit Agricole Mutuel Centre-Ouest",
            FundingKind.BANK_LOAN,
            987_654_321,
            date(2026, 6, 30),
            FundingDecision.PARTIALLY_GRANTED,
            876_543_210,
        ),
    )
    lines = (
        (FinancingSide.NEED, "Four à sole électrique à trois étages et chambre de pousse", 1),
        (FinancingSide.NEED, "Véhicule utilitaire aménagé en fournil itinérant", 2),
        (FinancingSide.NEED, "Besoin en fonds de roulement des six premiers mois", 3),
        (FinancingSide.RESOURCE, "Prêt d'honneur Initiative Creuse", 4),
        (FinancingSide.RESOURCE, "Prêt bancaire garanti par France Active", 5),
        (FinancingSide.RESOURCE, "Apport personnel et prêts familiaux", 6),
    )
    for side, label, n in lines:
        services.funding.add_plan_line(case_id, side, label, 100_000_000 * n + 99)
    for year in (1, 2, 3):
        for position, item in enumerate(FORECAST_ITEMS):
            services.funding.set_forecast(
                case_id,
                year,
                item,
                (9_876_543_21 if item == "turnover" else 123_456_78) * year + position,
            )
    for n in range(3):
        services.notes.add_note(case_id, prose(TEXT_LENGTH, n + 2))
    services.notes.record_consent(
        case_id,
        ConsentScope.SHARING,
        date(2024, 1, 8),
        "Formulaire de consentement signé lors du premier rendez-vous à Guéret",
        partner="Initiative Creuse – plateforme France Initiative",
    )
    attachment = attachment_folder / (
        "Prévisionnel-financier-sur-trois-ans-version-définitive-validée-par-l-expert.pdf"
    )
    attachment.write_bytes(b"%PDF-1.4\n" + b"0" * 300_000)
    services.notes.attach(case_id, attachment)
    return StressCase(case_id, done, funding_id)


def _add_appointments(services: Services, case_id: str) -> int:
    modes = list(AppointmentMode)
    done_minutes = 0
    first = datetime(2024, 1, 8, 11, 30)
    for index in range(APPOINTMENTS):
        status = AppointmentStatus.DONE if index % 5 else AppointmentStatus.CANCELLED
        minutes = 45 + (index % 6) * 15
        long = index % 50 == 7
        services.appointments.add(
            case_id,
            AppointmentDraft(
                start=first + timedelta(days=3 * index, minutes=15 * (index % 4)),
                minutes=minutes,
                mode=modes[index % len(modes)],
                place="Maison de l'emploi et de la formation de Bourganeuf-sur-Thaurion",
                topic=topic(index),
                summary=prose(TEXT_LENGTH if long else 180, index),
                next_actions=prose(TEXT_LENGTH if long else 90, index + 1),
                status=status,
                programme="Parcours création d'entreprise – Région Nouvelle-Aquitaine 2024",
            ),
        )
        if status is AppointmentStatus.DONE:
            done_minutes += minutes
    return done_minutes
