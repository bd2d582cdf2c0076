"""Team mode: `advisor-app team create|join|members|remove-member|rekey|share|unshare|
handover|sync|status`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from advisor_app.cli.commands import add_command
from advisor_app.cli.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    CommandContext,
    print_json,
    read_secret_file,
)
from advisor_app.domain.messages import N_
from advisor_app.i18n import _, format_datetime, ngettext
from advisor_app.services.team import SyncReport, TeamPlace


def register(subparsers: Any) -> None:
    team = add_command(subparsers, "team")
    actions = team.add_subparsers(dest="team_action", metavar=_("ACTION"), required=True)

    create = actions.add_parser("create", help=_("create a team and its team folder"))
    create.add_argument("--name", required=True, metavar=_("NAME"), help=_("the team's name"))
    _member_and_place(create)
    create.set_defaults(handler=run_create)

    join = actions.add_parser("join", help=_("join your association's team"))
    _member_and_place(join)
    join.set_defaults(handler=run_join)

    members = actions.add_parser("members", help=_("the members of the team"))
    members.add_argument("--json", action="store_true", help=_("print JSON"))
    members.set_defaults(handler=run_members)

    remove = actions.add_parser("remove-member", help=_("stop taking in a member's changes"))
    remove.add_argument("name", metavar=_("NAME"))
    remove.set_defaults(handler=run_remove_member)

    rekey = actions.add_parser("rekey", help=_("take the new team passphrase agreed in person"))
    _passphrase_file(rekey)
    _password_file(rekey)
    rekey.set_defaults(handler=run_rekey)

    for name, help_text, handler in (
        ("share", N_("share a case with the team"), run_share),
        ("unshare", N_("stop sharing a case (the others' copies are removed)"), run_unshare),
    ):
        command = actions.add_parser(name, help=_(help_text))
        command.add_argument("case_id")
        command.set_defaults(handler=handler)

    handover = actions.add_parser("handover", help=_("make another member the case's lead advisor"))
    handover.add_argument("case_id")
    handover.add_argument("--to", required=True, metavar=_("ADVISOR"), help=_("a member's name"))
    handover.set_defaults(handler=run_handover)

    sync = actions.add_parser("sync", help=_("take in the team's changes and send yours"))
    _password_file(sync)
    sync.add_argument(
        "--snapshots",
        action="store_true",
        help=_("also publish the snapshots of the shared cases now (a newcomer starts there)"),
    )
    sync.add_argument("--json", action="store_true", help=_("print JSON"))
    sync.set_defaults(handler=run_sync)

    status = actions.add_parser("status", help=_("the team, its members and what is waiting"))
    status.add_argument("--json", action="store_true", help=_("print JSON"))
    status.set_defaults(handler=run_status)


def _member_and_place(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--as", dest="member", required=True, metavar=_("ADVISOR"), help=_("your name in the team")
    )
    where = command.add_mutually_exclusive_group(required=True)
    where.add_argument("--webdav", metavar="URL", help=_("the team folder on a WebDAV share"))
    where.add_argument("--folder", type=Path, help=_("the team folder in a synced folder"))
    command.add_argument("--user", default="", help=_("user name on the WebDAV share"))
    _password_file(command)
    _passphrase_file(command)


def _passphrase_file(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--team-passphrase-file",
        type=Path,
        required=True,
        metavar=_("FILE"),
        help=_("file holding the team passphrase"),
    )


def _password_file(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--password-file",
        type=Path,
        default=None,
        metavar=_("FILE"),
        help=_("file holding the WebDAV password"),
    )


def _place(options: argparse.Namespace) -> TeamPlace:
    if options.folder is not None:
        return TeamPlace("folder", str(options.folder.absolute()))
    return TeamPlace("webdav", options.webdav, options.user)


def _password(options: argparse.Namespace) -> str | None:
    if options.password_file is None:
        return None
    return read_secret_file(
        options.password_file, N_("The password file {path} cannot be read: {reason}.")
    )


def _passphrase(options: argparse.Namespace) -> str:
    return read_secret_file(
        options.team_passphrase_file, N_("The passphrase file {path} cannot be read: {reason}.")
    )


def run_create(context: CommandContext, options: argparse.Namespace) -> int:
    team = context.services.team
    team.create(
        options.name, options.member, _place(options), _passphrase(options), _password(options)
    )
    print(
        _(
            "Team {name} created; you are {member}. Give the passphrase in person to each "
            "advisor who joins."
        ).format(name=options.name, member=options.member)
    )
    return EXIT_OK


def run_join(context: CommandContext, options: argparse.Namespace) -> int:
    report = context.services.team.join(
        options.member, _place(options), _passphrase(options), _password(options)
    )
    print(_("You joined the team as {member}.").format(member=options.member))
    return _said(report)


def run_members(context: CommandContext, options: argparse.Namespace) -> int:
    members = context.services.team.members()
    if options.json:
        print_json(
            [
                {"name": m.name, "id": m.member_id, "removed": m.removed, "you": m.me}
                for m in members
            ]
        )
        return EXIT_OK
    for member in members:
        marks = [_("you")] if member.me else []
        if member.removed:
            marks.append(_("removed"))
        print(member.name + (f" ({', '.join(marks)})" if marks else ""))
    return EXIT_OK


def run_remove_member(context: CommandContext, options: argparse.Namespace) -> int:
    context.services.team.remove_member(options.name)
    print(
        _(
            "{name} is removed from the team: their changes are no longer taken in. Agree a new "
            "passphrase in person and run `team rekey` on every remaining workspace. Their "
            "access to the server is for the association to revoke there."
        ).format(name=options.name)
    )
    return EXIT_OK


def run_rekey(context: CommandContext, options: argparse.Namespace) -> int:
    generation = context.services.team.rekey(_passphrase(options), _password(options))
    print(
        _(
            "The team's key is now of generation {generation}: what you send from now on is "
            "sealed with it. A removed member's access to the server is for the association "
            "to revoke there."
        ).format(generation=generation)
    )
    return EXIT_OK


def run_share(context: CommandContext, options: argparse.Namespace) -> int:
    context.services.team.share(options.case_id)
    print(_("The case is shared with the team; it leaves at the next sync."))
    return EXIT_OK


def run_unshare(context: CommandContext, options: argparse.Namespace) -> int:
    context.services.team.unshare(options.case_id)
    print(_("The case is no longer shared; the others' copies are removed at their next sync."))
    return EXIT_OK


def run_handover(context: CommandContext, options: argparse.Namespace) -> int:
    context.services.team.handover(options.case_id, options.to)
    print(_("{name} is now the lead advisor of the case.").format(name=options.to))
    return EXIT_OK


def run_sync(context: CommandContext, options: argparse.Namespace) -> int:
    report = context.services.team.sync(
        password=_password(options), snapshots=True if options.snapshots else None
    )
    if options.json:
        print_json(report.as_json())
        return EXIT_OK if not report.refused else EXIT_PROBLEM
    return _said(report)


def _said(report: SyncReport) -> int:
    print(
        ngettext(
            "{count} batch taken in ({changes} changes, {cases} cases);",
            "{count} batches taken in ({changes} changes, {cases} cases);",
            report.batches_in,
        ).format(count=report.batches_in, changes=report.changes_in, cases=len(report.cases_in))
        + " "
        + ngettext("{count} batch sent.", "{count} batches sent.", report.batches_out).format(
            count=report.batches_out
        )
    )
    if report.cases_removed:
        print(
            ngettext(
                "{count} case removed (erased or no longer shared).",
                "{count} cases removed (erased or no longer shared).",
                len(report.cases_removed),
            ).format(count=len(report.cases_removed))
        )
    if report.key_missing:
        print(
            _("A member has changed the team passphrase: run `team rekey` with the new one."),
            file=sys.stderr,
        )
    for refusal in report.refused:
        print(_("Refused: {what}").format(what=refusal), file=sys.stderr)
    return EXIT_OK if not (report.refused or report.key_missing) else EXIT_PROBLEM


def run_status(context: CommandContext, options: argparse.Namespace) -> int:
    status = context.services.team.status()
    if status is None:
        if options.json:
            print_json({"team": None})
        else:
            print(_("This workspace belongs to no team."))
        return EXIT_OK
    if options.json:
        print_json(
            {
                "team": status.name,
                "you": status.member_name,
                "folder": status.destination,
                "key_generation": status.generation,
                "members": [
                    {"name": m.name, "removed": m.removed, "you": m.me} for m in status.members
                ],
                "shared_cases": status.shared_cases,
                "waiting": status.waiting_cases + status.waiting_batches,
                "last_sync_at": status.last_sync_at,
                "last_sync": status.last_sync,
            }
        )
        return EXIT_OK
    print(_("Team {name}, you are {member}.").format(name=status.name, member=status.member_name))
    print(_("Team folder: {folder}").format(folder=status.destination))
    print(
        _("Members: {names}").format(
            names=", ".join(m.name for m in status.members if not m.removed)
        )
    )
    print(_("Shared cases: {count}").format(count=status.shared_cases))
    last = format_datetime(status.last_sync_at) if status.last_sync_at else _("never")
    print(_("Last sync: {when}").format(when=last))
    print(
        _("Waiting to leave: {count}").format(count=status.waiting_cases + status.waiting_batches)
    )
    return EXIT_OK
