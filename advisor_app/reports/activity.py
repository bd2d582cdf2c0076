"""Activity report over a period, for the organisation's own funders, with charts."""

from __future__ import annotations

from pathlib import Path

from babel.numbers import format_decimal, format_percent
from reportlab.lib.units import cm  # type: ignore[import-untyped]
from reportlab.platypus import Table, TableStyle  # type: ignore[import-untyped]

from advisor_app.domain.activity import ActivityFigures, share, top_with_rest
from advisor_app.domain.enums import AppointmentMode, FundingKind
from advisor_app.i18n import _, format_date, format_duration, format_money, label, using_language
from advisor_app.i18n.formatting import babel_locale
from advisor_app.reports.charts import bar_chart, pie_chart
from advisor_app.reports.document import (
    CONTENT_WIDTH,
    Flowable,
    Styles,
    data_table,
    empty_note,
    facts_table,
    gap,
    heading,
    title_block,
    write_pdf,
)
from advisor_app.reports.sources import PageFrame

COMMUNES_SHOWN = 15


def write_activity_report(figures: ActivityFigures, path: Path, frame: PageFrame) -> Path:
    with using_language(frame.language):
        story = activity_story(figures, frame, Styles())
        return write_pdf(path, story, frame, _("Activity report"))


def _percent(part: int, whole: int) -> str:
    return format_percent(share(part, whole), locale=babel_locale())


def _count(value: int) -> str:
    return str(format_decimal(value, locale=babel_locale()))


def _hours(minutes: int) -> float:
    return round(minutes / 60, 1)


def _mode_label(key: str) -> str:
    try:
        return label(AppointmentMode(key))
    except ValueError:
        return key or _("not provided")


def _kind_label(key: str) -> str:
    try:
        return label(FundingKind(key))
    except ValueError:
        return key or _("not provided")


def activity_story(figures: ActivityFigures, frame: PageFrame, styles: Styles) -> list[Flowable]:
    period = figures.period
    story: list[Flowable] = title_block(
        _("Activity report"),
        _("From {first} to {last}").format(
            first=format_date(period.first), last=format_date(period.last)
        ),
        styles,
    )
    story.append(heading(_("Key figures"), styles))
    story.append(
        facts_table(
            [
                (_("People received"), _count(figures.people_received)),
                (_("New cases opened"), _count(figures.new_cases)),
                (_("Cases followed in the period"), _count(figures.active_cases)),
                (_("Appointments done"), _count(figures.appointments_done)),
                (_("Hours of accompaniment"), format_duration(figures.minutes_done)),
                (_("Businesses created"), _count(figures.businesses_created)),
                (_("Jobs created (as planned by the projects)"), _count(figures.jobs_created)),
                (
                    _("Funding obtained"),
                    _("{amount} in {count} decisions").format(
                        amount=format_money(figures.funding_granted_cents),
                        count=figures.funding_requests_granted,
                    ),
                ),
            ],
            styles,
            label_width=7 * cm,
        )
    )
    story.append(heading(_("Appointments and hours by mode"), styles))
    story += _modes(figures, styles)
    story.append(heading(_("Cases followed, by current stage"), styles))
    if figures.cases_by_stage:
        story.append(
            bar_chart(
                _("Number of cases"),
                [_(t.key) for t in figures.cases_by_stage],
                [t.count for t in figures.cases_by_stage],
                CONTENT_WIDTH,
            )
        )
    else:
        story.append(empty_note(_("No case followed in this period."), styles))
    story.append(heading(_("Funding obtained"), styles))
    story += _funding(figures, styles)
    story.append(heading(_("People received, by public"), styles))
    story.append(_publics(figures, styles))
    story.append(heading(_("People received, by commune"), styles))
    story.append(_communes(figures, styles))
    return story


