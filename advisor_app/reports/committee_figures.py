"""The figures of a committee file: financing plan, forecast with its intermediate
management balances and repayment capacity, working capital need."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import cm  # type: ignore[import-untyped]

from advisor_app.domain.financing import (
    FinancingLine,
    FinancingPlan,
    ForecastYear,
    RepaymentCover,
    working_capital_in_plan,
)
from advisor_app.domain.messages import N_
from advisor_app.i18n import _, format_money, ngettext
from advisor_app.reports.committee_checks import (
    CommitteeReview,
    balance_sentence,
    cover_sentence,
    plan_difference_sentences,
)
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
    para,
)
from advisor_app.reports.sources import CaseSource

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


def to_complete(styles: Styles) -> Flowable:
    return empty_note(_("To complete: see the list on the first page."), styles)


def known_facts(rows: Sequence[tuple[str, object]], styles: Styles) -> list[Flowable]:
    """The facts that are known; the others are on the first page's list."""
    known = [(caption, value) for caption, value in rows if value not in (None, "")]
    return [facts_table(known, styles)] if known else []


# -- the financing plan --------------------------------------------------------------------


def plan_section(plan: FinancingPlan, styles: Styles) -> list[Flowable]:
    """Needs beside resources, with their totals; an unbalanced plan is said in red."""
    if not plan.lines:
        return [to_complete(styles)]
    needs, resources = plan.needs, plan.resources
    rows: list[list[object]] = []
    for index in range(max(len(needs), len(resources))):
        rows.append(_line_cells(needs, index) + _line_cells(resources, index))
    half = CONTENT_WIDTH / 2
    widths = [half - 3.2 * cm, 3.2 * cm, half - 3.2 * cm, 3.2 * cm]
    left, right = (
        (styles.alert_cell, styles.alert_cell_right)
        if not plan.is_balanced
        else (styles.cell_bold, styles.cell_right_bold)
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
    style = styles.body if plan.is_balanced else styles.alert
    return [table, gap(), para(balance_sentence(plan.gap), style)]


def _line_cells(lines: tuple[FinancingLine, ...], index: int) -> list[object]:
    if index >= len(lines):
        return ["", ""]
    return [lines[index].label, format_money(lines[index].amount_cents)]


def differences_section(case: CaseSource, styles: Styles) -> list[Flowable]:
    """Each kind of funding asked for that the plan carries for another amount, in red."""
    return [para(sentence, styles.alert) for sentence in plan_difference_sentences(case)]


# -- the forecast, its balances and the repayments -----------------------------------------

# The forecast as a cascade of intermediate management balances: each subtotal (in bold)
# takes off the charges listed above it.
CASCADE: tuple[tuple[str, str | None], ...] = (
    ("turnover", None),
    ("purchases", None),
    ("gross_margin", N_("Gross margin")),
    ("external_charges", None),
    ("value_added", N_("Value added")),
    ("taxes", None),
    ("salaries", None),
    ("owner_pay", None),
    ("social_charges", None),
    ("operating_surplus", N_("Gross operating surplus (EBE)")),
    ("depreciation", None),
    ("loan_interest", None),
    ("result", N_("Result")),
    ("cash_capacity", N_("Self-financing capacity (CAF)")),
)


def forecast_section(
    years: Sequence[ForecastYear], styles: Styles, cover: Sequence[RepaymentCover] = ()
) -> list[Flowable]:
    """The forecast with its balances, the loan repayments (when their terms are known)
    and the break-even point, one column a year."""
    if not years:
        return [to_complete(styles)]
    header = [_("Forecast")] + [_("Year {n}").format(n=y.year) for y in years]
    rows: list[list[str]] = []
    bold_rows: list[int] = []
    for item, caption in CASCADE:
        if caption is None:
            rows.append([_(FORECAST_LABELS[item])] + [format_money(y.amount(item)) for y in years])
        else:
            bold_rows.append(len(rows))
            rows.append([_(caption)] + [format_money(getattr(y, item)) for y in years])
    if cover:
        rows.append([_("Loan repayments (capital)")] + [format_money(c.repayments) for c in cover])
        bold_rows.append(len(rows))
        rows.append([_("CAF after repayments")] + [format_money(c.left) for c in cover])
    rows.append(
        [_("Break-even turnover")] + [_money_or_missing(y.break_even_turnover) for y in years]
    )
    rows.append([_("Break-even reached in")] + [_month_text(y) for y in years])
    label_width = 6.6 * cm
    widths = [label_width] + [(CONTENT_WIDTH - label_width) / len(years)] * len(years)
    extra: list[tuple[object, ...]] = [
        ("LINEABOVE", (0, r + 1), (-1, r + 1), 0.75, INK) for r in bold_rows
    ]
    cells = [
        [_cell(value, styles, column, r in bold_rows) for column, value in enumerate(row)]
        for r, row in enumerate(rows)
    ]
    return [
        data_table(
            header, cells, widths, styles, right=frozenset(range(1, len(years) + 1)), extra=extra
        )
    ]


def _cell(value: object, styles: Styles, column: int, bold: bool) -> object:
    if not bold or not isinstance(value, str):
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


def repayment_sentences(checked: CommitteeReview, styles: Styles) -> list[Flowable]:
    if not checked.cover:
        return []
    flowables: list[Flowable] = [
        gap(),
        para(
            _(
                "Repayments: the capital of the loans requested whose terms are known, "
                "taken at the start of year 1."
            ),
            styles.missing,
        ),
    ]
    short = [c for c in checked.cover if not c.covered]
    if not short:
        flowables.append(
            para(
                _("The self-financing capacity covers the loan repayments every year."),
                styles.body,
            )
        )
    flowables += [para(cover_sentence(year), styles.alert) for year in short]
    return flowables


# -- working capital -----------------------------------------------------------------------


def _days(count: int | None) -> str:
    if count is None:
        return ""
    return ngettext("{n} day", "{n} days", count).format(n=count)


def working_capital_section(
    case: CaseSource, checked: CommitteeReview, styles: Styles
) -> list[Flowable]:
    project = case.project
    stock = project.stock_days
    rows: list[tuple[str, object]] = [
        (_("Customer payment terms"), _days(project.customer_days)),
        (_("Stock"), "" if stock is None else _("{days} of purchases").format(days=_days(stock))),
        (_("Supplier payment terms"), _days(project.supplier_days)),
    ]
    need = checked.need
    if need is not None:
        rows += [
            (_("Owed by customers"), format_money(need.receivables)),
            (_("Value of the stock"), format_money(need.stock)),
            (_("Owed to suppliers"), format_money(-need.payables)),
            (_("Working capital need in year 1"), format_money(need.need)),
        ]
        planned = working_capital_in_plan(case.plan)
        if planned is not None:
            rows.append((_("Set aside in the financing plan"), format_money(planned)))
    flowables = known_facts(rows, styles)
    if need is None:
        return [*flowables, to_complete(styles)]
    flowables.append(gap(2))
    if need.need < 0:
        flowables.append(
            para(
                _("A negative need brings cash: customers pay before suppliers are paid."),
                styles.body,
            )
        )
    flowables.append(
        para(
            _(
                "Days of turnover for customers, of purchases for stock and suppliers, "
                "on a 360-day year, without VAT."
            ),
            styles.missing,
        )
    )
    return flowables
