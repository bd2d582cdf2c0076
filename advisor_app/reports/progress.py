"""Progress report for one case: what was done with the person, and what comes next."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from advisor_app.domain.enums import AppointmentStatus, FundingDecision
from advisor_app.i18n import (
    _,
    format_date,
    format_duration,
    format_money,
    format_time,
    label,
    pgettext,
    situation_label,
    using_language,
)
from advisor_app.reports.document import (
    ALERT,
    GOOD,
    Flowable,
    Styles,
    data_table,
    empty_note,
    facts_table,
    gap,
    given,
    heading,
    long_text,
    title_block,
    write_pdf,
)
from advisor_app.reports.sources import (
    AppointmentSource,
    CaseSource,
    MilestoneSource,
    PageFrame,
)

MAX_NEXT_MILESTONES = 3


def write_progress_report(case: CaseSource, path: Path, frame: PageFrame) -> Path:
    with using_language(frame.language):
        title = _("Progress report")
        story = progress_story(case, frame, Styles())
        subject = _(
            "Accompaniment of {name}: pathway, appointments, funding and next steps"
        ).format(name=case.person.display_name)
        return write_pdf(
            path, story, frame, f"{title} – {case.person.display_name}", subject=subject
        )


def progress_story(case: CaseSource, frame: PageFrame, styles: Styles) -> list[Flowable]:
    person, project = case.person, case.project
    story: list[Flowable] = title_block(
        _("Progress report"),
        f"{given(person.display_name)} – {given(project.title)}",
        styles,
    )
    story.append(heading(_("The person and the project"), styles))
    story.append(
        facts_table(
            [
                (_("Project holder"), person.display_name),
                (_("Commune"), " ".join(p for p in (person.postcode, person.commune) if p)),
                (_("Situation"), situation_label(person.situation, person.gender)),
                (_("Referred by"), person.referred_by),
                (_("Case opened on"), case.opened_on),
                (_("Status"), _status_text(case)),
                (_("Project"), project.title),
                (_("Sector"), project.sector),
                (_("Legal form"), project.legal_form),
                (_("Planned start"), project.planned_start),
                (_("Description"), project.description),
            ],
            styles,
        )
    )
    story.append(heading(_("Pathway"), styles))
    story.append(_pathway_table(case.milestones, styles))
    story.append(heading(_("Appointments"), styles))
    story.append(_appointments_table(case.appointments, case.done_minutes, styles))
    story.append(heading(_("Funding requests"), styles))
    story.append(_funding_table(case, styles))
    story.append(heading(_("Next steps"), styles))
    story += _next_steps(case, frame, styles)
    story.append(heading(_("Advisor's comments"), styles))
    story.append(long_text(project.advisor_opinion, styles))
    return story


def _status_text(case: CaseSource) -> str:
    if case.outcome is not None and case.closed_on is not None:
        return f"{label(case.status)} – {label(case.outcome)} ({format_date(case.closed_on)})"
    return label(case.status)


def milestone_states(milestones: Sequence[MilestoneSource]) -> list[str]:
    """Done, late, current (the first one not done after the last done) or to come."""
    last_done = max((i for i, m in enumerate(milestones) if m.done_on), default=-1)
    current = next(
        (i for i, m in enumerate(milestones) if i > last_done and m.done_on is None), None
    )
    states = []
    for index, milestone in enumerate(milestones):
        if milestone.done_on is not None:
            states.append(pgettext("milestone", "Done"))  # French: une étape « Réalisée »
        elif milestone.late:
            states.append(_("Late"))
        elif index == current:
            states.append(_("Current"))
        else:
            states.append(_("To come"))
    return states


def _pathway_table(milestones: Sequence[MilestoneSource], styles: Styles) -> Flowable:
    if not milestones:
        return empty_note(_("No pathway: not provided"), styles)
    states = milestone_states(milestones)
    rows = [
        [
            _(m.label),
            format_date(m.target_on) or _("not provided"),
            format_date(m.done_on),
            state,
            m.comment,
        ]
        for m, state in zip(milestones, states, strict=True)
    ]
    extra = []
    for row, (m, _state) in enumerate(zip(milestones, states, strict=True), start=1):
        if m.done_on is not None:
            extra.append(("LINEBEFORE", (0, row), (0, row), 3, GOOD))
        elif m.late:
            extra.append(("LINEBEFORE", (0, row), (0, row), 3, ALERT))
    return data_table(
        [_("Milestone"), _("Target"), _("Done on"), _("State"), _("Comment")],
        rows,
        [None, None, None, None, 1.0],
        styles,
        extra=extra,
    )


def _appointments_table(
    appointments: Sequence[AppointmentSource], done_minutes: int, styles: Styles
) -> Flowable:
    if not appointments:
        return empty_note(_("No appointment yet."), styles)
    rows = []
    for a in appointments:
        about = a.topic.strip() or _("not provided")
        if a.summary.strip():
            about = f"{about}\n{a.summary.strip()}"
        rows.append(
            [
                format_date(a.start.date(), "short"),
                f"{format_time(a.start)}–{format_time(a.end)}",
                label(a.mode),
                format_duration(a.minutes),
                label(a.status),
                about,
            ]
        )
    return data_table(
        [_("Date"), _("Time"), _("Mode"), _("Duration"), _("Status"), _("Topic and summary")],
        rows,
        [None, None, None, None, None, 1.0],
        styles,
        right=frozenset({3}),
        footer=[
            _("Total hours of accompaniment (appointments done)"),
            "",
            "",
            format_duration(done_minutes),
            "",
            "",
        ],
        extra=[("SPAN", (0, -1), (2, -1))],
    )


def _funding_table(case: CaseSource, styles: Styles) -> Flowable:
    if not case.funding:
        return empty_note(_("No funding request: not provided"), styles)
    rows = [
        [
            f.funder,
            label(f.kind),
            format_money(f.amount_asked_cents),
            format_date(f.committee_on) or _("not provided"),
            label(f.decision),
            format_money(f.amount_granted_cents)
            if f.decision in (FundingDecision.GRANTED, FundingDecision.PARTIALLY_GRANTED)
            else "",
        ]
        for f in case.funding
    ]
    return data_table(
        [_("Funder"), _("Kind"), _("Asked"), _("Committee"), _("Decision"), _("Granted")],
        rows,
        [1.0, None, None, None, None, None],
        styles,
        right=frozenset({2, 5}),
    )


def _next_steps(case: CaseSource, frame: PageFrame, styles: Styles) -> list[Flowable]:
    lines: list[tuple[str, object]] = []
    planned = sorted(
        (
            a
            for a in case.appointments
            if a.status is AppointmentStatus.PLANNED and a.start >= frame.printed_at
        ),
        key=lambda a: a.start,
    )
    if planned:
        nxt = planned[0]
        lines.append(
            (
                _("Next appointment"),
                f"{format_date(nxt.start.date())} {format_time(nxt.start)} – "
                f"{label(nxt.mode)} – {nxt.topic.strip() or _('not provided')}",
            )
        )
    done = [a for a in case.appointments if a.status is AppointmentStatus.DONE]
    if done:
        actions = max(done, key=lambda a: a.start).next_actions
        lines.append((_("Actions agreed at the last appointment"), actions))
    upcoming = [m for m in case.milestones if m.done_on is None][:MAX_NEXT_MILESTONES]
    for m in upcoming:
        target = format_date(m.target_on) if m.target_on else _("no target date")
        lines.append((_("Milestone to reach"), f"{_(m.label)} ({target})"))
    if not lines:
        return [empty_note(_("not provided"), styles)]
    return [facts_table(lines, styles), gap()]
