"""Committee file: the project as a funder's committee reads it, for one funding request."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from reportlab.lib.units import cm  # type: ignore[import-untyped]

from advisor_app.domain.activity import age_on
from advisor_app.domain.financing import FORECAST_ITEMS, FinancingLine, FinancingPlan, ForecastYear
from advisor_app.domain.messages import N_
from advisor_app.i18n import _, format_date, format_money, label, using_language
from advisor_app.reports.document import (
    CONTENT_WIDTH,
    INK,
    RULE,
    Flowable,
    Styles,
    data_table,
    empty_note,
    facts_table,
    gap,
    heading,
    long_text,
    para,
    title_block,
    write_pdf,
)
from advisor_app.reports.sources import CaseSource, FundingSource, PageFrame

FORECAST_LABELS: dict[str, str] = {
    "turnover": N_("Turnover"),
    "purchases": N_("Purchases"),
    "external_charges": N_("External charges"),
    "taxes": N_("Taxes and duties"),
    "salaries": N_("Salaries"),
    "owner_pay": N_("Holder's pay"),
    "social_charges": N_("Social charges"),
    "depreciation": N_("Depreciation"),
    "loan_interest": N_("Loan interest"),
}


def write_committee_file(
    case: CaseSource,
    path: Path,
    frame: PageFrame,
    funding_id: str | None = None,
    password: str | None = None,
) -> Path:
    with using_language(frame.language):
        request = chosen_request(case.funding, funding_id)
        story = committee_story(case, request, frame, Styles())
        title = f"{_('Committee file')} – {case.person.display_name}"
        return write_pdf(path, story, frame, title, password=password)


def chosen_request(
    requests: Sequence[FundingSource], funding_id: str | None
) -> FundingSource | None:
    """The request named, else the first pending one, else the last one (None if none)."""
    if funding_id is not None:
        return next((f for f in requests if f.id == funding_id), None)
    pending = [f for f in requests if f.decision.value == "pending"]
    if pending:
        return pending[0]
    return requests[-1] if requests else None


def committee_story(
    case: CaseSource, request: FundingSource | None, frame: PageFrame, styles: Styles
) -> list[Flowable]:
    person, project = case.person, case.project
    funder = request.funder if request else _("not provided")
    story: list[Flowable] = title_block(
        _("Committee file"),
        f"{person.display_name} – {project.title.strip() or _('not provided')} – {funder}",
        styles,
    )
    story.append(heading(_("Project summary"), styles))
    story.append(
        facts_table(
            [
                (_("Project"), project.title),
                (_("Sector"), project.sector),
                (_("Legal form"), project.legal_form),
                (_("Planned start"), project.planned_start),
                (_("Jobs expected (holder included)"), str(project.expected_jobs or "")),
                (_("Description"), project.description),
            ],
            styles,
        )
    )
    story.append(heading(_("Profile of the holder"), styles))
    story.append(
        facts_table(
            [
                (_("Project holder"), person.display_name),
                (_("Age"), _age_text(person.birth_date, frame.printed_at.date())),
                (_("Situation"), label(person.situation)),
                (_("Commune"), " ".join(p for p in (person.postcode, person.commune) if p)),
                (_("Referred by"), person.referred_by),
                (_("Accompanied since"), case.opened_on),
            ],
            styles,
        )
    )
    story.append(heading(_("Market and offer"), styles))
    story.append(long_text(project.market_and_offer, styles))
    story.append(heading(_("Financing plan"), styles))
    story += plan_section(case.plan, styles)
    story.append(heading(_("Three-year forecast"), styles))
    story += forecast_section(case.forecast, styles)
    story.append(heading(_("Funding requested"), styles))
    story += _request_section(request, case.funding, styles)
    story.append(heading(_("Advisor's opinion"), styles))
    story.append(long_text(project.advisor_opinion, styles))
    return story


def _age_text(birth: date | None, on: date) -> str:
    if birth is None:
        return ""
    return _("{years} years (born on {date})").format(
        years=age_on(birth, on), date=format_date(birth)
    )


def plan_section(plan: FinancingPlan, styles: Styles) -> list[Flowable]:
    """Needs beside resources, with their totals; an unbalanced plan is said in red."""
    if not plan.lines:
        return [empty_note(_("No financing plan: not provided"), styles)]
    needs, resources = plan.needs, plan.resources
    rows: list[list[object]] = []
    for index in range(max(len(needs), len(resources))):
        rows.append(_line_cells(needs, index) + _line_cells(resources, index))
    half = CONTENT_WIDTH / 2
    widths = [half - 3.2 * cm, 3.2 * cm, half - 3.2 * cm, 3.2 * cm]
    left, right = (
        (styles.alert_cell, styles.alert_cell_right)
        if not plan.is_balanced
        else (
            styles.cell_bold,
            styles.cell_right_bold,
        )
    )
    footer = [
        para(_("Total needs"), left),
        para(format_money(plan.total_needs), right),
        para(_("Total resources"), left),
        para(format_money(plan.total_resources), right),
    ]
    extra: list[tuple[object, ...]] = [("LINEAFTER", (1, 0), (1, -1), 1, RULE)]
    table = data_table(
        [_("Needs"), _("Amount"), _("Resources"), _("Amount")],
        rows,
        widths,
        styles,
        right=frozenset({1, 3}),
        footer=footer,
        extra=extra,
    )
    flowables: list[Flowable] = [table, gap()]
    if plan.is_balanced:
        flowables.append(para(_("The plan is balanced: needs equal resources."), styles.body))
    elif plan.gap < 0:
        flowables.append(
            para(
                _("The plan is not balanced: {amount} of resources are missing.").format(
                    amount=format_money(-plan.gap)
                ),
                styles.alert,
            )
        )
    else:
        flowables.append(
            para(
                _("The plan is not balanced: resources exceed needs by {amount}.").format(
                    amount=format_money(plan.gap)
                ),
                styles.alert,
            )
        )
    return flowables


def _line_cells(lines: tuple[FinancingLine, ...], index: int) -> list[object]:
    if index >= len(lines):
        return ["", ""]
    return [lines[index].label, format_money(lines[index].amount_cents)]


def forecast_section(years: Sequence[ForecastYear], styles: Styles) -> list[Flowable]:
    if not years:
        return [empty_note(_("No forecast: not provided"), styles)]
    header = [_("Forecast")] + [_("Year {n}").format(n=y.year) for y in years]
    rows: list[list[str]] = [
        [_(FORECAST_LABELS[item])] + [format_money(y.amount(item)) for y in years]
        for item in FORECAST_ITEMS
    ]
    rows.append([_("Result")] + [format_money(y.result) for y in years])
    rows.append(
        [_("Cash capacity (result + depreciation)")]
        + [format_money(y.cash_capacity) for y in years]
    )
    rows.append(
        [_("Break-even turnover")] + [_money_or_missing(y.break_even_turnover) for y in years]
    )
    rows.append([_("Break-even reached in")] + [_month_text(y) for y in years])
    first_total = len(FORECAST_ITEMS) + 1
    label_width = 7.2 * cm
    widths = [label_width] + [(CONTENT_WIDTH - label_width) / len(years)] * len(years)
    extra: list[tuple[object, ...]] = [("LINEABOVE", (0, first_total), (-1, first_total), 1, INK)]
    cells = [
        [_bold_cell(v, styles, i, r >= first_total - 1) for i, v in enumerate(row)]
        for r, row in enumerate(rows)
    ]
    return [
        data_table(
            header, cells, widths, styles, right=frozenset(range(1, len(years) + 1)), extra=extra
        )
    ]


def _bold_cell(value: str, styles: Styles, column: int, bold: bool) -> object:
    if not bold:
        return value
    if column == 0:
        return para(value, styles.cell_bold)
    negative = value.lstrip().startswith(("-", "\u2212"))
    return para(value, styles.alert_cell_right if negative else styles.cell_right_bold)


def _money_or_missing(cents: int | None) -> str:
    return format_money(cents) if cents is not None else _("not reached")


def _month_text(year: ForecastYear) -> str:
    month = year.break_even_month
    if month is None:
        return _("not reached")
    return _("month {n} of the year").format(n=month)


def _request_section(
    request: FundingSource | None, requests: Sequence[FundingSource], styles: Styles
) -> list[Flowable]:
    if request is None:
        return [empty_note(_("No funding request: not provided"), styles)]
    flowables: list[Flowable] = [
        facts_table(
            [
                (_("Funder"), request.funder),
                (_("Kind"), label(request.kind)),
                (_("Amount requested"), format_money(request.amount_asked_cents)),
                (_("Committee date"), request.committee_on),
                (_("Decision"), label(request.decision)),
            ],
            styles,
        )
    ]
    others = [f for f in requests if f is not request]
    if others:
        flowables += [
            gap(),
            para(_("Other funding requests of the project"), styles.cell_bold),
            gap(2),
        ]
        widths = [5.5 * cm, 3.5 * cm, 3.3 * cm]
        widths.append(CONTENT_WIDTH - sum(widths))
        flowables.append(
            data_table(
                [_("Funder"), _("Kind"), _("Asked"), _("Decision")],
                [
                    [f.funder, label(f.kind), format_money(f.amount_asked_cents), label(f.decision)]
                    for f in others
                ],
                widths,
                styles,
                right=frozenset({2}),
            )
        )
    return flowables
