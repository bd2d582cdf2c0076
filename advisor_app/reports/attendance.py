"""Attendance sheet: one line per appointment done in a period, with signature boxes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.units import cm  # type: ignore[import-untyped]

from advisor_app.domain.activity import Period
from advisor_app.domain.enums import AppointmentStatus
from advisor_app.i18n import (
    _,
    format_date,
    format_duration,
    format_time,
    label,
    ngettext,
    using_language,
)
from advisor_app.reports.document import (
    CONTENT_WIDTH,
    RULE,
    Flowable,
    Styles,
    data_table,
    empty_note,
    facts_table,
    gap,
    para,
    title_block,
    write_pdf,
)
from advisor_app.reports.sources import AppointmentSource, CaseSource, PageFrame

SIGNATURE_ROW_HEIGHT = 1.5 * cm


def attended(appointments: Sequence[AppointmentSource], period: Period) -> list[AppointmentSource]:
    """Appointments done in the period that count as accompaniment, in time order."""
    return sorted(
        (
            a
            for a in appointments
            if a.status is AppointmentStatus.DONE
            and a.counts_in_reports
            and period.contains(a.start)
        ),
        key=lambda a: a.start,
    )


def write_attendance_sheet(case: CaseSource, period: Period, path: Path, frame: PageFrame) -> Path:
    with using_language(frame.language):
        story = attendance_story(case, period, frame, Styles())
        title = f"{_('Attendance sheet')} – {case.person.display_name}"
        return write_pdf(path, story, frame, title)


def attendance_story(
    case: CaseSource, period: Period, frame: PageFrame, styles: Styles
) -> list[Flowable]:
    person = case.person
    lines = attended(case.appointments, period)
    story: list[Flowable] = title_block(
        _("Attendance sheet"),
        _("From {first} to {last}").format(
            first=format_date(period.first), last=format_date(period.last)
        ),
        styles,
    )
    story.append(
        facts_table(
            [
                (_("Project holder"), person.display_name),
                (_("Project"), case.project.title),
                (_("Advisor"), frame.advisor or case.advisor),
                (_("Organisation"), frame.organisation),
            ],
            styles,
        )
    )
    story.append(gap(0.5 * cm))
    if not lines:
        story.append(empty_note(_("No appointment done in this period."), styles))
        return story
    rows = [
        [
            format_date(a.start.date(), "short"),
            f"{format_time(a.start)}–{format_time(a.end)}",
            format_duration(a.minutes),
            f"{a.topic.strip() or _('not provided')}\n{label(a.mode)}",
            "",
            "",
        ]
        for a in lines
    ]
    total = sum(a.minutes for a in lines)
    widths = [2.2 * cm, 2.3 * cm, 2.1 * cm, 0.0, 3.3 * cm, 3.3 * cm]
    widths[3] = CONTENT_WIDTH - sum(widths)
    story.append(
        data_table(
            [
                _("Date"),
                _("Times"),
                _("Duration"),
                _("Topic"),
                _("Holder's signature"),
                _("Advisor's signature"),
            ],
            rows,
            widths,
            styles,
            right=frozenset({2}),
            footer=[_("Total"), "", format_duration(total), "", "", ""],
            row_height=SIGNATURE_ROW_HEIGHT,
            extra=[
                ("BACKGROUND", (4, 1), (5, len(rows)), colors.white),
                ("BOX", (4, 1), (4, len(rows)), 0.5, RULE),
                ("BOX", (5, 1), (5, len(rows)), 0.5, RULE),
                ("INNERGRID", (4, 1), (5, len(rows)), 0.5, RULE),
                ("SPAN", (0, -1), (1, -1)),
            ],
        )
    )
    story.append(gap(0.5 * cm))
    story.append(
        para(
            ngettext(
                "{count} appointment, {duration} of accompaniment.",
                "{count} appointments, {duration} of accompaniment.",
                len(lines),
            ).format(count=len(lines), duration=format_duration(total)),
            styles.body,
        )
    )
    return story
