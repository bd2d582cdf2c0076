"""Access export (right of access): everything held about one person, readable on paper.

The JSON file beside it holds every column of every table; this document holds every field of
the case as `advisor-app show --json` gives it (internal identifiers aside), the forecast and
the file's history, in the person's language: stages, closed lists and consents in words,
never as the keys the program stores.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.numbers import format_percent
from reportlab.lib.units import cm  # type: ignore[import-untyped]

from advisor_app.domain import records
from advisor_app.domain.enums import ConsentScope, Situation
from advisor_app.domain.financing import FORECAST_ITEMS
from advisor_app.domain.history import action_label_id, readable_detail
from advisor_app.domain.records import Field, Kind, Record
from advisor_app.i18n import (
    _,
    format_date,
    format_datetime,
    format_duration,
    format_file_size,
    format_money,
    format_time,
    label,
    ngettext,
    situation_label,
    using_language,
)
from advisor_app.i18n.formatting import babel_locale
from advisor_app.reports.committee_figures import FORECAST_LABELS
from advisor_app.reports.document import (
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
from advisor_app.reports.progress import milestone_states
from advisor_app.reports.sources import AccessSource, FundingSource, PageFrame, PersonSource


def write_access_report(case: AccessSource, path: Path, frame: PageFrame) -> Path:
    with using_language(frame.language):
        title = _("Data held about you")
        story = access_story(case, Styles())
        subject = _("Everything recorded about {name} in the case file {case_id}.").format(
            name=case.person.display_name, case_id=case.case_id
        )
        return write_pdf(
            path, story, frame, f"{title} – {case.person.display_name}", subject=subject
        )


def access_story(case: AccessSource, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = title_block(
        _("Data held about you"),
        _("Everything recorded about {name} in the case file {case_id}.").format(
            name=case.person.display_name, case_id=case.case_id
        ),
        styles,
    )
    sections = (
        (_("Identity"), _identity),
        (_("The case"), _case),
        (_("The project"), _project),
        (_("Consents"), _consents),
        (_("Appointments"), _appointments),
        (_("Pathway"), _pathway),
        (_("Funding requests"), _funding),
        (_("Financing plan"), _plan),
        (_("Forecast"), _forecast),
        (_("Notes"), _notes),
        (_("Documents"), _documents),
        (_("History of the case file"), _history),
    )
    for title, section in sections:
        story.append(heading(title, styles))
        story += section(case, styles)
    return story


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _optional(value: int | None) -> str:
    return "" if value is None else str(value)


def _optional_money(cents: int | None) -> str:
    return "" if cents is None else format_money(cents)


def _shown(field: Field, value: Any, person: PersonSource) -> object:
    """A field's value as the table writes it: lists in words (a situation in the person's
    grammatical gender), yes or no, amounts in euros, nothing for a number not given; texts
    and dates as they are."""
    if field.kind is Kind.BOOL:
        return _yes_no(value)
    if field.kind is Kind.CENTS:
        return _optional_money(value)
    if field.kind is Kind.INT:
        return _optional(value)
    if field.kind is Kind.ENUM and field.choices is Situation:
        return situation_label(value, person.gender)
    if field.kind is Kind.ENUM:
        return label(value) if value else ""
    return value


def _facts(record: Record, source: object, case: AccessSource, styles: Styles) -> Flowable:
    """Every field of `record` (its identifier aside), labelled, in the order it is declared."""
    return facts_table(
        [
            (_(f.label), _shown(f, getattr(source, f.name, ""), case.person))
            for f in record.fields_but_id
        ],
        styles,
    )


def _identity(case: AccessSource, styles: Styles) -> list[Flowable]:
    return [_facts(records.PERSON, case.person, case, styles)]


def _case(case: AccessSource, styles: Styles) -> list[Flowable]:
    return [
        facts_table(
            [
                (_("Case number"), case.case_id),
                (_("Case opened on"), case.opened_on),
                (_("Status"), label(case.status)),
                (_("Closed on"), case.closed_on),
                (_("Outcome"), label(case.outcome) if case.outcome else ""),
                (_("Advisor"), case.advisor),
                (_("Hours of accompaniment"), format_duration(case.done_minutes)),
                (_("Previous case file"), case.previous_case_id or ""),
                (_("Version of the case file"), str(case.revision)),
            ],
            styles,
        )
    ]


def _project(case: AccessSource, styles: Styles) -> list[Flowable]:
    return [_facts(records.PROJECT, case.project, case, styles)]


def _scope(value: str) -> str:
    """A consent's scope in words (an unknown scope, from a newer version, as stored)."""
    try:
        return label(ConsentScope(value))
    except ValueError:
        return value


def _consents(case: AccessSource, styles: Styles) -> list[Flowable]:
    if not case.consents:
        return [empty_note(_("No consent recorded."), styles)]
    return [
        data_table(
            [
                _("Scope"),
                _("Partner"),
                _("Given on"),
                _("How"),
                _("Recorded by"),
                _("Withdrawn on"),
            ],
            [
                [
                    _scope(c.scope),
                    c.partner,
                    format_date(c.given_on),
                    c.how,
                    c.recorded_by,
                    format_date(c.withdrawn_on) if c.withdrawn_on else "",
                ]
                for c in case.consents
            ],
            [None, 1.0, None, 1.2, 1.0, None],
            styles,
        )
    ]


