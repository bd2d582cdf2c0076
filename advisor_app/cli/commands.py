"""The commands of the command line, by name: the module that registers and runs each one,
and the line that `advisor-app --help` says of it.

`--help` and a mistyped command read this table only; a command imports its own module (and
that module the services it uses) when it is the one typed, so that `advisor-app --help` or
`advisor-app list` never load the reports, the exchange or the spreadsheets.
"""

from __future__ import annotations

from typing import Any

from advisor_app.domain.messages import N_
from advisor_app.i18n import _

# name → (module of advisor_app.cli, help): in the order `--help` lists them.
COMMANDS: dict[str, tuple[str, str]] = {
    # workspace_commands.py
    "demo": ("workspace_commands", N_("fill the workspace with realistic demo cases")),
    "list": ("workspace_commands", N_("list the project holders")),
    "agenda": ("workspace_commands", N_("appointments of all cases over a period")),
    "check": ("workspace_commands", N_("check the catalog and every case file")),
    "rebuild-index": ("workspace_commands", N_("rebuild the catalog from the case files")),
    # case_commands.py
    "show": ("case_commands", N_("show one case")),
    "new-case": ("case_commands", N_("open a case for a new project holder")),
    "add-appointment": ("case_commands", N_("record an appointment")),
    "done-milestone": ("case_commands", N_("mark a milestone of the pathway done")),
    "close": ("case_commands", N_("close a case with its outcome")),
    "reopen": ("case_commands", N_("reopen a closed case")),
    # edit_commands.py
    "edit": ("edit_commands", N_("set fields of a case's person and project")),
    "note": ("edit_commands", N_("notes of a case")),
    "plan": ("edit_commands", N_("financing plan and forecast of a case")),
    "funding": ("edit_commands", N_("funding requests of a case")),
    # report_commands.py
    "report": ("report_commands", N_("print a PDF report")),
    # exchange_commands.py
    "partner": ("exchange_commands", N_("partners who receive packages")),
    "consent": (
        "exchange_commands",
        N_("record or withdraw a person's consent to share with a partner"),
    ),
    "export": ("exchange_commands", N_("queue a case's package for a partner")),
    "outbox": ("exchange_commands", N_("packages waiting or sent")),
    "sync": ("exchange_commands", N_("send the packages of the outbox")),
    "import": ("exchange_commands", N_("import a package from another advisor")),
    "ics": ("exchange_commands", N_("write planned appointments as an iCalendar file")),
    # trust_commands.py
    "backup": ("trust_commands", N_("back the workspace up now")),
    "backups": ("trust_commands", N_("list the backups of the workspace")),
    "restore": (
        "trust_commands",
        N_("restore a backup, or one case of it (the present is backed up first)"),
    ),
    "quarantine": ("trust_commands", N_("list the damaged case files kept aside")),
    "consent-processing": (
        "trust_commands",
        N_("record the person's consent to the processing of their data"),
    ),
    "access-export": (
        "trust_commands",
        N_("everything held about a person: PDF, JSON and attachments"),
    ),
    "erase": ("trust_commands", N_("erase a case everywhere in the workspace, backups included")),
    "retention": ("trust_commands", N_("closed cases past the retention period")),
    "anonymise": (
        "trust_commands",
        N_("remove identity and free texts, keep figures for statistics"),
    ),
    "encrypt": ("trust_commands", N_("encrypt the workspace and its backups with a passphrase")),
    "change-passphrase": (
        "trust_commands",
        N_("re-key every file of the workspace with a new passphrase"),
    ),
    "decrypt": (
        "trust_commands",
        N_("remove the encryption of the workspace (plain SQLite files)"),
    ),
    # team_commands.py
    "team": ("team_commands", N_("share cases with the advisors of your association")),
    # settings_commands.py
    "settings": ("settings_commands", N_("settings of the workspace")),
    # sheet_commands.py
    "import-sheet": (
        "sheet_commands",
        N_("import the people (and their appointments) of a spreadsheet"),
    ),
    "export-sheet": (
        "sheet_commands",
        N_("write the list of cases as a spreadsheet (.xlsx or .csv)"),
    ),
}

# The modules, in the order of the table.
MODULES: tuple[str, ...] = tuple(dict.fromkeys(module for module, _help in COMMANDS.values()))


def add_command(subparsers: Any, name: str, **details: Any) -> Any:
    """Register the command `name` under `subparsers`, with its line of help from the table."""
    return subparsers.add_parser(name, help=_(COMMANDS[name][1]), **details)
