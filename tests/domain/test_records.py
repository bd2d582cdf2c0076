"""Each record of a case file is declared once (domain/records.py), and everything that lists
its fields says the same: the case file's tables, the read views, the exchange schema, the
fields `edit` sets, what travels to the team and how its values are written as JSON.

A column added to a model without its declaration, a field declared and missing from the
schema partners validate against (or the other way round), a view that forgets a field:
each fails here, naming it.
"""

from __future__ import annotations

import dataclasses
import types
from datetime import date, datetime
from enum import Enum
from typing import Any, Union, get_args, get_origin, get_type_hints

import pytest
from sqlalchemy import Column, Table, create_engine, select
from sqlalchemy.orm import Mapped, Session

from advisor_app.domain import records
from advisor_app.domain.enums import Situation
from advisor_app.domain.records import Field, Kind, Record
from advisor_app.domain.validation import MAX_TEXT_LENGTH
from advisor_app.exchange.schemas import validator
from advisor_app.services import views
from advisor_app.services.cases import OPTIONAL_FIELDS, PERSON_FIELDS, PROJECT_FIELDS, NewCase
from advisor_app.services.sheet_people import FIELD_LABELS
from advisor_app.services.sheet_people import PERSON_FIELDS as SHEET_PERSON_FIELDS
from advisor_app.storage import team_models
from advisor_app.storage.case_models import CASE_MODELS, CaseBase, Person, Project, case_column

# The team's own bookkeeping: tables of the case file that are not records of the case.
BOOKKEEPING = frozenset(team_models.TEAM_TABLES) - {"team_sharing"}


def _held(annotation: Any) -> tuple[Any, bool]:
    """`date | None` → (date, True); `str` → (str, False)."""
    if get_origin(annotation) in (Union, types.UnionType) and type(None) in get_args(annotation):
        (inner,) = [arg for arg in get_args(annotation) if arg is not type(None)]
        return inner, True
    return annotation, False


def _same_column(mine: Column[Any], theirs: Column[Any]) -> None:
    where = f"{theirs.table.name}.{theirs.name}"
    assert repr(mine.type) == repr(theirs.type), where
    assert mine.nullable == theirs.nullable, where
    assert mine.primary_key == theirs.primary_key, where
    assert bool(mine.unique) == bool(theirs.unique), where
    assert bool(mine.index) == bool(theirs.index), where
    mine_default = getattr(mine.default, "arg", None)
    theirs_default = getattr(theirs.default, "arg", None)
    if callable(theirs_default):
        assert callable(mine_default), where
    else:
        assert mine_default == theirs_default, where


# -- the case file ---------------------------------------------------------------------------


def test_every_table_of_the_case_file_is_a_declared_record() -> None:
    tables = set(CaseBase.metadata.tables) - BOOKKEEPING
    assert tables == set(records.RECORDS)


@pytest.mark.parametrize("record", records.RECORDS.values(), ids=lambda r: r.table)
def test_a_table_has_the_columns_of_its_declaration_in_their_order(record: Record) -> None:
    table = CaseBase.metadata.tables[record.table]
    assert isinstance(table, Table)
    assert [c.name for c in table.columns] == list(record.names)
    for field in record:
        _same_column(case_column(field), table.columns[field.name])


@pytest.mark.parametrize("table", sorted(CASE_MODELS))
def test_what_mypy_sees_of_a_model_is_what_is_declared(table: str) -> None:
    """The models keep `Mapped[...]` annotations for the type checker: same names, same
    order, the type held (a choice is kept as its text), None only where it may be empty."""
    record = records.record(table)
    hints = get_type_hints(CASE_MODELS[table])
    mapped = {name: hint for name, hint in hints.items() if get_origin(hint) is Mapped}
    assert list(mapped) == list(record.names)
    for field in record:
        held, optional = _held(get_args(mapped[field.name])[0])
        expected = str if field.kind is Kind.ENUM else field.python_type
        assert (held, optional) == (expected, field.optional), f"{table}.{field.name}"


def test_a_new_row_gets_the_declared_defaults_when_it_is_written() -> None:
    engine = create_engine("sqlite://")
    CaseBase.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(Person(first_name="Amélie", last_name="Dupré"))
        session.add(Project())
        session.flush()
        person = session.scalars(select(Person)).one()
        project = session.scalars(select(Project)).one()
    assert len(person.id) == records.ID_LENGTH
    assert (person.gender, person.situation, person.email) == ("unspecified", "other", "")
    assert person.birth_date is None and person.priority_neighbourhood is False
    assert (project.expected_jobs, project.recommendation, project.planned_start) == (1, "", None)
    assert records.NOTE["text"].default is records.REQUIRED


# -- the read views --------------------------------------------------------------------------

