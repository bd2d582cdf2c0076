"""The case-file format's version, and the steps that bring an older case file up to it.

Plain SQL on a sqlite3 connection, without the models: opening a workspace compares the
version the catalog last saw with this one before anything else is loaded.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

SCHEMA_VERSION = 3

Migration = Callable[[sqlite3.Connection], None]


def statements(*sql: str) -> Migration:
    """A step that runs these statements in order (the catalog's steps are made alike)."""

    def migrate(connection: sqlite3.Connection) -> None:
        for statement in sql:
            connection.execute(statement)

    return migrate


# MIGRATIONS[n] upgrades a file from version n to n + 1, inside the transaction that
# `casefile._migrate` opens; a file of every past version is kept in tests/fixtures.
MIGRATIONS: dict[int, Migration] = {
    # 2: the committee file, with the holder's background, working capital terms, the
    # advisor's assessment and recommendation, and the terms of each loan
    1: statements(
        "ALTER TABLE person ADD COLUMN training TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE person ADD COLUMN experience TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE person ADD COLUMN motivation TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE person ADD COLUMN household TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE project ADD COLUMN customer_days INTEGER",
        "ALTER TABLE project ADD COLUMN supplier_days INTEGER",
        "ALTER TABLE project ADD COLUMN stock_days INTEGER",
        "ALTER TABLE project ADD COLUMN strengths TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE project ADD COLUMN vigilance TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE project ADD COLUMN recommendation VARCHAR(30) NOT NULL DEFAULT ''",
        "ALTER TABLE project ADD COLUMN recommended_amount_cents INTEGER",
        "ALTER TABLE project ADD COLUMN opinion_signed_on DATE",
        "ALTER TABLE funding_request ADD COLUMN term_months INTEGER",
        "ALTER TABLE funding_request ADD COLUMN deferral_months INTEGER",
        "ALTER TABLE funding_request ADD COLUMN annual_rate_basis_points INTEGER",
    ),
    # 3: team mode, the sharing of a case and what its changes need (storage/team_models.py)
    2: statements(
        "CREATE TABLE team_sharing (id VARCHAR(36) NOT NULL, shared BOOLEAN NOT NULL, "
        "shared_by VARCHAR(200) NOT NULL, shared_on DATE, PRIMARY KEY (id))",
        "CREATE TABLE team_field (tbl VARCHAR(40) NOT NULL, row_id VARCHAR(36) NOT NULL, "
        "col VARCHAR(60) NOT NULL, stamp VARCHAR(40) NOT NULL, value TEXT NOT NULL, "
        "author VARCHAR(200) NOT NULL, PRIMARY KEY (tbl, row_id, col))",
        "CREATE TABLE team_tombstone (tbl VARCHAR(40) NOT NULL, row_id VARCHAR(36) NOT NULL, "
        "stamp VARCHAR(40) NOT NULL, author VARCHAR(200) NOT NULL, PRIMARY KEY (tbl, row_id))",
        "CREATE TABLE team_outgoing (seq INTEGER NOT NULL, stamp VARCHAR(40) NOT NULL, "
        "tbl VARCHAR(40) NOT NULL, row_id VARCHAR(36) NOT NULL, col VARCHAR(60), "
        "value TEXT NOT NULL, author VARCHAR(200) NOT NULL, PRIMARY KEY (seq))",
    ),
}