def _appointments(case: AccessSource, styles: Styles) -> list[Flowable]:
    if not case.appointments:
        return [empty_note(_("No appointment recorded."), styles)]
    rows = []
    for a in case.appointments:
        details = [
            a.topic,
            _labelled(_("Place"), a.place),
            _labelled(_("Programme"), a.programme),
            _labelled(_("Summary"), a.summary),
            _labelled(_("Next actions"), a.next_actions),
            "" if a.counts_in_reports else _("Not counted in the activity reports"),
        ]
        rows.append(
            [
                f"{format_date(a.start.date(), 'short')}\n"
                f"{format_time(a.start)}–{format_time(a.end)}",
                format_duration(a.minutes),
                label(a.mode),
                label(a.status),
                "\n".join(d for d in details if d),
            ]
        )
    return [
        data_table(
            [_("Date"), _("Duration"), _("Mode"), _("Status"), _("Topic and summary")],
            rows,
            [None, None, None, None, 1.0],
            styles,
        )
    ]


def _pathway(case: AccessSource, styles: Styles) -> list[Flowable]:
    if not case.milestones:
        return [empty_note(_("No pathway: not provided"), styles)]
    states = milestone_states(case.milestones)
    return [
        data_table(
            [_("Milestone"), _("Target"), _("Done on"), _("State"), _("Comment")],
            [
                [
                    _(m.label),
                    format_date(m.target_on) if m.target_on else "",
                    format_date(m.done_on) if m.done_on else "",
                    state,
                    m.comment,
                ]
                for m, state in zip(case.milestones, states, strict=True)
            ],
            [None, None, None, None, 1.0],
            styles,
        )
    ]


def _labelled(caption: str, value: str) -> str:
    """ "Place: Guéret" ("Lieu : Guéret"), or nothing when there is no value."""
    return _("{label}: {value}").format(label=caption, value=value) if value.strip() else ""


def _months(count: int) -> str:
    return ngettext("{n} month", "{n} months", count).format(n=count)


def _terms(f: FundingSource) -> str:
    parts = []
    if f.term_months is not None:
        parts.append(_labelled(_("Length"), _months(f.term_months)))
    if f.deferral_months is not None:
        parts.append(_labelled(_("Deferral"), _months(f.deferral_months)))
    if f.annual_rate_basis_points is not None:
        rate = format_percent(
            f.annual_rate_basis_points / 10_000, "#,##0.00 %", locale=babel_locale()
        )
        parts.append(_labelled(_("Yearly rate"), rate))
    return "\n".join(parts)


def _funding(case: AccessSource, styles: Styles) -> list[Flowable]:
    if not case.funding:
        return [empty_note(_("No funding recorded."), styles)]
    return [
        data_table(
            [
                _("Funder"),
                _("Kind"),
                _("Asked"),
                _("Committee"),
                _("Decision"),
                _("Granted"),
                _("Terms"),
            ],
            [
                [
                    f.funder,
                    label(f.kind),
                    format_money(f.amount_asked_cents),
                    format_date(f.committee_on),
                    label(f.decision),
                    format_money(f.amount_granted_cents),
                    _terms(f),
                ]
                for f in case.funding
            ],
            [1.4, None, None, None, 0.8, None, 0.8],
            styles,
            right=frozenset({2, 5}),
        )
    ]


def _plan(case: AccessSource, styles: Styles) -> list[Flowable]:
    plan = case.plan
    if not plan.lines:
        return [empty_note(_("No financing plan: not provided"), styles)]
    rows = [[line.label, label(line.side), format_money(line.amount_cents)] for line in plan.lines]
    return [
        data_table(
            [_("Financing plan"), _("Kind"), _("Amount")],
            rows,
            [1.0, None, None],
            styles,
            right=frozenset({2}),
        ),
        gap(),
        para(
            f"{_labelled(_('Total needs'), format_money(plan.total_needs))} – "
            f"{_labelled(_('Total resources'), format_money(plan.total_resources))}",
            styles.body,
        ),
    ]


def _forecast(case: AccessSource, styles: Styles) -> list[Flowable]:
    years = case.forecast
    if not years:
        return [empty_note(_("No forecast: not provided"), styles)]
    return [
        data_table(
            [_("Forecast")] + [_("Year {n}").format(n=y.year) for y in years],
            [
                [_(FORECAST_LABELS[item])] + [format_money(y.amount(item)) for y in years]
                for item in FORECAST_ITEMS
            ],
            [None] + [1.0] * len(years),
            styles,
            right=frozenset(range(1, len(years) + 1)),
        )
    ]


def _notes(case: AccessSource, styles: Styles) -> list[Flowable]:
    if not case.notes:
        return [empty_note(_("No note recorded."), styles)]
    flowables: list[Flowable] = []
    for note in case.notes:
        flowables.append(para(format_datetime(note.written_at), styles.cell_bold))
        flowables += [long_text(part, styles) for part in note.text.split("\n\n") if part.strip()]
        flowables.append(gap(0.2 * cm))
    return flowables


def _documents(case: AccessSource, styles: Styles) -> list[Flowable]:
    if not case.attachments:
        return [empty_note(_("No document recorded."), styles)]
    return [
        data_table(
            [_("File"), _("File type"), _("Size"), _("Added on")],
            [
                [
                    a.filename,
                    a.media_type,
                    format_file_size(a.size),
                    format_datetime(a.added_at),
                ]
                for a in case.attachments
            ],
            [1.0, None, None, None],
            styles,
        ),
        empty_note(_("The documents themselves are in the attachments folder."), styles),
    ]


def _history(case: AccessSource, styles: Styles) -> list[Flowable]:
    return [
        data_table(
            [_("When"), _("What"), _("Detail"), _("By")],
            [
                [
                    format_datetime(h.at),
                    _(action_label_id(h.action)),
                    readable_detail(h.action, h.detail, _),
                    h.advisor,
                ]
                for h in case.history
            ],
            [None, None, 1.0, 0.8],
            styles,
        )
    ]
