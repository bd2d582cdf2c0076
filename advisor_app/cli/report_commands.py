"""`report KIND ...`: print a PDF report; the subcommands follow the reports' registry."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from advisor_app.cli.common import EXIT_OK, CommandContext, date_argument
from advisor_app.i18n import _
from advisor_app.services.reports import REPORT_KINDS, ReportRequest, ReportService


def register(subparsers: Any) -> None:
    report = subparsers.add_parser("report", help=_("print a PDF report"))
    kinds = report.add_subparsers(dest="report_kind", metavar=_("REPORT"), required=True)
    for kind in REPORT_KINDS:
        parser = kinds.add_parser(kind.key, help=_(kind.description))
        if kind.needs_case:
            parser.add_argument("case_id")
        if kind.needs_period:
            parser.add_argument("--from", dest="first", required=True, help=_("first day"))
            parser.add_argument("--to", dest="last", required=True, help=_("last day"))
        if kind.can_choose_funding:
            parser.add_argument("--funding", default=None, help=_("id of the funding request"))
        if kind.can_protect:
            parser.add_argument("--password", default=None, help=_("protect the file with it"))
        parser.add_argument("-o", "--output", type=Path, required=True, help=_("PDF file to write"))
        parser.add_argument(
            "--lang", choices=["fr", "en"], default=None, help=_("language of the report")
        )
        parser.set_defaults(handler=run_report)


def run_report(context: CommandContext, options: argparse.Namespace) -> int:
    request = ReportRequest(
        kind=options.report_kind,
        case_id=getattr(options, "case_id", None),
        first=date_argument(options.first) if getattr(options, "first", None) else None,
        last=date_argument(options.last) if getattr(options, "last", None) else None,
        funding_id=getattr(options, "funding", None),
        password=getattr(options, "password", None),
        language=options.lang,
    )
    path = ReportService(context.services).render(request, options.output.resolve())
    print(path)
    return EXIT_OK
