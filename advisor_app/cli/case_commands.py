"""Commands on one case: show, new-case, add-appointment, done-milestone, close, reopen."""

from __future__ import annotations

import argparse
import sys
from enum import Enum
from typing import TYPE_CHECKING, Any

from advisor_app.cli.commands import add_command
from advisor_app.cli.common import (
    EXIT_OK,
    CommandContext,
    date_argument,
    datetime_argument,
    print_json,
)
from advisor_app.cli.values import text_or_file
from advisor_app.domain.enums import AppointmentMode, AppointmentStatus, Outcome
from advisor_app.i18n import _, format_date, format_datetime, format_duration, format_money, label

if TYPE_CHECKING:
    from advisor_app.services.views import CaseDetail


def register(subparsers: Any) -> None:
    show = add_command(subparsers, "show")
    show.add_argument("case_id")
    show.add_argument("--json", action="store_true", help=_("print JSON"))
    show.set_defaults(handler=run_show)

    new = add_command(subparsers, "new-case")
    new.add_argument("--first-name", required=True)
    new.add_argument("--last-name", required=True)
    new.add_argument("--birth-date", default=None)
    new.add_argument("--email", default="")
    new.add_argument("--project", default="", help=_("title of the project"))
    new.add_argument("--commune", default="")
    new.add_argument(
        "--opened-on", default=None, help=_("day of the first interview (default: today)")
    )
    new.set_defaults(handler=run_new_case)

    appointment = add_command(subparsers, "add-appointment")
    appointment.add_argument("case_id")
    appointment.add_argument(
        "--start", required=True, help=_("date and time, e.g. 2026-03-14T09:30")
    )
    appointment.add_argument("--minutes", type=int, required=True)
    appointment.add_argument("--mode", choices=[m.value for m in AppointmentMode], required=True)
    appointment.add_argument(
        "--status",
        choices=[s.value for s in AppointmentStatus],
        default=AppointmentStatus.PLANNED.value,
    )
    appointment.add_argument("--topic", default="")
    appointment.add_argument("--place", default="")
    appointment.add_argument("--programme", default="", help=_("programme it counts for"))
    appointment.add_argument(
        "--summary", default="", help=_("what was done (@FILE takes the text of a file)")
    )
    appointment.add_argument(
        "--next-actions", default="", help=_("what comes next (@FILE takes the text of a file)")
    )
    appointment.add_argument(
        "--not-counted",
        action="store_true",
        help=_("leave it out of the hours of the reports"),
    )
    appointment.set_defaults(handler=run_add_appointment)

    milestone = add_command(subparsers, "done-milestone")
    milestone.add_argument("case_id")
    milestone.add_argument("key", help=_("milestone key, e.g. diagnosis"))
    milestone.add_argument("--date", default=None)
    milestone.add_argument("--comment", default=None, help=_("a comment on the milestone"))
    milestone.set_defaults(handler=run_done_milestone)

    close = add_command(subparsers, "close")
    close.add_argument("case_id")
    close.add_argument("--outcome", choices=[o.value for o in Outcome], required=True)
    close.add_argument("--on", default=None, help=_("day it was closed (default: today)"))
    close.set_defaults(handler=run_close)

    reopen = add_command(subparsers, "reopen")
    reopen.add_argument("case_id")
    reopen.set_defaults(handler=run_reopen)


def run_new_case(context: CommandContext, options: argparse.Namespace) -> int:
    from advisor_app.services.cases import NewCase

    birth = date_argument(options.birth_date) if options.birth_date else None
    opened_on = date_argument(options.opened_on) if options.opened_on else None
    case_id, duplicates, _changes = context.services.cases.create(
        NewCase(
            first_name=options.first_name,
            last_name=options.last_name,
            birth_date=birth,
            email=options.email,
            project_title=options.project,
            commune=options.commune,
            opened_on=opened_on,
        )
    )
    for number, duplicate in enumerate(duplicates):
        # the new case is linked to the first (the most recently opened) only
        warning = (
            _(
                "Warning: {holder} already has a case ({case_id}, {reason}); "
                "the new case is linked to it."
            )
            if number == 0
            else _("Warning: {holder} may also have a case ({case_id}, {reason}).")
        )
        print(
            warning.format(
                holder=duplicate.holder, case_id=duplicate.case_id, reason=_(duplicate.reason)
            ),
            file=sys.stderr,
        )
    print(case_id)
    return EXIT_OK


