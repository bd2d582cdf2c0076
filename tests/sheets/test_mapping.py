"""Columns mapped to Boussole's fields by their names, a mapping saved and reused, and the
rows of each tracker turned into the people and appointments the import takes."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import describe
from advisor_app.sheets.columns import (
    FULL_NAME,
    FULL_NAME_FIRST,
    IGNORE,
    NOTE,
    UNMAPPED,
    SheetKind,
    automatic,
    field_label,
    guess_field,
)
from advisor_app.sheets.mapping import (
    FORMAT,
    Mapping,
    appointments_from,
    mapping_for,
    records_from,
    split_full_name,
)
from advisor_app.sheets.reading import read_table
from tests.sheets.conftest import HEADERS, NOTE_AMÉLIE

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Nom", "last_name"),
        ("NOM", "last_name"),
        ("Nom de famille", "last_name"),
        ("Nom d'usage", "last_name"),
        ("Last name", "last_name"),
        ("Surname", "last_name"),
        ("Prénom", "first_name"),
        ("PRENOM", "first_name"),
        ("First name", "first_name"),
        ("Nom Prénom", FULL_NAME),
        ("Nom et prénom", FULL_NAME),
        ("NOM - Prénom du porteur", FULL_NAME),
        ("Prénom Nom", FULL_NAME_FIRST),
        ("Full name", FULL_NAME_FIRST),
        ("Date de naissance", "birth_date"),
        ("Né(e) le", "birth_date"),
        ("Née le", "birth_date"),
        ("Date of birth", "birth_date"),
        ("Lieu de naissance", UNMAPPED),
        ("Tél.", "phone"),
        ("Téléphone", "phone"),
        ("Portable", "phone"),
        ("Tél. portable du porteur", "phone"),
        ("Phone number", "phone"),
        ("E-mail", "email"),
        ("Mail", "email"),
        ("Courriel", "email"),
        ("Adresse mail", "email"),
        ("Email address", "email"),
        ("Adresse", "address"),
        ("Adresse postale complète", "address"),
        ("Commune", "commune"),
        ("Ville", "commune"),
        ("City", "commune"),
        ("Code postal", "postcode"),
        ("CP", "postcode"),
        ("C.P.", "postcode"),
        ("Zip code", "postcode"),
        ("Projet", "project_title"),
        ("Intitulé du projet", "project_title"),
        ("Nom du projet", "project_title"),
        ("Statut du projet", UNMAPPED),
        ("Description du projet", "project_description"),
        ("Secteur", "sector"),
        ("Secteur d'activité", "sector"),
        ("Activité", "sector"),
        ("Date de début d'activité", UNMAPPED),
        ("Date 1er RDV", "first_appointment"),
        ("Date du premier rendez-vous", "first_appointment"),
        ("Date d'accueil", "first_appointment"),
        ("First appointment", "first_appointment"),
        ("Prêt d'honneur", "honour_loan"),
        ("Montant PH", "honour_loan"),
        ("Montant du prêt d'honneur demandé", "honour_loan"),
        ("Honour loan", "honour_loan"),
        ("Observations", NOTE),
        ("Commentaires", NOTE),
        ("Remarques du conseiller", NOTE),
        ("Comments", NOTE),
        ("Orienté par", "referred_by"),
        ("Orienté(e) par", "referred_by"),
        ("Prescripteur", "referred_by"),
        ("Referred by", "referred_by"),
        ("Numéro de dossier papier", UNMAPPED),
    ],
)
def test_people_columns_are_recognised_by_their_usual_names(header: str, field: str) -> None:
    assert guess_field(header, SheetKind.PEOPLE) == field


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Nom", "last_name"),
        ("Nom Prénom", FULL_NAME),
        ("Date", "date"),
        ("Date du RDV", "date"),
        ("Heure", "time"),
        ("Durée", "minutes"),
        ("Durée (h)", "minutes"),
        ("Temps passé", "minutes"),
        ("Objet", "topic"),
        ("Thème", "topic"),
        ("Modalité", "mode"),
        ("Statut", "status"),
        ("Compte rendu", NOTE),
        ("CR", NOTE),
        ("Duration", "minutes"),
        ("Topic", "topic"),
    ],
)
def test_appointment_columns_are_recognised(header: str, field: str) -> None:
    assert guess_field(header, SheetKind.APPOINTMENTS) == field


def test_every_tracker_gives_its_people_with_dates_amounts_and_notes(any_tracker: Path) -> None:
    records = records_from(read_table(any_tracker), today=TODAY)

    assert records.refusals == []
    amélie, karim, amélie_again = records.people
    assert (amélie.last_name, amélie.first_name) == ("DUPRÉ-LEFÈVRE", "Amélie")
    assert amélie.birth_date == date(1985, 2, 3)
    assert amélie.email == "amelie.dupre@example.org"
    assert amélie.phone == "06 12 34 56 78"
    assert (amélie.postcode, amélie.commune) == ("42000", "Saint-Étienne")
    assert (amélie.project_title, amélie.sector) == ("Boulangerie bio", "Alimentation")
    assert amélie.first_appointment == date(2024, 1, 15)
    assert amélie.honour_loan_cents == 1_250_000
    assert amélie.referred_by == "France Travail"
    assert amélie.notes == [NOTE_AMÉLIE, "Dossier papier: armoire 2"]
    assert karim.honour_loan_cents is None  # "NC"
    assert karim.birth_date == date(1990, 7, 14)
    assert karim.row == amélie.row + 1
    assert amélie_again.notes == ["Second passage : dossier complet."]
    assert records.columns["last_name"] == "NOM"
    assert records.columns["honour_loan_cents"] == "Prêt d'honneur"
    assert records.source == any_tracker.name


def test_unmapped_columns_can_be_left_out_of_the_notes(cp1252_csv: Path) -> None:
    records = records_from(read_table(cp1252_csv), keep_unmapped=False)

    assert records.people[0].notes == [NOTE_AMÉLIE]


def test_a_column_set_to_ignore_is_dropped_and_a_chosen_field_wins(cp1252_csv: Path) -> None:
    table = read_table(cp1252_csv)
    mapping = mapping_for(table.headers).with_columns(
        SheetKind.PEOPLE,
        {"Observations": IGNORE, "Dossier papier": "address", "Orienté par": NOTE},
    )

    amélie = records_from(table, mapping).people[0]

    assert amélie.address == "armoire 2"
    assert amélie.notes == ["France Travail"]


def test_refused_values_name_their_row_column_and_reason_and_stay_in_the_notes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "erreurs.csv"
    path.write_text(
        "Nom;Prénom;Date de naissance;Montant PH;Mail\n"
        "Durand;Léa;31/02/1985;beaucoup;lea.example.org\n"
        "Petit;Jean;14/07/1990;NC;\n",
        encoding="utf-8",
    )

    records = records_from(read_table(path))

    assert [(r.row, r.column, r.value) for r in records.refusals] == [
        (2, "Date de naissance", "31/02/1985"),
        (2, "Montant PH", "beaucoup"),
        (2, "Mail", "lea.example.org"),
    ]
    assert "does not exist" in records.refusals[0].reason
    léa = records.people[0]
    assert léa.birth_date is None and léa.honour_loan_cents is None and léa.email == ""
    assert léa.notes == [
        "Date de naissance: 31/02/1985",
        "Montant PH: beaucoup",
        "Mail: lea.example.org",
    ]
    assert records.people[1].birth_date == date(1990, 7, 14)


def test_a_second_column_of_the_same_field_goes_to_the_notes(tmp_path: Path) -> None:
    path = tmp_path / "deux.csv"
    path.write_text(
        "Nom;Prénom;Téléphone;Portable\nDurand;Léa;04 77 00 00 00;06 00 00 00 00\n"
        "Petit;Jean;;06 11 11 11 11\n",
        encoding="utf-8",
    )

    léa, jean = records_from(read_table(path)).people

    assert léa.phone == "04 77 00 00 00" and léa.notes == ["Portable: 06 00 00 00 00"]
    assert jean.phone == "06 11 11 11 11" and jean.notes == []


def test_a_full_name_column_is_split(tmp_path: Path) -> None:
    path = tmp_path / "noms.csv"
    path.write_text(
        "Nom et prénom;Ville\nDUPONT Marie;Lyon\nMarie-Anne DE LA TOUR;Lyon\n"
        "Martin Karim;Lyon\nDurand, Léa;Lyon\n",
        encoding="utf-8",
    )

    people = records_from(read_table(path)).people

    assert [(p.last_name, p.first_name) for p in people] == [
        ("DUPONT", "Marie"),
        ("DE LA TOUR", "Marie-Anne"),
        ("Martin", "Karim"),
        ("Durand", "Léa"),
    ]


def test_split_full_name_follows_the_order_of_the_header() -> None:
    assert split_full_name("Marie Dupont", last_first=False) == ("Dupont", "Marie")
    assert split_full_name("Dupont Marie", last_first=True) == ("Dupont", "Marie")
    assert split_full_name("DUPONT DE LA TOUR Marie Anne") == ("DUPONT DE LA TOUR", "Marie Anne")
    assert split_full_name("Cher") == ("Cher", "")


def test_the_appointments_sheet_gives_dates_times_durations_and_summaries(
    tracker_xlsx: Path,
) -> None:
    records = appointments_from(read_table(tracker_xlsx, sheet="Rendez-vous"))

    assert records.refusals == []
    first, second, third = records.appointments
    assert (first.last_name, first.first_name) == ("Dupré-Lefèvre", "Amélie")
    assert first.starts_at == datetime(2024, 1, 15, 9, 30)
    assert (first.minutes, second.minutes, third.minutes) == (90, 45, 90)
    assert first.topic == "Accueil"
    assert second.mode == "Téléphone"
    assert first.summary == "Premier entretien ; projet clair."
    assert records.appointment_columns["starts_at"] == "Date"
    assert first.row == 2


def test_appointments_from_the_other_formats(tracker_xls: Path, tracker_ods: Path) -> None:
    for path in (tracker_xls, tracker_ods):
        records = appointments_from(read_table(path, sheet="Rendez-vous"))
        assert records.refusals == []
        assert records.appointments[1].starts_at == datetime(2024, 2, 1, 14, 0)


def test_an_appointment_with_a_day_but_no_time_starts_at_midnight(tmp_path: Path) -> None:
    path = tmp_path / "rdv.csv"
    path.write_text("Nom;Prénom;Date;Durée (h)\nDurand;Léa;03/02/2024;2\n", encoding="utf-8")

    (meeting,) = appointments_from(read_table(path)).appointments

    assert meeting.starts_at == datetime(2024, 2, 3, 0, 0)
    assert meeting.minutes == 120


# -- a mapping saved and reused ------------------------------------------------------------


def test_a_mapping_saved_as_json_reads_back_the_same() -> None:
    mapping = mapping_for(HEADERS, ["Nom", "Date", "Durée"]).with_columns(
        SheetKind.PEOPLE, {**automatic(HEADERS), "Dossier papier": IGNORE}
    )

    text = mapping.to_json()
    again = Mapping.from_json(text, "suivi.json")

    assert again == mapping
    assert '"format": "boussole-sheet-mapping"' in text and '"version": 1' in text
    assert "Prénom" in text  # written as it reads, not escaped


def test_a_saved_mapping_applies_to_headers_written_another_way() -> None:
    mapping = Mapping(people={"Numéro de dossier": "ignore", "Tél portable": "note"})

    fields = mapping.columns(SheetKind.PEOPLE, ["NUMERO DE DOSSIER", "tél. portable", "Nom"])

    assert fields == [IGNORE, NOTE, "last_name"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("not json", "not a column mapping"),
        ('{"format": "something else"}', "not a column mapping"),
        (f'{{"format": "{FORMAT}", "version": 7}}', "newer Boussole"),
        (
            f'{{"format": "{FORMAT}", "version": 1, "people": {{"Nom": "surname"}}}}',
            "does not know",
        ),
    ],
)
def test_a_file_that_is_not_a_usable_mapping_is_refused(text: str, words: str) -> None:
    with pytest.raises(AdvisorError) as refused:
        Mapping.from_json(text, "colonnes.json")

    sentence = describe(refused.value)
    assert words in sentence and "colonnes.json" in sentence


def test_every_field_has_a_label() -> None:
    assert field_label("honour_loan") == "Honour loan (amount asked)"
    assert field_label(NOTE, SheetKind.APPOINTMENTS) == "Summary"
