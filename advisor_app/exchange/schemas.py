"""The JSON Schemas shipped in `resources/schemas`, and validation against them."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from advisor_app.domain.messages import N_
from advisor_app.exchange.errors import PackageRefused
from advisor_app.package_files import resource


@cache
def validator(name: str) -> Draft202012Validator:
    schema = json.loads(resource("schemas", f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def check(name: str, document: Any, file_name: str) -> None:
    """Refuse `document` unless it is valid against the schema `name`; say where it is not."""
    errors = sorted(validator(name).iter_errors(document), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        where = "/".join(str(part) for part in first.absolute_path) or "/"
        raise PackageRefused(
            N_("The file {file} of the package is not valid ({where}: {reason})."),
            N_("Ask the sender for a new package; nothing was imported."),
            file=file_name,
            where=where,
            reason=first.message[:200],
        )