def _modes(figures: ActivityFigures, styles: Styles) -> list[Flowable]:
    if not figures.by_mode:
        return [empty_note(_("No appointment done in this period."), styles)]
    labels = [_mode_label(t.key) for t in figures.by_mode]
    rows = [
        [name, _count(t.count), format_duration(t.amount), _percent(t.amount, figures.minutes_done)]
        for name, t in zip(labels, figures.by_mode, strict=True)
    ]
    widths = [6 * cm, 3.5 * cm, 3.5 * cm]
    widths.append(CONTENT_WIDTH - sum(widths))
    table = data_table(
        [_("Mode"), _("Appointments"), _("Hours"), _("Share of hours")],
        rows,
        widths,
        styles,
        right=frozenset({1, 2, 3}),
        footer=[
            _("Total"),
            _count(figures.appointments_done),
            format_duration(figures.minutes_done),
            "",
        ],
    )
    half = CONTENT_WIDTH / 2
    charts = Table(
        [
            [
                bar_chart(
                    _("Hours by mode"),
                    labels,
                    [_hours(t.amount) for t in figures.by_mode],
                    half - 6,
                    " h",
                ),
                pie_chart(
                    _("Appointments by mode"), labels, [t.count for t in figures.by_mode], half - 6
                ),
            ]
        ],
        colWidths=[half, half],
        hAlign="LEFT",
    )
    charts.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return [table, gap(), charts]


def _funding(figures: ActivityFigures, styles: Styles) -> list[Flowable]:
    if not figures.funding_by_kind:
        return [empty_note(_("No funding obtained in this period."), styles)]
    kinds = [_kind_label(t.key) for t in figures.funding_by_kind]
    rows = [
        [name, _count(t.count), format_money(t.amount)]
        for name, t in zip(kinds, figures.funding_by_kind, strict=True)
    ]
    widths = [7 * cm, 3.5 * cm]
    widths.append(CONTENT_WIDTH - sum(widths))
    flowables: list[Flowable] = [
        data_table(
            [_("Kind of funding"), _("Decisions"), _("Amount granted")],
            rows,
            widths,
            styles,
            right=frozenset({1, 2}),
            footer=[
                _("Total"),
                _count(figures.funding_requests_granted),
                format_money(figures.funding_granted_cents),
            ],
        ),
        gap(),
        pie_chart(
            _("Amount granted by kind"),
            kinds,
            [t.amount for t in figures.funding_by_kind],
            CONTENT_WIDTH,
        ),
        gap(),
    ]
    funders = [
        [t.key or _("not provided"), _count(t.count), format_money(t.amount)]
        for t in figures.funding_by_funder
    ]
    flowables.append(
        data_table(
            [_("Funder"), _("Decisions"), _("Amount granted")],
            funders,
            widths,
            styles,
            right=frozenset({1, 2}),
        )
    )
    return flowables


def _publics(figures: ActivityFigures, styles: Styles) -> Flowable:
    p, whole = figures.public, figures.people_received
    lines = [
        (_("Women"), p.women),
        (_("Under 26"), p.under_26),
        (_("50 and over"), p.over_50),
        (_("Job seekers"), p.job_seekers),
        (_("Minimum-income recipients"), p.minimum_income),
        (_("Priority neighbourhoods"), p.priority_neighbourhood),
        (_("Rural areas"), p.rural_area),
    ]
    widths = [7 * cm, 3.5 * cm]
    widths.append(CONTENT_WIDTH - sum(widths))
    return data_table(
        [_("Public"), _("People"), _("Share of people received")],
        [[name, _count(n), _percent(n, whole)] for name, n in lines],
        widths,
        styles,
        right=frozenset({1, 2}),
    )


def _communes(figures: ActivityFigures, styles: Styles) -> Flowable:
    if not figures.by_commune:
        return empty_note(_("Nobody received in this period."), styles)
    shown, rest = top_with_rest(figures.by_commune, COMMUNES_SHOWN)
    rows = [
        [t.key or _("not provided"), _count(t.count), _percent(t.count, figures.people_received)]
        for t in shown
    ]
    if rest is not None:
        rows.append(
            [_("Other communes"), _count(rest.count), _percent(rest.count, figures.people_received)]
        )
    widths = [7 * cm, 3.5 * cm]
    widths.append(CONTENT_WIDTH - sum(widths))
    return data_table(
        [_("Commune"), _("People"), _("Share of people received")],
        rows,
        widths,
        styles,
        right=frozenset({1, 2}),
    )