def run_add_appointment(context: CommandContext, options: argparse.Namespace) -> int:
    from advisor_app.services.appointments import AppointmentDraft

    draft = AppointmentDraft(
        start=datetime_argument(options.start),
        minutes=options.minutes,
        mode=AppointmentMode(options.mode),
        status=AppointmentStatus(options.status),
        topic=options.topic,
        place=options.place,
        programme=options.programme,
        summary=text_or_file("summary", options.summary),
        next_actions=text_or_file("next_actions", options.next_actions),
        counts_in_reports=not options.not_counted,
    )
    appointment_id, _changes = context.case_services.appointments.add(options.case_id, draft)
    print(appointment_id)
    return EXIT_OK


def run_done_milestone(context: CommandContext, options: argparse.Namespace) -> int:
    done_on = date_argument(options.date) if options.date else None
    context.case_services.milestones.mark_done(options.case_id, options.key, done_on)
    if options.comment is not None:
        context.case_services.milestones.set_comment(options.case_id, options.key, options.comment)
    return EXIT_OK


def run_close(context: CommandContext, options: argparse.Namespace) -> int:
    closed_on = date_argument(options.on) if options.on else None
    context.case_services.cases.close(options.case_id, Outcome(options.outcome), closed_on)
    return EXIT_OK


def run_reopen(context: CommandContext, options: argparse.Namespace) -> int:
    context.case_services.cases.reopen(options.case_id)
    return EXIT_OK


def case_as_json(case: CaseDetail) -> dict[str, Any]:
    p, project = case.person, case.project
    return {
        "case_id": case.case_id,
        "revision": case.revision,
        "status": case.status.value,
        "outcome": case.outcome.value if case.outcome else None,
        "opened_on": case.opened_on,
        "closed_on": case.closed_on,
        "advisor": case.advisor,
        "previous_case_id": case.previous_case_id,
        "person": _plain(p.__dict__),
        "project": _plain(project.__dict__),
        "done_minutes": case.done_minutes,
        "appointments": [
            {**a.__dict__, "mode": a.mode.value, "status": a.status.value}
            for a in case.appointments
        ],
        "milestones": [dict(m.__dict__) for m in case.milestones],
        "funding": [
            {**f.__dict__, "kind": f.kind.value, "decision": f.decision.value} for f in case.funding
        ],
        "financing_plan": {
            "needs": [{"label": n.label, "amount_cents": n.amount_cents} for n in case.plan.needs],
            "resources": [
                {"label": r.label, "amount_cents": r.amount_cents} for r in case.plan.resources
            ],
            "total_needs_cents": case.plan.total_needs,
            "total_resources_cents": case.plan.total_resources,
            "balanced": case.plan.is_balanced,
        },
        "notes": [dict(n.__dict__) for n in case.notes],
        "attachments": [dict(a.__dict__) for a in case.attachments],
        "consents": [dict(c.__dict__) for c in case.consents],
    }


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """A view's fields as `edit` takes them back: closed lists by their key."""
    return {k: (v.value if isinstance(v, Enum) else v) for k, v in values.items()}


def run_show(context: CommandContext, options: argparse.Namespace) -> int:
    case = context.services.cases.get(options.case_id)
    if options.json:
        print_json(case_as_json(case))
        return EXIT_OK
    p = case.person
    print(f"{p.display_name}  ({label(case.status)})")
    print(f"  {_('Project')}: {case.project.title}")
    print(f"  {_('Commune')}: {p.commune} {p.postcode}".rstrip())
    print(f"  {_('Opened on')}: {format_date(case.opened_on)}")
    print(f"  {_('Hours of accompaniment')}: {format_duration(case.done_minutes)}")
    print(_("Pathway"))
    for m in case.milestones:
        state = format_date(m.done_on) if m.done_on else (_("late") if m.late else "")
        print(
            f"  [{'x' if m.done_on else ' '}] {_(m.label):<36} {format_date(m.target_on):<14} {state}"
        )
    print(_("Appointments"))
    for a in case.appointments:
        print(
            f"  {format_datetime(a.start)}  {format_duration(a.minutes):>7}  {label(a.mode):<14} "
            f"{label(a.status):<10} {a.topic}"
        )
    if case.funding:
        print(_("Funding requests"))
        for f in case.funding:
            print(
                f"  {f.funder:<30} {label(f.kind):<16} {format_money(f.amount_asked_cents):>14} {label(f.decision)}"
            )
    return EXIT_OK
