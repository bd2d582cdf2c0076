"""Names, versions and ids of the workspace's files, without any database library.

Opening a workspace and reading its catalog in plain SQL (the holders list, the command
line's reads) need these and nothing of SQLAlchemy: the model modules import them from here.
"""

from __future__ import annotations

import os
from pathlib import Path

# -- case files ------------------------------------------------------------------------

APPLICATION_ID = 0x424F5553  # "BOUS": a case file
CASE_SUFFIX = ".case"

# -- the catalog -----------------------------------------------------------------------

CATALOG_NAME = "workspace.sqlite"
STATE_NAME = "workspace-state.sqlite"
# The state's version: CATALOG_MIGRATIONS (storage/catalog_migrations.py) bring an older
# state up to it. 1: settings and audit log; 2: partner, outbox, send_journal; 5: in a file
# of its own (versions 1 to 4 kept everything in workspace.sqlite); 6: spreadsheet imports;
# 7: team mode.
CATALOG_VERSION = 7
# The index's version: a change drops the derived tables, which the case files refill.
# 3: dates kept for the list; 4: index columns; 5: the state moved out; 6: minutes per case
# and month for the dashboard (filled from agenda_entry on upgrade, see catalog.py); 7:
# whether a case is shared with the team (added in place: no case was shared before).
INDEX_VERSION = 7
# The last version of the catalog in a single file (the state beside the index).
LAST_SINGLE_FILE_VERSION = 4
CATALOG_APPLICATION_ID = 0x424F5557  # "BOUW": the index (and, up to version 4, everything)
STATE_APPLICATION_ID = 0x424F5545  # "BOUE": the state ("état")
STATE_SCHEMA = "state"  # the name the state file is attached under

# Tables refilled from the case files, in the index file.
DERIVED_TABLES: tuple[str, ...] = (
    "month_minutes",
    "agenda_entry",
    "milestone_index",
    "funding_index",
    "search_index",
    "case_index",
)
# Tables nothing else holds, in the state file.
STATE_TABLES: tuple[str, ...] = (
    "setting",
    "audit_log",
    "partner",
    "outbox",
    "send_journal",
    "state_loss",
    "import_batch",
    "import_item",
    "team",
    "team_key",
    "team_member",
    "team_gone",
    "team_event",
    "team_dirty",
    "team_snapshot",
    "team_pending",
)
# The key of the digests that let an import recognise the rows it wrote (beside the state).
DIGEST_KEY_NAME = "import-digest.key"


def file_signature(path: Path) -> tuple[int, int, int]:
    """(mtime_ns, size, wal size): changes whenever the file's content may have changed."""
    stat = path.stat()
    try:
        wal = os.stat(f"{path}-wal").st_size
    except FileNotFoundError:
        wal = 0
    return stat.st_mtime_ns, stat.st_size, wal
