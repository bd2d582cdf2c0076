"""What each document of a team folder must hold: the schemas
`resources/schemas/team-*.schema.json`, and their checks.

The schemas say it all, but jsonschema takes about 0.1 ms for each change, and a member
joining a team reads hundreds of thousands of them. So the changes and removals of a
batch or snapshot are first checked by `is_change` and `is_tombstone`, plain Python that
accepts exactly what `team-change.schema.json` accepts (tests/team compare the two), and
the rest of the document by its schema with their items left out. Only when something is
wrong does the whole schema run, to name the first fault: a document is refused whole.
The sentence names where the fault is and which rule it breaks, never the value (a
person's data must not reach a log).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from enum import StrEnum
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from advisor_app.domain.messages import N_
from advisor_app.exchange.errors import TeamFileRefused
from advisor_app.package_files import resource

# The version of the documents this Boussole writes and reads.
VERSION = 1


class Kind(StrEnum):
    """The kinds of file of a team folder, named as their schema."""

    MEMBER = "member"
    KEY = "key"
    BATCH = "batch"
    SNAPSHOT = "snapshot"
    MANIFEST = "manifest"


# The arrays of changes (or removals) in each kind of document, checked item by item.
_ITEMS: dict[Kind, dict[str, str]] = {
    Kind.BATCH: {"changes": "change"},
    Kind.SNAPSHOT: {"fields": "change", "tombstones": "tombstone"},
}


@cache
def _definitions() -> tuple[Registry, dict[str, Any]]:  # type: ignore[type-arg]
    schemas: dict[str, Any] = {}
    for name in (*Kind, "change"):
        text = resource("schemas", f"team-{name}.schema.json").read_text(encoding="utf-8")
        schema = json.loads(text)
        Draft202012Validator.check_schema(schema)
        schemas[str(name)] = schema
    registry: Registry = Registry().with_resources(  # type: ignore[type-arg]
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas.values()
    )
    return registry, schemas


@cache
def validator(kind: Kind) -> Draft202012Validator:
    """The whole schema of the documents of `kind` (the change's schema referenced)."""
    registry, schemas = _definitions()
    return Draft202012Validator(schemas[kind], registry=registry)


@cache
def _envelope(kind: Kind) -> Draft202012Validator:
    """The schema of `kind` with the items of its arrays of changes left unchecked."""
    registry, schemas = _definitions()
    schema = copy.deepcopy(schemas[kind])
    for array in _ITEMS.get(kind, {}):
        schema["properties"][array]["items"] = {}
    return Draft202012Validator(schema, registry=registry)


def validate(kind: Kind, document: Any, where: str) -> None:
    """Refuse (TeamFileRefused) a document of `kind` that its schema does not accept;
    `where` names its file in the sentence."""
    if isinstance(document, Mapping):
        version = document.get("version")
        if type(version) is int and version > VERSION:
            raise TeamFileRefused(
                N_("The team file {path} was written by a newer version of Boussole."),
                N_("Update Boussole, then sync again."),
                path=where,
            )
    if _items_valid(kind, document) and _envelope(kind).is_valid(document):
        return
    errors = sorted(validator(kind).iter_errors(document), key=_position)
    place, rule = ("/", "schema")
    if errors:
        place = "/".join(str(part) for part in errors[0].absolute_path) or "/"
        rule = str(errors[0].validator)
    raise TeamFileRefused(
        N_("The team file {path} is not valid (at {where}: {rule}); nothing of it was used."),
        N_("Ask the member who wrote it to sync again; if it lasts, tell the team."),
        path=where,
        where=place,
        rule=rule,
    )


def _items_valid(kind: Kind, document: Any) -> bool:
    if not isinstance(document, dict):
        return False
    for array, item in _ITEMS.get(kind, {}).items():
        values = document.get(array)
        if not isinstance(values, list):
            return False
        check = is_change if item == "change" else is_tombstone
        if not all(map(check, values)):
            return False
    return True


def _position(error: Any) -> tuple[int, str]:
    return len(error.absolute_path), str(list(error.absolute_path))


# -- The changes, checked fast --------------------------------------------------------
# Patterns are searched, as jsonschema does (re.search), with the schema's own texts.

_CASE = re.compile(r"^[0-9a-f-]{36}$")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_STAMP = re.compile(r"^[0-9]{13}\.[0-9]{4}\.[0-9a-f]{12}$")
_ROW_MAX = 9223372036854775807
_BY_MAX = 200
_FIELD_KEYS = frozenset({"case", "table", "row", "column", "value", "stamp", "by"})
_ERASE_KEYS = frozenset({"case", "erase", "stamp", "by"})
_TOMBSTONE_KEYS = frozenset({"case", "table", "row", "stamp", "by"})
_TOMBSTONE_NEEDS = frozenset({"table", "row", "stamp"})


def is_change(change: Any) -> bool:
    """Whether `change` is valid against team-change.schema.json."""
    if not isinstance(change, dict):
        return False
    keys = change.keys()
    if "erase" in change:
        return (
            keys == _ERASE_KEYS
            and change["erase"] is True
            and _is_case(change["case"])
            and _is_stamp(change["stamp"])
            and _is_by(change["by"])
        )
    if keys != _FIELD_KEYS:
        return False
    column = change["column"]
    return (
        _is_case(change["case"])
        and _is_name(change["table"])
        and _is_row(change["row"])
        and (column is None or _is_name(column))
        and _is_value(change["value"])
        and _is_stamp(change["stamp"])
        and _is_by(change["by"])
    )


def is_tombstone(tombstone: Any) -> bool:
    """Whether `tombstone` is valid against the tombstone of team-change.schema.json."""
    if not isinstance(tombstone, dict):
        return False
    keys = tombstone.keys()
    if not (_TOMBSTONE_NEEDS <= keys <= _TOMBSTONE_KEYS):
        return False
    return (
        _is_name(tombstone["table"])
        and _is_row(tombstone["row"])
        and _is_stamp(tombstone["stamp"])
        and ("case" not in tombstone or _is_case(tombstone["case"]))
        and ("by" not in tombstone or _is_by(tombstone["by"]))
    )


def _is_case(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 36 and _CASE.search(value) is not None


def _is_name(value: Any) -> bool:
    return isinstance(value, str) and _NAME.search(value) is not None


def _is_stamp(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 31 and _STAMP.search(value) is not None


def _is_by(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= _BY_MAX


def _is_row(value: Any) -> bool:
    if isinstance(value, str):
        return 1 <= len(value) <= 64
    if isinstance(value, bool):
        return False
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return 0 <= value <= _ROW_MAX
    return False


def _is_value(value: Any) -> bool:
    if value is None or isinstance(value, str | bool | int | float):
        return True
    return isinstance(value, dict) and value.keys() == {"b64"} and isinstance(value["b64"], str)
