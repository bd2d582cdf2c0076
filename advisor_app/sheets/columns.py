"""Which field a column's header names: the choices a column has, and the automatic guess
from the common French and English names and their variants, compared without accents,
case or punctuation ("Né(e) le", "NOM", "Tél.", "E-mail", "Code postal", "Prêt d'honneur").

A header is first looked up among exact names, then by its words, in an order that keeps
"Nom du projet" from the last name and "Lieu de naissance" from the birth date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from advisor_app.domain.messages import N_
from advisor_app.i18n import _
from advisor_app.sheets.values import plain

IGNORE = "ignore"
UNMAPPED = ""
NOTE = "note"
FULL_NAME = "full_name"  # "DUPONT Marie": last name first
FULL_NAME_FIRST = "full_name_first"  # "Marie Dupont": first name first


class SheetKind(StrEnum):
    PEOPLE = "people"
    APPOINTMENTS = "appointments"


@dataclass(frozen=True)
class FieldChoice:
    """A field a column can be mapped to, with its label (a message id)."""

    key: str
    label: str


PEOPLE_FIELDS: tuple[FieldChoice, ...] = (
    FieldChoice(UNMAPPED, N_("Not recognised (kept in the notes)")),
    FieldChoice(IGNORE, N_("Ignore")),
    FieldChoice("last_name", N_("Last name")),
    FieldChoice("first_name", N_("First name")),
    FieldChoice(FULL_NAME, N_("Last name and first name")),
    FieldChoice(FULL_NAME_FIRST, N_("First name and last name")),
    FieldChoice("birth_date", N_("Birth date")),
    FieldChoice("email", N_("E-mail")),
    FieldChoice("phone", N_("Phone")),
    FieldChoice("address", N_("Address")),
    FieldChoice("postcode", N_("Postcode")),
    FieldChoice("commune", N_("Commune")),
    FieldChoice("referred_by", N_("Referred by")),
    FieldChoice("project_title", N_("Project")),
    FieldChoice("project_description", N_("Project description")),
    FieldChoice("sector", N_("Sector")),
    FieldChoice("first_appointment", N_("Date of the first appointment")),
    FieldChoice("honour_loan", N_("Honour loan (amount asked)")),
    FieldChoice(NOTE, N_("Note")),
)
APPOINTMENT_FIELDS: tuple[FieldChoice, ...] = (
    FieldChoice(UNMAPPED, N_("Not recognised (kept in the summary)")),
    FieldChoice(IGNORE, N_("Ignore")),
    FieldChoice("last_name", N_("Last name")),
    FieldChoice("first_name", N_("First name")),
    FieldChoice(FULL_NAME, N_("Last name and first name")),
    FieldChoice(FULL_NAME_FIRST, N_("First name and last name")),
    FieldChoice("email", N_("E-mail")),
    FieldChoice("date", N_("Date")),
    FieldChoice("time", N_("Time")),
    FieldChoice("minutes", N_("Duration")),
    FieldChoice("topic", N_("Topic")),
    FieldChoice("mode", N_("Mode (office, phone...)")),
    FieldChoice("status", N_("Status (done, cancelled...)")),
    FieldChoice(NOTE, N_("Summary")),
)


def field_choices(kind: SheetKind | str) -> tuple[FieldChoice, ...]:
    return PEOPLE_FIELDS if SheetKind(kind) is SheetKind.PEOPLE else APPOINTMENT_FIELDS


# -- automatic mapping -------------------------------------------------------------------


def header_key(header: str) -> str:
    """A header as compared: no accents, case or punctuation ("Né(e) le" → "ne e le")."""
    return " ".join(re.sub(r"[^\w]+|_", " ", plain(header)).split())


def _keys(names: str) -> set[str]:
    """The keys of the headers written in `names`, "|" between them."""
    return {header_key(name) for name in names.split("|")}


_NAME_EXACT: dict[str, set[str]] = {
    "last_name": _keys(
        "Nom | Nom de famille | Nom d'usage | Nom usuel | Nom patronymique | Patronyme | "
        "Nom du porteur | Nom porteur | Nom du porteur de projet | Nom du créateur | "
        "Nom du bénéficiaire | Last name | Lastname | Surname | Family name"
    ),
    "first_name": _keys(
        "Prénom | Prénoms | Prénom du porteur | Prénom porteur | First name | Firstname | "
        "Given name | Forename"
    ),
    FULL_NAME: _keys(
        "Nom Prénom | Nom et prénom | Nom et prénoms | Nom - Prénom | Nom/Prénom | "
        "Nom prénom du porteur | Porteur | Porteur de projet | Porteur du projet | "
        "Bénéficiaire | Créateur | Créatrice | Nom complet | Identité"
    ),
    FULL_NAME_FIRST: _keys(
        "Prénom Nom | Prénom et nom | Prénom - Nom | Name | Full name | Person | Client | Holder"
    ),
    "email": _keys(
        "E-mail | Email | Mail | Courriel | Mél | Mel | Adresse mail | Adresse e-mail | "
        "Adresse email | Adresse électronique | E-mail address | Email address"
    ),
}
_PEOPLE_EXACT: dict[str, set[str]] = {
    **_NAME_EXACT,
    "birth_date": _keys(
        "Date de naissance | Date naissance | Né(e) le | Né le | Née le | Né(e) le : | "
        "Naissance | DDN | Date of birth | Birth date | Birthdate | DOB | Birthday"
    ),
    "phone": _keys(
        "Tél | Tél. | Tel | Téléphone | Telephone | Portable | Mobile | Tél portable | "
        "Tél. portable | Tél fixe | Numéro de téléphone | N° de téléphone | N° tél | "
        "GSM | Phone | Phone number | Telephone number | Mobile phone | Cell"
    ),
    "address": _keys(
        "Adresse | Adresse postale | Rue | Domicile | Address | Street | Street address | "
        "Postal address"
    ),
    "postcode": _keys(
        "Code postal | CP | C.P. | Postcode | Post code | Postal code | Zip | Zip code"
    ),
    "commune": _keys(
        "Commune | Ville | Localité | Commune de résidence | Ville de résidence | "
        "Lieu de résidence | Résidence | City | Town"
    ),
    "referred_by": _keys(
        "Orienté par | Orientée par | Orienté(e) par | Orientation | Prescripteur | "
        "Prescriptrice | Prescription | Envoyé par | Adressé par | Adressé(e) par | "
        "Origine | Canal | Source | Partenaire orienteur | Referred by | Referral | "
        "Referrer"
    ),
    "project_title": _keys(
        "Projet | Intitulé du projet | Intitulé projet | Intitulé | Nom du projet | "
        "Titre du projet | Idée de projet | Project | Project title | Project name"
    ),
    "project_description": _keys(
        "Description | Description du projet | Descriptif | Descriptif du projet | "
        "Présentation du projet | Project description"
    ),
    "sector": _keys(
        "Secteur | Secteur d'activité | Activité | Domaine | Domaine d'activité | "
        "Branche | Type d'activité | Sector | Activity | Business sector | Industry"
    ),
    "first_appointment": _keys(
        "Date 1er RDV | Date du 1er RDV | 1er RDV | Premier RDV | Date premier RDV | "
        "Date du premier rendez-vous | Date 1er rendez-vous | Date d'accueil | "
        "Date accueil | Accueil | Date d'entrée | Date entrée | Entrée | "
        "Date de premier contact | Premier contact | Date d'inscription | "
        "First appointment | First meeting | Date of first appointment | Intake date"
    ),
    "honour_loan": _keys(
        "Prêt d'honneur | Prêt honneur | PH | Montant PH | Montant prêt d'honneur | "
        "Montant du prêt d'honneur | PH demandé | Montant PH demandé | Honour loan | "
        "Honor loan | Honour loan amount"
    ),
    NOTE: _keys(
        "Observations | Observation | Commentaires | Commentaire | Remarques | Remarque | "
        "Notes | Note | Suivi | Infos | Informations | Divers | Comments | Comment | "
        "Remarks"
    ),
}
_APPOINTMENT_EXACT: dict[str, set[str]] = {
    **_NAME_EXACT,
    "date": _keys(
        "Date | Date du RDV | Date RDV | Date du rendez-vous | Date de rendez-vous | "
        "Date de l'entretien | Date entretien | Jour | Le | Quand | Day | "
        "Appointment date | Date of appointment | Meeting date"
    ),
    "time": _keys(
        "Heure | Horaire | Heure du RDV | Heure de début | Début | Time | Start time | Start"
    ),
    "minutes": _keys(
        "Durée | Durée du RDV | Durée (h) | Durée (min) | Temps | Temps passé | "
        "Nb heures | Nombre d'heures | Heures | Duration | Length | Time spent | Hours | "
        "Minutes"
    ),
    "topic": _keys(
        "Objet | Objet du RDV | Sujet | Thème | Thématique | Motif | Nature | Topic | "
        "Subject | Purpose"
    ),
    "mode": _keys("Modalité | Mode | Type | Format | Canal | Lieu | Channel | Mode of contact"),
    "status": _keys("Statut | État | Etat | Réalisé | Honoré | Présence | Status"),
    NOTE: _keys(
        "Compte rendu | Compte-rendu | CR | Contenu | Résumé | Synthèse | Observations | "
        "Commentaires | Notes | Note | Summary | Report"
    ),
}


def has_words(words: str, *patterns: str) -> bool:
    return any(re.search(rf"\b{pattern}\b", words) for pattern in patterns)


def _name_rule(words: str) -> str | None:
    if has_words(words, "prenoms?", "first ?name", "given name", "forename") and has_words(
        words, "nom", "last ?name", "surname", "name"
    ):
        first = re.search(r"\bprenoms?\b|\bfirst ?name\b", words)
        last = re.search(r"\bnom\b|\blast ?name\b|\bsurname\b", words)
        if first is not None and last is not None:
            return FULL_NAME if last.start() < first.start() else FULL_NAME_FIRST
        return FULL_NAME
    if has_words(words, "e ?mail", "courriel", "mel"):
        return "email"
    if has_words(words, "prenoms?", "first ?name", "given name", "forename"):
        return "first_name"
    return None


def _people_rule(words: str) -> str | None:
    """A field for a header no exact name matched: looked for by its words, in an order
    that keeps "Nom du projet" from the last name and "Lieu de naissance" from birth dates."""
    if has_words(words, "naissance", "birth", "dob", "nee? le", "ne e le") and not has_words(
        words, "lieu", "nom", "place", "pays", "country", "ville", "commune"
    ):
        return "birth_date"
    named = _name_rule(words)
    if named is not None:
        return named
    if has_words(words, "tel", "telephone", "portable", "mobile", "phone", "gsm"):
        return "phone"
    if has_words(words, "code postal", "cp", "postcode", "postal code", "zip"):
        return "postcode"
    if has_words(words, "pret d honneur", "pret honneur", "ph", "honou?r loan"):
        return "honour_loan"
    if (
        has_words(words, "1er", "premier", "first")
        and has_words(words, "rdv", "rendez vous", "contact", "appointment", "meeting")
    ) or (
        has_words(words, "date") and has_words(words, "accueil", "entree", "inscription", "intake")
    ):
        return "first_appointment"
    if has_words(
        words,
        "prescri\\w*",
        "oriente\\w*",
        "orientation",
        "referr\\w*",
        "envoye\\w* par",
        "adresse\\w* par",
    ):
        return "referred_by"
    if has_words(words, "description", "descriptif", "presentation"):
        return "project_description"
    if has_words(words, "projet", "project", "intitule") and not has_words(
        words, "statut", "status", "etat", "stade", "date", "montant", "budget", "cout", "amount"
    ):
        return "project_title"
    if has_words(
        words, "secteur", "activite", "sector", "activity", "domaine", "branche", "naf"
    ) and not has_words(words, "date", "debut", "start", "lieu"):
        return "sector"
    if has_words(words, "adresse", "address", "rue", "street"):
        return "address"
    if has_words(words, "commune", "ville", "city", "town", "localite", "residence"):
        return "commune"
    if has_words(
        words, "observations?", "commentaires?", "remarques?", "notes?", "comments?", "remarks?"
    ):
        return NOTE
    if has_words(words, "nom", "last ?name", "surname", "family name"):
        return "last_name"
    return None


def _appointment_rule(words: str) -> str | None:
    named = _name_rule(words)
    if named is not None:
        return named
    if has_words(words, "duree", "duration", "temps", "time spent", "nb heures", "nombre d heures"):
        return "minutes"
    if has_words(words, "heure", "horaire", "time", "debut", "start"):
        return "time"
    if has_words(words, "date", "jour", "day"):
        return "date"
    if has_words(
        words,
        "compte rendu",
        "cr",
        "contenu",
        "resume",
        "synthese",
        "summary",
        "report",
        "observations?",
        "commentaires?",
        "notes?",
    ):
        return NOTE
    if has_words(
        words, "objet", "sujet", "theme", "thematique", "motif", "topic", "subject", "purpose"
    ):
        return "topic"
    if has_words(words, "modalite", "mode", "channel", "canal"):
        return "mode"
    if has_words(words, "statut", "status", "etat", "realise", "presence", "honore"):
        return "status"
    if has_words(words, "nom", "last ?name", "surname"):
        return "last_name"
    return None


def guess_field(header: str, kind: SheetKind | str = SheetKind.PEOPLE) -> str:
    """The field a header most likely names, or UNMAPPED."""
    words = header_key(header)
    people = SheetKind(kind) is SheetKind.PEOPLE
    exact = _PEOPLE_EXACT if people else _APPOINTMENT_EXACT
    for key, names in exact.items():
        if words in names:
            return key
    rule = _people_rule if people else _appointment_rule
    return rule(words) or UNMAPPED


def automatic(headers: Sequence[str], kind: SheetKind | str = SheetKind.PEOPLE) -> dict[str, str]:
    """Each header mapped to its likely field (UNMAPPED when none is)."""
    return {header: guess_field(header, kind) for header in headers}


def field_label(key: str, kind: SheetKind | str = SheetKind.PEOPLE) -> str:
    """The translated label of a field key."""
    for choice in field_choices(kind):
        if choice.key == key:
            return _(choice.label)
    return key
