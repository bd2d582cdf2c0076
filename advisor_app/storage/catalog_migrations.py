"""The catalog's state file (`workspace-state.sqlite`): made new, or brought up to
`CATALOG_VERSION` by numbered steps.

`CATALOG_MIGRATIONS[n]` brings the state from version n to n + 1. An older state is first
copied into `backups/migrations/workspace-state.v<n>.<stamp>.sqlite`, then every step runs in
one `BEGIN EXCLUSIVE` transaction on the file, with the new `user_version`: a failure rolls
all of them back and leaves the file as it was. The caller holds the workspace's lock
exclusively. A file of every past version is kept in tests/fixtures (`catalog-v4.sqlite`).

Up to version 4 the state lived in `workspace.sqlite` beside the index. Such a catalog is
split (`split_legacy`): the copy of its state (its derived tables dropped, so that it holds
no name of a person) is kept in `backups/migrations/`; the steps run on a second copy, which
is put in place as the state file only once complete. The old file stays whole until then,
so an interrupted split is simply done again from it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.storage.case_migrations import Migration, statements
from advisor_app.storage.disk import disk_problem
from advisor_app.storage.layout import (
    CATALOG_VERSION as CATALOG_VERSION,  # read from here: a test raises it with a step
)
from advisor_app.storage.layout import DERIVED_TABLES, STATE_APPLICATION_ID, STATE_SCHEMA
from advisor_app.storage.layout import LAST_SINGLE_FILE_VERSION as LAST_SINGLE_FILE_VERSION
from advisor_app.storage.owner_only import fsync_file, fsync_folder, unused_path
from advisor_app.storage.sqlite_engine import (
    DATABASE_ERRORS,
    WorkspaceKey,
    online_backup,
    raw_connect,
)


def _nothing(_connection: sqlite3.Connection) -> None:
    """A version that changed the index only."""


# Written out as each version made them: a step never changes once released.
CATALOG_MIGRATIONS: dict[int, Migration] = {
    # 2: the exchange with partners (profiles, outbox queue, journal of sends)
    1: statements(
        "CREATE TABLE partner (name VARCHAR(200) NOT NULL, kind VARCHAR(30) NOT NULL, "
        "sections TEXT NOT NULL, reports TEXT NOT NULL, attachments TEXT NOT NULL, "
        "transport VARCHAR(20) NOT NULL, location TEXT NOT NULL, user VARCHAR(200) NOT NULL, "
        "created_at DATETIME NOT NULL, PRIMARY KEY (name))",
        "CREATE TABLE outbox (package_id VARCHAR(36) NOT NULL, partner VARCHAR(200) NOT NULL, "
        "case_id VARCHAR(36) NOT NULL, file_name VARCHAR(200) NOT NULL, size INTEGER NOT NULL, "
        "sha256 VARCHAR(64) NOT NULL, state VARCHAR(20) NOT NULL, attempts INTEGER NOT NULL, "
        "next_attempt_at DATETIME, last_error TEXT NOT NULL, created_at DATETIME NOT NULL, "
        "sent_at DATETIME, PRIMARY KEY (package_id))",
        "CREATE INDEX ix_outbox_partner ON outbox (partner)",
        "CREATE INDEX ix_outbox_state ON outbox (state)",
        "CREATE INDEX ix_outbox_case_id ON outbox (case_id)",
        "CREATE TABLE send_journal (id INTEGER NOT NULL, at DATETIME NOT NULL, "
        "package_id VARCHAR(36) NOT NULL, partner VARCHAR(200) NOT NULL, "
        "case_id VARCHAR(36) NOT NULL, destination TEXT NOT NULL, size INTEGER NOT NULL, "
        "sha256 VARCHAR(64) NOT NULL, outcome VARCHAR(30) NOT NULL, PRIMARY KEY (id))",
        "CREATE INDEX ix_send_journal_package_id ON send_journal (package_id)",
    ),
    # 3: dates kept for the list; 4: index columns (the index only)
    2: _nothing,
    3: _nothing,
    # 5: the state in a file of its own, which records its own losses
    4: statements(
        "CREATE TABLE state_loss (id INTEGER NOT NULL, at DATETIME NOT NULL, "
        "reason VARCHAR(20) NOT NULL, set_aside TEXT NOT NULL, PRIMARY KEY (id))",
    ),
    # 6: spreadsheet imports, each with what it did (to undo it)
    5: statements(
        "CREATE TABLE import_batch (id VARCHAR(36) NOT NULL, created_at DATETIME NOT NULL, "
        "source VARCHAR(300) NOT NULL, advisor VARCHAR(200) NOT NULL, "
        "state VARCHAR(20) NOT NULL, backup VARCHAR(200) NOT NULL, "
        "cases_created INTEGER NOT NULL, cases_updated INTEGER NOT NULL, "
        "undone_at DATETIME, PRIMARY KEY (id))",
        "CREATE TABLE import_item (id INTEGER NOT NULL, batch_id VARCHAR(36) NOT NULL, "
        "case_id VARCHAR(36) NOT NULL, kind VARCHAR(20) NOT NULL, target VARCHAR(100) NOT NULL, "
        "previous TEXT NOT NULL, digest VARCHAR(64) NOT NULL, PRIMARY KEY (id))",
        "CREATE INDEX ix_import_item_batch_id ON import_item (batch_id)",
        "CREATE INDEX ix_import_item_case_id ON import_item (case_id)",
    ),
    # 7: team mode (storage/team_state_models.py)
    6: statements(
        "CREATE TABLE team (id VARCHAR(36) NOT NULL, name VARCHAR(200) NOT NULL, "
        "member_id VARCHAR(20) NOT NULL, member_name VARCHAR(200) NOT NULL, "
        "transport VARCHAR(20) NOT NULL, location TEXT NOT NULL, user VARCHAR(200) NOT NULL, "
        "generation INTEGER NOT NULL, salt VARCHAR(100) NOT NULL, next_batch INTEGER NOT NULL, "
        "last_stamp VARCHAR(40) NOT NULL, joined_at DATETIME NOT NULL, last_sync_at DATETIME, "
        "last_sync TEXT NOT NULL, since_snapshots INTEGER NOT NULL, PRIMARY KEY (id))",
        "CREATE TABLE team_key (generation INTEGER NOT NULL, key BLOB NOT NULL, "
        "PRIMARY KEY (generation))",
        "CREATE TABLE team_member (member_id VARCHAR(20) NOT NULL, name VARCHAR(200) NOT NULL, "
        "removed BOOLEAN NOT NULL, applied INTEGER NOT NULL, PRIMARY KEY (member_id))",
        "CREATE TABLE team_gone (case_id VARCHAR(36) NOT NULL, stamp VARCHAR(40) NOT NULL, "
        "erased BOOLEAN NOT NULL, PRIMARY KEY (case_id))",
        "CREATE TABLE team_event (seq INTEGER NOT NULL, stamp VARCHAR(40) NOT NULL, "
        "kind VARCHAR(20) NOT NULL, target VARCHAR(36) NOT NULL, PRIMARY KEY (seq))",
        "CREATE TABLE team_dirty (case_id VARCHAR(36) NOT NULL, PRIMARY KEY (case_id))",
        "CREATE TABLE team_snapshot (case_id VARCHAR(36) NOT NULL, revision INTEGER NOT NULL, "
        "PRIMARY KEY (case_id))",
        "CREATE TABLE team_pending (id INTEGER NOT NULL, case_id VARCHAR(36) NOT NULL, "
        "change TEXT NOT NULL, PRIMARY KEY (id))",
        "CREATE INDEX ix_team_pending_case_id ON team_pending (case_id)",
    ),
}


def user_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def create_state(path: Path, key: WorkspaceKey) -> None:
    """A new, empty state file at today's version."""
    from advisor_app.storage.catalog_models import CatalogBase

    connection = raw_connect(path, key=key)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute(f"PRAGMA application_id = {STATE_APPLICATION_ID}")
        engine = key.engine(path)
        try:
            tables = [t for t in CatalogBase.metadata.sorted_tables if t.schema == STATE_SCHEMA]
            with engine.connect().execution_options(
                schema_translate_map={STATE_SCHEMA: None}
            ) as made:
                made.info["write"] = True
                CatalogBase.metadata.create_all(made, tables=tables)
                made.commit()
        finally:
            engine.dispose()
        connection.execute(f"PRAGMA user_version = {CATALOG_VERSION}")
    finally:
        connection.close()


