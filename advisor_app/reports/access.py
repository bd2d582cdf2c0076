"""Access export (right of access): everything held about one person, readable on paper.

The JSON file beside it holds every field; this document is the version a person reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from reportlab.lib.units import cm  # type: ignore[import-untyped]

from advisor_app.domain.history import action_label_id, readable_detail
from advisor_app.i18n import (
    _,
    format_date,
    format_datetime,
    format_duration,
    format_file_size,
    format_money,
    label,
    using_language,
)
from advisor_app.reports.document import (
    CONTENT_WIDTH,
    Flowable,
    Styles,
    data_table,
    empty_note,
    facts_table,
    gap,
    heading,
    long_text,
    title_block,
    write_pdf,
)
from advisor_app.reports.sources import CaseSource, PageFrame


class NoteSource(Protocol):
    @property
    def written_at(self) -> datetime: ...
    @property
    def text(self) -> str: ...


class AttachmentSource(Protocol):
    @property
    def filename(self) -> str: ...
    @property
    def size(self) -> int: ...
    @property
    def added_at(self) -> datetime: ...


class ConsentSource(Protocol):
    @property
    def scope(self) -> str: ...
    @property
    def partner(self) -> str: ...
    @property
    def given_on(self) -> date: ...
    @property
    def how(self) -> str: ...
    @property
    def recorded_by(self) -> str: ...
    @property
    def withdrawn_on(self) -> date | None: ...


class HistorySource(Protocol):
    @property
    def at(self) -> datetime: ...
    @property
    def action(self) -> str: ...
    @property
    def detail(self) -> str: ...
    @property
    def advisor(self) -> str: ...


class AccessSource(CaseSource, Protocol):
    @property
    def notes(self) -> Sequence[NoteSource]: ...
    @property
    def attachments(self) -> Sequence[AttachmentSource]: ...
    @property
    def consents(self) -> Sequence[ConsentSource]: ...
    @property
    def history(self) -> Sequence[HistorySource]: ...


def write_access_report(case: AccessSource, path: Path, frame: PageFrame) -> Path:
    with using_language(frame.language):
        title = _("Data held about you")
        story = access_story(case, Styles())
        return write_pdf(path, story, frame, f"{title} – {case.person.display_name}")


def access_story(case: AccessSource, styles: Styles) -> list[Flowable]:
    person, project = case.person, case.project
    story: list[Flowable] = title_block(
        _("Data held about you"),
        _("Everything recorded about {name} in the case file {case_id}.").format(
            name=person.display_name, case_id=case.case_id
        ),
        styles,
    )
    yes, no = _("yes"), _("no")
    story.append(heading(_("Identity"), styles))
    story.append(
        facts_table(
            [
                (_("First name"), person.first_name),
                (_("Last name"), person.last_name),
                (_("Birth date"), person.birth_date),
                (_("Gender"), label(person.gender)),
                (_("E-mail"), person.email),
                (_("Phone"), person.phone),
                (_("Address"), getattr(person, "address", "")),
                (_("Postcode"), person.postcode),
                (_("Commune"), person.commune),
                (_("Situation"), label(person.situation)),
                (_("Referred by"), person.referred_by),
                (_("Priority neighbourhood"), yes if person.priority_neighbourhood else no),
                (_("Rural area"), yes if person.rural_area else no),
            ],
            styles,
        )
    )
    story.append(heading(_("The case"), styles))
    story.append(
        facts_table(
            [
                (_("Case opened on"), case.opened_on),
                (_("Status"), label(case.status)),
                (_("Closed on"), case.closed_on),
                (_("Outcome"), label(case.outcome) if case.outcome else ""),
                (_("Advisor"), case.advisor),
            ],
            styles,
        )
    )
    story.append(heading(_("The project"), styles))
    story.append(
        facts_table(
            [
                (_("Project"), project.title),
                (_("Sector"), project.sector),
                (_("Legal form"), project.legal_form),
                (_("Planned start"), project.planned_start),
                (_("Expected jobs"), str(project.expected_jobs)),
                (_("Description"), project.description),
                (_("Market and offer"), project.market_and_offer),
                (_("Advisor's opinion"), project.advisor_opinion),
            ],
            styles,
        )
    )
    story.append(heading(_("Consents"), styles))
    if case.consents:
        story.append(
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
                        c.scope,
                        c.partner,
                        format_date(c.given_on),
                        c.how,
                        c.recorded_by,
                        format_date(c.withdrawn_on) if c.withdrawn_on else "",
                    ]
                    for c in case.consents
                ],
                _widths([2.2, 3, 2.4, 3.6, 3, 2.4]),
                styles,
            )
        )
    else:
        story.append(empty_note(_("No consent recorded."), styles))
    story.append(heading(_("Appointments"), styles))
    if case.appointments:
        story.append(
            data_table(
                [_("Date"), _("Duration"), _("Mode"), _("Status"), _("Topic and summary")],
                [
                    [
                        format_datetime(a.start),
                        format_duration(a.minutes),
                        label(a.mode),
                        label(a.status),
                        "\n".join(x for x in (a.topic, a.place, a.summary, a.next_actions) if x),
                    ]
                    for a in case.appointments
                ],
                _widths([3.2, 2, 2.6, 2.2, 6.6]),
                styles,
            )
        )
    else:
        story.append(empty_note(_("No appointment recorded."), styles))
    story.append(heading(_("Pathway"), styles))
    story.append(
        data_table(
            [_("Milestone"), _("Target"), _("Done on"), _("Comment")],
            [
                [
                    m.label,
                    format_date(m.target_on) if m.target_on else "",
                    format_date(m.done_on) if m.done_on else "",
                    m.comment,
                ]
                for m in case.milestones
            ],
            _widths([5, 2.6, 2.6, 6.4]),
            styles,
        )
    )
    story.append(heading(_("Funding"), styles))
    rows = [
        [
            f.funder,
            label(f.kind),
            format_money(f.amount_asked_cents),
            label(f.decision),
            format_money(f.amount_granted_cents),
        ]
        for f in case.funding
    ]
    rows += [
        [line.label, label(line.side), format_money(line.amount_cents), "", ""]
        for line in case.plan.lines
    ]
    if rows:
        story.append(
            data_table(
                [_("Funder or line"), _("Kind"), _("Amount"), _("Decision"), _("Granted")],
                rows,
                _widths([5, 3, 3, 2.6, 3]),
                styles,
                right=frozenset({2, 4}),
            )
        )
    else:
        story.append(empty_note(_("No funding recorded."), styles))
    story.append(heading(_("Notes"), styles))
    if case.notes:
        for note in case.notes:
            story.append(long_text(f"{format_datetime(note.written_at)}\n{note.text}", styles))
            story.append(gap(0.15 * cm))
    else:
        story.append(empty_note(_("No note recorded."), styles))
    story.append(heading(_("Documents"), styles))
    if case.attachments:
        story.append(
            data_table(
                [_("File"), _("Size"), _("Added on")],
                [
                    [a.filename, format_file_size(a.size), format_datetime(a.added_at)]
                    for a in case.attachments
                ],
                _widths([9, 3, 4.6]),
                styles,
            )
        )
        story.append(
            empty_note(_("The documents themselves are in the attachments folder."), styles)
        )
    else:
        story.append(empty_note(_("No document recorded."), styles))
    story.append(heading(_("History of the case file"), styles))
    story.append(
        data_table(
            [_("When"), _("What"), _("Detail"), _("By")],
            [
                [
                    format_datetime(h.at),
                    _(action_label_id(h.action)),
                    readable_detail(h.action, h.detail),
                    h.advisor,
                ]
                for h in case.history
            ],
            _widths([3.4, 3.4, 6.4, 3.4]),
            styles,
        )
    )
    return story


def _widths(parts: Sequence[float]) -> list[float]:
    total = sum(parts)
    return [CONTENT_WIDTH * part / total for part in parts]