# view → its record, and the fields of the view that are not columns (or the columns left out)
VIEWS: list[tuple[type[Any], Record, set[str], set[str]]] = [
    (views.PersonView, records.PERSON, set(), {"id"}),
    (views.ProjectView, records.PROJECT, set(), {"id"}),
    (views.AppointmentView, records.APPOINTMENT, set(), set()),
    (views.MilestoneView, records.MILESTONE, {"late"}, set()),
    (views.FundingView, records.FUNDING_REQUEST, set(), set()),
    (views.NoteView, records.NOTE, set(), set()),
    (views.AttachmentView, records.ATTACHMENT, set(), {"content"}),
    (views.ConsentView, records.CONSENT, set(), set()),
    (views.HistoryView, records.HISTORY, set(), {"id"}),
]


@pytest.mark.parametrize("view, record, computed, left_out", VIEWS, ids=lambda v: str(v))
def test_a_view_shows_every_field_of_its_record_with_its_kind(
    view: type[Any], record: Record, computed: set[str], left_out: set[str]
) -> None:
    names = [item.name for item in dataclasses.fields(view) if item.name not in computed]
    assert names == [name for name in record.names if name not in left_out]
    hints = get_type_hints(view)
    for name in names:
        field = record[name]
        held, optional = _held(hints[name])
        if field.kind is Kind.ENUM and not issubclass(held, Enum):
            assert held is str, name  # a consent's scope: shown as kept (a newer one too)
        else:
            assert held is field.python_type, name
        assert optional == field.clearable, name


# -- the exchange schema ---------------------------------------------------------------------


def _case_schema() -> dict[str, Any]:
    schema = validator("case").schema
    assert isinstance(schema, dict)
    return schema


def _schema_parts() -> dict[str, dict[str, Any]]:
    """The properties of each part of `case.json`, by its key, with `$ref`s resolved."""
    schema = _case_schema()
    defs = schema["$defs"]

    def resolved(spec: dict[str, Any]) -> dict[str, Any]:
        if "$ref" in spec:
            return dict(defs[spec["$ref"].rsplit("/", 1)[-1]])
        if "anyOf" in spec:
            merged: dict[str, Any] = {"type": []}
            for option in spec["anyOf"]:
                part = resolved(option)
                kinds = part.pop("type")
                merged["type"] += kinds if isinstance(kinds, list) else [kinds]
                merged.update(part)
            return merged
        return dict(spec)

    parts: dict[str, dict[str, Any]] = {}
    for key, spec in schema["properties"].items():
        body = spec.get("items", spec)
        if "properties" in body:
            parts[key] = {name: resolved(p) for name, p in body["properties"].items()}
    return parts


def _accepts_null(spec: dict[str, Any]) -> bool:
    kinds = spec.get("type", [])
    return "null" in (kinds if isinstance(kinds, list) else [kinds]) or None in spec.get("enum", [])


def _check_field_in_schema(field: Field, spec: dict[str, Any]) -> None:
    kinds = spec.get("type", "string" if "enum" not in spec else None)
    kinds = set(kinds if isinstance(kinds, list) else [kinds]) - {"null"}
    assert _accepts_null(spec) == field.optional, "null is accepted only where it may be empty"
    match field.kind:
        case Kind.ID:
            assert spec["pattern"] == "^[0-9a-f-]{36}$"
        case Kind.TEXT | Kind.SHORT:
            assert kinds == {"string"} and "format" not in spec
            assert spec["maxLength"] == field.max_length
        case Kind.ENUM:
            assert field.choices is not None
            allowed: set[str | None] = {member.value for member in field.choices}
            allowed |= {""} if field.default == "" else set()
            allowed |= {None} if field.optional else set()
            assert set(spec["enum"]) == allowed
        case Kind.INT | Kind.CENTS:
            assert kinds == {"integer"}
            assert spec["minimum"] >= -(2**63) and spec["maximum"] < 2**63
            if field.kind is Kind.CENTS:
                assert spec["maximum"] == 100_000_000_000
        case Kind.BOOL:
            assert kinds == {"boolean"}
        case Kind.DATE:
            assert spec["format"] == "date"
        case Kind.DATETIME:
            assert spec["format"] == "iso-date-time"
        case Kind.BYTES:
            raise AssertionError("a file's content travels as a file of the package")


@pytest.mark.parametrize("record", records.exported_records(), ids=lambda r: r.table)
def test_the_schema_covers_every_column_partners_receive_and_no_other(record: Record) -> None:
    """A column the models gain is declared, sent, and its key in the schema added (or it is
    declared `exported=False`); a key the schema has names a column."""
    parts = _schema_parts()
    properties = dict(parts[str(record.document)])
    if record is records.ATTACHMENT:
        assert properties.pop("path")["pattern"] == "^attachments/[^/]+$"  # the file itself
    assert list(properties) == list(record.exported_names)
    for name, spec in properties.items():
        try:
            _check_field_in_schema(record[name], spec)
        except AssertionError as error:
            raise AssertionError(f"{record.table}.{name}: {error}") from None


def test_every_part_of_the_schema_is_a_declared_record() -> None:
    documents = {r.document for r in records.exported_records()}
    assert set(_schema_parts()) - {"reports"} == documents
    sections = _case_schema()["properties"]["sections"]["items"]["enum"]
    declared = {r.section for r in records.RECORDS.values()} | {f.section for f in records.PERSON}
    assert set(sections) == declared - {None}