def migrate_state(path: Path, version: int, key: WorkspaceKey, backup_dir: Path) -> Path:
    """Bring the state file at `path` from `version` up to today's, after a copy into
    `backup_dir` (returned)."""
    copy = _copy_name(backup_dir, version)
    _guarded(path, lambda: online_backup(path, copy, key=key))
    _drop_journals(copy)
    _guarded(path, lambda: _run_steps(path, version, key))
    return copy


def split_legacy(
    index: Path, state: Path, version: int, key: WorkspaceKey, backup_dir: Path
) -> Path:
    """Make the state file from a catalog of version 4 or older (`index`, left whole), after
    a copy of its state into `backup_dir` (returned)."""
    copy = _copy_name(backup_dir, version)
    _guarded(index, lambda: state_without_index(index, copy, key))
    temporary = state.with_name(f".{state.name}.new")
    _drop_file(temporary)
    shutil.copyfile(copy, temporary)
    _guarded(index, lambda: _run_steps(temporary, version, key))
    connection = raw_connect(temporary, key=key)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
    finally:
        connection.close()
    _drop_journals(temporary)
    fsync_file(temporary)
    _drop_journals(state)
    os.replace(temporary, state)
    fsync_folder(state.parent)
    return copy


def state_without_index(source: Path, target: Path, key: WorkspaceKey) -> None:
    """Copy a catalog of version 4 or older to `target` without its derived tables (and
    without a trace of them: the copy is rewritten), keeping its version."""
    temporary = target.with_name(f".{target.name}.tmp")
    _drop_file(temporary)
    online_backup(source, temporary, key=key)
    connection = raw_connect(temporary, key=key)
    try:
        connection.execute("PRAGMA secure_delete = ON")
        connection.execute("BEGIN IMMEDIATE")
        for table in DERIVED_TABLES:
            connection.execute(f"DROP TABLE IF EXISTS {table}")
        connection.execute("COMMIT")
        connection.execute("VACUUM")
    finally:
        connection.close()
    _drop_journals(temporary)
    os.replace(temporary, target)


