"""Activity report over a period, for the organisation's own funders, with charts.

It names no group of fewer people than the workspace's threshold (`ActivityFigures.
minimum_group`): such communes, funders and kinds of funding are counted together, and a
smaller count of people prints as "< 3". Charts write their values as the tables do.
In team mode it says which cases it covers: the advisor's own, or theirs and the team's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportlab.lib.units import cm  # type: ignore[import-untyped]
from reportlab.platypus import Table, TableStyle  # type: ignore[import-untyped]

from advisor_app.domain.activity import ActivityFigures, Breakdown, share
from advisor_app.domain.enums import AppointmentMode, CaseScope, FundingKind
from advisor_app.i18n import (
    _,
    format_date,
    format_duration,
    format_money,
    format_number,
    format_share,
    label,
    ngettext,
    using_language,
)
from advisor_app.reports.charts import Bar, bar_chart
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

LABEL_WIDTH = 7 * cm
NUMBER_WIDTH = 3.5 * cm


def write_activity_report(
    figures: ActivityFigures, path: Path, frame: PageFrame, covering: CaseScope | None = None
) -> Path:
    """The report as a PDF; `covering` says which cases the figures cover, in a workspace
    that shares cases with a team (None: all of the workspace's, nothing said)."""
    with using_language(frame.language):
        story = activity_story(figures, frame, Styles(), covering)
        return write_pdf(path, story, frame, _("Activity report"))


def covering_sentence(covering: CaseScope, advisor: str) -> str:
    """Which cases the report covers, said under its title."""
    who = advisor.strip() or _("the advisor")
    if covering is CaseScope.MINE:
        return _("Cases covered: those followed by {advisor}.").format(advisor=who)
    if covering is CaseScope.TEAM:
        return _("Cases covered: those the team shares; each person is counted once.")
    return _(
        "Cases covered: those followed by {advisor} and those the team shares; each person "
        "is counted once."
    ).format(advisor=who)


def _percent(part: int, whole: int) -> str:
    return format_share(share(part, whole))


def _fewer_than(minimum: int) -> str:
    """How a count too small to print is written: "< 3"."""
    return f"< {format_number(minimum)}"


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


def _widths() -> list[float]:
    return [LABEL_WIDTH, NUMBER_WIDTH, CONTENT_WIDTH - LABEL_WIDTH - NUMBER_WIDTH]


def activity_story(
    figures: ActivityFigures,
    frame: PageFrame,
    styles: Styles,
    covering: CaseScope | None = None,
) -> list[Flowable]:
    period = figures.period
    story: list[Flowable] = title_block(
        _("Activity report"),
        _("From {first} to {last}").format(
            first=format_date(period.first), last=format_date(period.last)
        ),
        styles,
    )
    if covering is not None:
        story.append(empty_note(covering_sentence(covering, frame.advisor), styles))
    if figures.minimum_group > 1:
        story.append(empty_note(_privacy_note(figures.minimum_group), styles))
    story.append(heading(_("Key figures"), styles))
    story.append(
        facts_table(
            [
                (_("People received"), format_number(figures.people_received)),
                (_("New cases opened"), format_number(figures.new_cases)),
                (_("Cases followed in the period"), format_number(figures.active_cases)),
                (_("Appointments done"), format_number(figures.appointments_done)),
                (_("Hours of accompaniment"), format_duration(figures.minutes_done)),
                (_("Businesses created"), format_number(figures.businesses_created)),
                (
                    _("Jobs planned by the businesses created (holders included)"),
                    format_number(figures.jobs_created),
                ),
                (_("Funding obtained"), _funding_sentence(figures)),
            ],
            styles,
            label_width=LABEL_WIDTH,
        )
    )
    story.append(heading(_("Appointments and hours by mode"), styles))
    story += _modes(figures, styles)
    story.append(
        heading(
            _("Cases followed in the period, by stage reached on {day}").format(
                day=format_date(period.last)
            ),
            styles,
        )
    )
    story.append(_stages(figures, styles))
    story.append(heading(_("Funding obtained"), styles))
    story += _funding(figures, styles)
    story.append(heading(_("People received, by public"), styles))
    story.append(_publics(figures, styles))
    story.append(heading(_("People received, by commune"), styles))
    story.append(_communes(figures, styles))
    return story


def _privacy_note(minimum: int) -> str:
    return ngettext(
        "So that nobody can be recognised, no commune, funder or kind of funding is named for "
        "fewer than {count} person: they are counted together, and a smaller number of people "
        "is written “< {count}”.",
        "So that nobody can be recognised, no commune, funder or kind of funding is named for "
        "fewer than {count} people: they are counted together, and a smaller number of people "
        "is written “< {count}”.",
        minimum,
    ).format(count=format_number(minimum))


def _funding_sentence(figures: ActivityFigures) -> str:
    count = figures.funding_requests_granted
    return ngettext("{amount} in {count} decision", "{amount} in {count} decisions", count).format(
        amount=format_money(figures.funding_granted_cents), count=format_number(count)
    )


def _modes(figures: ActivityFigures, styles: Styles) -> list[Flowable]:
    if not figures.by_mode:
        return [empty_note(_("No appointment done in this period."), styles)]
    labels = [_mode_label(t.key) for t in figures.by_mode]
    rows = [
        [
            name,
            format_number(t.count),
            format_duration(t.amount),
            _percent(t.amount, figures.minutes_done),
        ]
        for name, t in zip(labels, figures.by_mode, strict=True)
    ]
    widths = [6 * cm, NUMBER_WIDTH, NUMBER_WIDTH]
    widths.append(CONTENT_WIDTH - sum(widths))
    table = data_table(
        [_("Mode"), _("Appointments"), _("Hours"), _("Share of hours")],
        rows,
        widths,
        styles,
        right=frozenset({1, 2, 3}),
        footer=[
            _("Total"),
            format_number(figures.appointments_done),
            format_duration(figures.minutes_done),
            "",
        ],
    )
    half = CONTENT_WIDTH / 2
    hours = bar_chart(
        _("Hours by mode"),
        [
            Bar(name, t.amount, format_duration(t.amount))
            for name, t in zip(labels, figures.by_mode, strict=True)
        ],
        half - 8,
    )
    appointments = bar_chart(
        _("Appointments by mode"),
        [
            Bar(
                name,
                t.count,
                _("{count} ({share})").format(
                    count=format_number(t.count),
                    share=_percent(t.count, figures.appointments_done),
                ),
            )
            for name, t in zip(labels, figures.by_mode, strict=True)
        ],
        half - 8,
    )
    charts = Table([[hours, appointments]], colWidths=[half, half], hAlign="LEFT")
    charts.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return [table, gap(), charts]


def _stages(figures: ActivityFigures, styles: Styles) -> Flowable:
    if not figures.cases_by_stage:
        return empty_note(_("No case followed in this period."), styles)
    return bar_chart(
        _("Number of cases"),
        [Bar(_(t.key), t.count, format_number(t.count)) for t in figures.cases_by_stage],
        CONTENT_WIDTH,
    )


def _named(breakdown: Breakdown, name: Callable[[str], str], others: str) -> list[str]:
    """The name of each line of a breakdown, "others" last."""
    names = [name(t.key) for t in breakdown.lines]
    return names + ([others] if breakdown.others is not None else [])


def _people_rows(breakdown: Breakdown, names: list[str], whole: int) -> list[list[str]]:
    """Name, people and share of each line; an "others" line of too few people is written
    "< 3", without its share."""
    rows = [
        [n, format_number(t.count), _percent(t.count, whole)]
        for n, t in zip(names, breakdown.all_lines, strict=True)
    ]
    if breakdown.others_too_few:
        rows[-1][1:] = [_fewer_than(breakdown.minimum), ""]
    return rows


def _money_rows(breakdown: Breakdown, names: list[str]) -> list[list[str]]:
    return [
        [n, format_number(t.count), format_money(t.amount)]
        for n, t in zip(names, breakdown.all_lines, strict=True)
    ]


def _funding(figures: ActivityFigures, styles: Styles) -> list[Flowable]:
    kinds, funders = figures.funding_by_kind, figures.funding_by_funder
    if not kinds.all_lines:
        return [empty_note(_("No funding obtained in this period."), styles)]
    kind_names = _named(kinds, _kind_label, _("Other kinds of funding"))
    funder_names = _named(funders, lambda key: key or _("not provided"), _("Other funders"))
    total = [_("Total"), format_number(kinds.count), format_money(kinds.amount)]
    chart = bar_chart(
        _("Amount granted by kind"),
        [
            Bar(
                n,
                t.amount,
                _("{amount} ({share})").format(
                    amount=format_money(t.amount), share=_percent(t.amount, kinds.amount)
                ),
            )
            for n, t in zip(kind_names, kinds.all_lines, strict=True)
        ],
        CONTENT_WIDTH,
    )
    header = [_("Decisions"), _("Amount granted")]
    right = frozenset({1, 2})
    return [
        data_table(
            [_("Kind of funding"), *header],
            _money_rows(kinds, kind_names),
            _widths(),
            styles,
            right=right,
            footer=total,
        ),
        gap(),
        chart,
        gap(),
        data_table(
            [_("Funder"), *header],
            _money_rows(funders, funder_names),
            _widths(),
            styles,
            right=right,
            footer=total,
        ),
    ]


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
    rows = [
        [name, _fewer_than(figures.minimum_group), ""]
        if figures.hides(n)
        else [name, format_number(n), _percent(n, whole)]
        for name, n in lines
    ]
    return data_table(
        [_("Public"), _("People"), _("Share of people received")],
        rows,
        _widths(),
        styles,
        right=frozenset({1, 2}),
    )


def _communes(figures: ActivityFigures, styles: Styles) -> Flowable:
    communes = figures.by_commune
    if not communes.all_lines:
        return empty_note(_("Nobody received in this period."), styles)
    names = _named(communes, lambda key: key or _("not provided"), _("Other communes"))
    return data_table(
        [_("Commune"), _("People"), _("Share of people received")],
        _people_rows(communes, names, figures.people_received),
        _widths(),
        styles,
        right=frozenset({1, 2}),
    )