def test_free_texts_are_as_long_as_the_schema_lets_them_be() -> None:
    assert records.PERSON["training"].max_length == MAX_TEXT_LENGTH
    assert records.PERSON["email"].max_length == 320


# -- the services' lists ---------------------------------------------------------------------


def test_edit_sets_every_field_of_the_person_and_of_the_project_but_their_id() -> None:
    assert list(PERSON_FIELDS) == [f.name for f in records.PERSON if not f.key]
    assert PERSON_FIELDS["situation"] is Situation
    assert PERSON_FIELDS["birth_date"] is date
    assert list(PROJECT_FIELDS) == [f.name for f in records.PROJECT if not f.key]
    assert PROJECT_FIELDS["recommended_amount_cents"] is int
    assert "recommendation" in OPTIONAL_FIELDS and "birth_date" in OPTIONAL_FIELDS
    assert "first_name" not in OPTIONAL_FIELDS and "expected_jobs" not in OPTIONAL_FIELDS


def test_a_new_case_names_the_person_s_fields_as_they_are_declared() -> None:
    hints = get_type_hints(NewCase)
    for item in dataclasses.fields(NewCase):
        if item.name in records.PERSON:
            held, _optional = _held(hints[item.name])
            assert held is records.PERSON[item.name].python_type, item.name


def test_a_spreadsheet_fills_person_fields_under_their_declared_labels() -> None:
    assert SHEET_PERSON_FIELDS[:3] == ("last_name", "first_name", "birth_date")
    for name in SHEET_PERSON_FIELDS:
        assert FIELD_LABELS[name] == records.PERSON[name].label
    assert FIELD_LABELS["project_title"] == records.PROJECT["title"].label


# -- team mode: what travels, and how ----------------------------------------------------------


def test_every_column_travels_to_the_team_but_the_trail_and_each_workspace_s_own() -> None:
    assert records.synced_columns("history") == ()
    assert records.synced_columns("team_field") == ()
    info = records.synced_columns("case_info")
    assert "advisor" in info and "id" in info  # a handover is a change of the référent
    assert not {"revision", "created_at", "updated_at", "binned_at"} & set(info)
    assert records.synced_columns("person") == records.PERSON.names
    assert records.synced_columns("attachment")[-1] == "content"
    assert records.synced_columns("team_sharing") == ("id", "shared", "shared_by", "shared_on")
    assert "history" not in records.synced_tables()
    assert set(records.synced_tables()) == set(records.RECORDS) - {"history"}


VALUES: list[tuple[Kind, Any, Any]] = [
    (Kind.DATE, date(2026, 3, 14), "2026-03-14"),
    (Kind.DATETIME, datetime(2026, 3, 14, 9, 30), "2026-03-14T09:30:00"),
    (Kind.DATETIME, datetime(2026, 3, 14, 9, 30, 5, 120), "2026-03-14T09:30:05.000120"),
    (Kind.BYTES, b"%PDF\x00\xff", {"b64": "JVBERgD/"}),
    (Kind.BOOL, False, False),
    (Kind.INT, 42, 42),
    (Kind.CENTS, -1250000, -1250000),
    (Kind.TEXT, "Boulangère à Guéret\n", "Boulangère à Guéret\n"),
    (Kind.ENUM, "job_seeker", "job_seeker"),
    (Kind.DATE, None, None),
]


@pytest.mark.parametrize("kind, value, written", VALUES)
def test_a_value_goes_to_json_and_comes_back_the_same(kind: Kind, value: Any, written: Any) -> None:
    assert records.to_json(kind, value) == written
    back = records.from_json(kind, written)
    assert back == value and type(back) is type(value)


@pytest.mark.parametrize(
    "kind, written",
    [
        (Kind.DATE, "14/03/2026"),
        (Kind.DATE, "2026-03-14T09:30:00"),
        (Kind.DATE, "2026-02-30"),
        (Kind.DATETIME, "2026-03-14"),
        (Kind.DATETIME, "2026-03-14T09:30:00+01:00"),
        (Kind.BYTES, "JVBERgD/"),
        (Kind.BYTES, {"b64": "not base64!"}),
        (Kind.BOOL, 1),
        (Kind.INT, True),
        (Kind.INT, "12"),
        (Kind.CENTS, 12.5),
        (Kind.TEXT, 12),
    ],
)
def test_json_of_the_wrong_kind_is_refused(kind: Kind, written: Any) -> None:
    with pytest.raises(ValueError):
        records.from_json(kind, written)


def test_a_field_refuses_what_its_column_cannot_keep() -> None:
    gender = records.PERSON["gender"]
    assert gender.from_json("woman") == "woman"
    with pytest.raises(ValueError, match="choices"):
        gender.from_json("queen")
    with pytest.raises(ValueError, match="empty"):
        gender.from_json(None)
    with pytest.raises(ValueError, match="longer"):
        records.PERSON["postcode"].from_json("2" * 11)
    assert records.PROJECT["recommendation"].from_json("") == ""  # no opinion given yet
    assert records.PROJECT["planned_start"].from_json(None) is None