def state_at_current_version(source: Path, target: Path, key: WorkspaceKey) -> None:
    """A copy of the state held by `source` (a state file, or a catalog of version 4 or
    older as old backups hold) at today's version, in `target` (to restore from)."""
    _drop_file(target)
    connection = raw_connect(source, key=key)
    try:
        version = user_version(connection)
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    finally:
        connection.close()
    if version > CATALOG_VERSION:
        raise AdvisorError(
            N_(
                "The backup was made by a newer version of Boussole and cannot be read by this one."
            ),
            N_("Update Boussole; nothing was changed."),
        )
    if version <= LAST_SINGLE_FILE_VERSION and "setting" in tables:
        state_without_index(source, target, key)
    else:
        online_backup(source, target, key=key)
        _drop_journals(target)
    if version < CATALOG_VERSION:
        _run_steps(target, version, key)


def _run_steps(path: Path, version: int, key: WorkspaceKey) -> None:
    missing = [step for step in range(version, CATALOG_VERSION) if step not in CATALOG_MIGRATIONS]
    if version < 1 or missing:
        raise AdvisorError(
            N_("The catalog file {name} has an unknown format ({version})."),
            N_("Nothing was changed; restore the workspace from a backup."),
            name=path.name,
            version=version,
        )
    connection = raw_connect(path, key=key)
    try:
        connection.execute("BEGIN EXCLUSIVE")
        try:
            for step in range(version, CATALOG_VERSION):
                CATALOG_MIGRATIONS[step](connection)
                connection.execute(f"PRAGMA user_version = {step + 1}")
            connection.execute(f"PRAGMA application_id = {STATE_APPLICATION_ID}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    finally:
        connection.close()


def _guarded(path: Path, work: Callable[[], None]) -> None:
    """Run a step of an upgrade; a database error becomes a sentence (a full disk or a
    read-only folder its own)."""
    try:
        work()
    except DATABASE_ERRORS as error:
        problem = disk_problem(error, path)
        if problem is not None:
            raise problem from error
        raise AdvisorError(
            N_(
                "The partners, outbox queue and settings of the workspace could not be "
                "upgraded ({reason}); nothing was changed."
            ),
            N_("Keep this version of Boussole closed and report the problem."),
            reason=str(error),
        ) from error
    except OSError as error:
        problem = disk_problem(error, path)
        if problem is not None:
            raise problem from error
        raise


def _copy_name(backup_dir: Path, version: int) -> Path:
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return unused_path(backup_dir, f"workspace-state.v{version}.{stamp}", ".sqlite")


def _drop_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _drop_journals(path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
