"""Commands over the whole workspace: demo, list, agenda, check, rebuild-index."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from advisor_app.cli.commands import add_command
from advisor_app.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    CommandContext,
    add_scope_argument,
    date_argument,
    print_json,
)
from advisor_app.domain.enums import CaseScope, CaseStatus
from advisor_app.i18n import (
    _,
    describe,
    format_date,
    format_datetime,
    format_duration,
    label,
    ngettext,
)

if TYPE_CHECKING:
    from advisor_app.services import Progress

# A demo case takes some hundredths of a second: 10,000 take minutes already, and more would
# look like a command that never ends.
MAX_DEMO_CASES = 10_000


def register(subparsers: Any) -> None:
    demo = add_command(subparsers, "demo")
    demo.add_argument("--cases", type=int, default=50, help=_("number of cases"))
    demo.add_argument("--seed", type=int, default=1, help=_("seed, for the same data every time"))
    demo.set_defaults(handler=run_demo)

    listing = add_command(subparsers, "list")
    listing.add_argument("--search", default="", help=_("words to look for"))
    listing.add_argument("--status", choices=[s.value for s in CaseStatus], default=None)
    listing.add_argument("--late", action="store_true", help=_("only cases with late milestones"))
    add_scope_argument(listing, CaseScope.ALL)
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.set_defaults(handler=run_list)

    agenda = add_command(subparsers, "agenda")
    agenda.add_argument("--from", dest="first", required=True, help=_("first day"))
    agenda.add_argument("--to", dest="last", required=True, help=_("last day"))
    add_scope_argument(agenda, CaseScope.ALL)
    agenda.add_argument("--json", action="store_true", help=_("print JSON"))
    agenda.set_defaults(handler=run_agenda)

    check = add_command(subparsers, "check")
    check.add_argument("--json", action="store_true", help=_("print JSON"))
    check.set_defaults(handler=run_check)

    rebuild = add_command(subparsers, "rebuild-index")
    rebuild.set_defaults(handler=run_rebuild)


def _progress(step: Progress) -> None:
    if sys.stderr.isatty() and step.total:
        print(f"\r{step.done}/{step.total}", end="", file=sys.stderr, flush=True)


def run_demo(context: CommandContext, options: argparse.Namespace) -> int:
    from advisor_app.services.demo import generate_demo

    if options.cases < 1:
        print(_("The number of cases must be at least 1."), file=sys.stderr)
        return EXIT_PROBLEM
    if options.cases > MAX_DEMO_CASES:
        print(
            _("The demo makes at most {count} cases.").format(count=MAX_DEMO_CASES),
            file=sys.stderr,
        )
        return EXIT_PROBLEM
    for step in generate_demo(context.services, options.cases, options.seed):
        _progress(step)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(
        _("{count} demo cases created in {path}.").format(
            count=options.cases, path=context.workspace_path
        )
    )
    return EXIT_OK


def run_list(context: CommandContext, options: argparse.Namespace) -> int:
    from advisor_app.services.search import CaseFilter, damage_error

    status = CaseStatus(options.status) if options.status else None
    rows = context.services.search.cases(
        CaseFilter(
            text=options.search,
            status=status,
            late_only=options.late,
            scope=CaseScope(options.scope),
        )
    )
    if options.json:
        print_json(
            [
                {
                    "case_id": r.case_id,
                    "first_name": r.first_name,
                    "last_name": r.last_name,
                    "project": r.project_title,
                    "commune": r.commune,
                    "status": r.status.value,
                    "stage": r.stage,
                    "next_appointment": r.next_appointment,
                    "last_contact": r.last_contact,
                    "done_minutes": r.done_minutes,
                    "late_milestones": r.late_milestones,
                    "damaged": describe(damage_error(r.damaged)) if r.damaged else None,
                    "advisor": r.advisor,
                    "shared": r.shared,
                }
                for r in rows
            ]
        )
        return EXIT_OK
    unnamed = _("shared")  # a shared case whose référent is not named
    for r in rows:
        if r.damaged:
            print(f"{r.case_id}  {_('DAMAGED')}: {describe(damage_error(r.damaged))}")
            continue
        # a case shared with the team ends with its référent
        team = f"  [{r.advisor or unnamed}]" if r.shared else ""
        print(
            f"{r.case_id}  {r.display_name:<32} {r.project_title[:40]:<40} "
            f"{r.commune[:24]:<24} {label(r.status):<8} {format_duration(r.done_minutes)}{team}"
        )
    print(
        ngettext("{count} case", "{count} cases", len(rows)).format(count=len(rows)),
        file=sys.stderr,
    )
    return EXIT_OK


def run_agenda(context: CommandContext, options: argparse.Namespace) -> int:
    first, last = date_argument(options.first), date_argument(options.last)
    items = context.services.agenda.between(first, last, CaseScope(options.scope))
    if options.json:
        print_json(
            [
                {
                    "appointment_id": i.appointment_id,
                    "case_id": i.case_id,
                    "holder": i.holder,
                    "start": i.start,
                    "minutes": i.minutes,
                    "mode": i.mode.value,
                    "status": i.status.value,
                    "topic": i.topic,
                    "conflict": i.conflict,
                    "advisor": i.advisor,
                }
                for i in items
            ]
        )
        return EXIT_OK
    for i in items:
        flag = " !" if i.conflict else ""
        print(
            f"{format_datetime(i.start)}  {format_duration(i.minutes):>7}  {i.holder:<30} "
            f"{label(i.mode):<14} {label(i.status):<10} {i.topic}{flag}"
        )
    print(
        _("{count} appointments from {first} to {last}").format(
            count=len(items), first=format_date(first), last=format_date(last)
        ),
        file=sys.stderr,
    )
    return EXIT_OK


def run_check(context: CommandContext, options: argparse.Namespace) -> int:
    from advisor_app.services.maintenance import CheckReport

    report: CheckReport | None = None
    for step in context.services.maintenance.check():
        if isinstance(step, CheckReport):
            report = step
        else:
            _progress(step)
    assert report is not None
    if options.json:
        print_json(
            {
                "ok": report.ok,
                "cases_checked": report.cases_checked,
                "problems": [
                    {"case_id": case_id, "message": describe(error)}
                    for case_id, error in report.problems
                ],
                "notices": [describe(notice) for notice in report.notices],
            }
        )
    else:
        for case_id, error in report.problems:
            print(f"{case_id or '-'}: {describe(error)}", file=sys.stderr)
        for notice in report.notices:
            print(describe(notice), file=sys.stderr)
        if report.ok:
            print(
                _("Everything is in order: {count} case files checked.").format(
                    count=report.cases_checked
                )
            )
    return EXIT_OK if report.ok else EXIT_PROBLEM


def run_rebuild(context: CommandContext, options: argparse.Namespace) -> int:
    for step in context.services.maintenance.rebuild_index():
        _progress(step)
    print(_("The catalog was rebuilt from the case files."))
    return EXIT_OK
