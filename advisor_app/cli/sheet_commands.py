"""Spreadsheets: `import-sheet` (the trackers kept before Boussole, and the undoing of an
import) and `export-sheet` (the list of cases for a funder's spreadsheet)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from advisor_app.cli.commands import add_command
from advisor_app.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    EXIT_USAGE,
    CommandContext,
    output_file,
    print_json,
    regular_file,
)
from advisor_app.i18n import _, format_datetime, ngettext
from advisor_app.services.sheet_import import ImportBatch, ImportPlan, PlannedCase, Refusal

# -- import-sheet --------------------------------------------------------------------------


def register_import(subparsers: Any) -> None:
    command = add_command(
        subparsers,
        "import-sheet",
        description=_(
            "Import a spreadsheet (CSV, xlsx, xls or ods): one case per person, people "
            "already in Boussole updated rather than duplicated; the header row is found "
            "and the columns mapped automatically unless told. --dry-run shows what would "
            "be done and changes nothing; every import can be undone with --undo."
        ),
    )
    command.add_argument("file", nargs="?", type=Path, metavar=_("FILE"))
    command.add_argument("--sheet", metavar=_("NAME"), help=_("the sheet of the people"))
    command.add_argument(
        "--header-row",
        type=_row_number,
        metavar="N",
        help=_("the row of the column names, as the spreadsheet numbers it"),
    )
    command.add_argument(
        "--mapping",
        type=Path,
        metavar=_("FILE.json"),
        help=_("a column mapping saved by the import in the desktop"),
    )
    appointments = command.add_mutually_exclusive_group()
    appointments.add_argument(
        "--appointments-sheet", metavar=_("NAME"), help=_("the sheet of the appointments")
    )
    appointments.add_argument(
        "--appointments-file",
        type=Path,
        metavar=_("FILE"),
        help=_("a second file holding the appointments"),
    )
    command.add_argument(
        "--dry-run", action="store_true", help=_("show what would be done; change nothing")
    )
    command.add_argument("--json", action="store_true", help=_("print JSON"))
    command.add_argument(
        "--undo", metavar=_("IMPORT"), help=_("undo an import, by the number it was given")
    )
    command.add_argument("--list", action="store_true", help=_("list the past imports"))
    command.set_defaults(handler=run_import_sheet)


def _row_number(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(_("a row number is 1 or more: {value}").format(value=text))
    return number


def run_import_sheet(context: CommandContext, options: argparse.Namespace) -> int:
    if options.undo is not None:
        return _undo(context, options)
    if options.list:
        return _list(context, options)
    if options.file is None:
        print(_("Name the spreadsheet to import, or give --undo or --list."), file=sys.stderr)
        return EXIT_USAGE
    for path in (options.file, options.mapping, options.appointments_file):
        if path is not None:
            regular_file(path)
    if options.dry_run:  # changes no byte of the workspace: today's backup waits
        context.daily_backup = False
    importer = context.services.sheet_import
    records = importer.read_file(
        options.file,
        sheet=options.sheet,
        header_row=options.header_row,
        mapping=options.mapping,
        appointments_sheet=options.appointments_sheet,
        appointments_file=options.appointments_file,
    )
    plan = importer.plan(records)
    batch = None
    if not options.dry_run and not plan.nothing_to_import:
        batch = importer.apply(plan, progress=_progress)
        if sys.stderr.isatty():
            print(file=sys.stderr)
    if options.json:
        print_json(_plan_json(plan, batch, dry_run=options.dry_run))
    else:
        _say_plan(plan, batch, dry_run=options.dry_run)
    return EXIT_PROBLEM if plan.nothing_to_import else EXIT_OK


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty() and total:
        print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)


def _say_plan(plan: ImportPlan, batch: ImportBatch | None, *, dry_run: bool) -> None:
    if plan.nothing_to_import:
        _say_lines(_("Refused:"), plan.refusals)
        print(_("Nothing could be imported from {name}.").format(name=plan.source))
        return
    if dry_run:
        print(_("Dry run of {name}: nothing was changed.").format(name=plan.source))
    print(
        _("{created}, {updated}, {unchanged}.").format(
            created=ngettext(
                "{count} case to create", "{count} cases to create", len(plan.created)
            ).format(count=len(plan.created)),
            updated=ngettext(
                "{count} case to update", "{count} cases to update", len(plan.updated)
            ).format(count=len(plan.updated)),
            unchanged=ngettext(
                "{count} person already up to date",
                "{count} people already up to date",
                plan.unchanged,
            ).format(count=plan.unchanged),
        )
    )
    print(
        _("To add: {appointments}, {notes}, {loans}.").format(
            appointments=ngettext(
                "{count} appointment", "{count} appointments", plan.appointments
            ).format(count=plan.appointments),
            notes=ngettext("{count} note", "{count} notes", plan.notes).format(count=plan.notes),
            loans=ngettext(
                "{count} honour loan request", "{count} honour loan requests", plan.honour_loans
            ).format(count=plan.honour_loans),
        )
    )
    _say_lines(_("Refused:"), plan.refusals)
    _say_lines(_("Kept as Boussole holds them:"), plan.conflicts)
    if batch is None:
        return
    if not batch.id:
        print(
            _("{name} adds nothing to what Boussole holds: nothing changed.").format(
                name=plan.source
            )
        )
        return
    for problem in batch.problems:
        print(problem)
    undo = _(
        "Imported {name} (import {batch}). To undo it: advisor-app import-sheet --undo {batch}"
    )
    print(undo.format(name=plan.source, batch=batch.id))


def _say_lines(title: str, lines: tuple[Refusal, ...]) -> None:
    if not lines:
        return
    print(title)
    for line in lines:
        where = _("row {row}, column “{column}”").format(row=line.row, column=line.column)
        if line.sheet:
            where = _("{sheet}, {where}").format(sheet=line.sheet, where=where)
        value = f" “{line.value}”" if line.value else ""
        print(f"  {where}{value}: {line.reason}")


def _plan_json(plan: ImportPlan, batch: ImportBatch | None, *, dry_run: bool) -> dict[str, Any]:
    return {
        "source": plan.source,
        "dry_run": dry_run,
        "imported": batch is not None and bool(batch.id),
        "batch": _batch_json(batch) if batch is not None and batch.id else None,
        "created": [_case_json(case) for case in plan.created],
        "updated": [_case_json(case) for case in plan.updated],
        "unchanged": plan.unchanged,
        "appointments": plan.appointments,
        "notes": plan.notes,
        "honour_loans": plan.honour_loans,
        "refused": [_line_json(line) for line in plan.refusals],
        "conflicts": [_line_json(line) for line in plan.conflicts],
    }


def _case_json(case: PlannedCase) -> dict[str, Any]:
    return {
        "rows": list(case.rows),
        "holder": case.holder,
        "case_id": case.case_id,
        "person": dict(case.person),
        "project": dict(case.project),
        "opened_on": case.opened_on,
        "welcome_done_on": case.welcome_done_on,
        "appointments": len(case.appointments),
        "notes": len(case.notes),
        "honour_loan_cents": case.honour_loan_cents,
    }


def _line_json(line: Refusal) -> dict[str, Any]:
    return {
        "sheet": line.sheet,
        "row": line.row,
        "column": line.column,
        "value": line.value,
        "reason": line.reason,
    }


def _batch_json(batch: ImportBatch) -> dict[str, Any]:
    return {
        "id": batch.id,
        "created_at": batch.created_at,
        "source": batch.source,
        "state": batch.state,
        "backup": batch.backup,
        "cases_created": batch.cases_created,
        "cases_updated": batch.cases_updated,
        "undone_at": batch.undone_at,
        "problems": list(batch.problems),
    }


def _undo(context: CommandContext, options: argparse.Namespace) -> int:
    importer = context.services.sheet_import
    importer.undo(options.undo)
    [batch] = [b for b in importer.batches() if b.id == options.undo]
    if options.json:
        print_json(_batch_json(batch))
    else:
        print(
            _("The import {batch} of {name} was undone.").format(batch=batch.id, name=batch.source)
        )
    return EXIT_OK


def _list(context: CommandContext, options: argparse.Namespace) -> int:
    batches = context.services.sheet_import.batches()
    if options.json:
        print_json([_batch_json(batch) for batch in batches])
        return EXIT_OK
    states = {
        "done": _("imported"),
        "cancelled": _("stopped before its end"),
        "running": _("not finished"),
        "undone": _("undone"),
    }
    for batch in batches:
        print(
            "  ".join(
                (
                    format_datetime(batch.created_at),
                    batch.id,
                    batch.source,
                    _("{created} created, {updated} updated").format(
                        created=batch.cases_created, updated=batch.cases_updated
                    ),
                    states.get(batch.state, batch.state),
                )
            )
        )
    if not batches:
        print(_("No spreadsheet was imported into this workspace."))
    return EXIT_OK


# -- export-sheet (helper "sheetread") ---------------------------------------------------


def register_export(subparsers: Any) -> None:
    command = add_command(
        subparsers,
        "export-sheet",
        description=_(
            "Write the list of cases with their main fields, hours of accompaniment and "
            "honour loans, for a funder's spreadsheet: .xlsx, or .csv (UTF-8, semicolons) "
            "as French Excel opens it."
        ),
    )
    command.add_argument(
        "-o", "--output", type=Path, required=True, metavar=_("FILE"), help=_("file to write")
    )
    command.add_argument(
        "--include-binned", action="store_true", help=_("include the cases in the bin")
    )
    command.set_defaults(handler=run_export_sheet)


def run_export_sheet(context: CommandContext, options: argparse.Namespace) -> int:
    path = output_file(options.output)
    count = context.services.sheet_export.write(path, include_binned=options.include_binned)
    print(
        ngettext(
            "{count} case written to {path}.", "{count} cases written to {path}.", count
        ).format(count=count, path=path)
    )
    return EXIT_OK


def register(subparsers: Any) -> None:
    register_import(subparsers)
    register_export(subparsers)
