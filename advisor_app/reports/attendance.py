"""Attendance sheet: one row per appointment done in a period, with signature boxes.

A session held at a distance (phone, video) cannot be signed on paper: its row says so
instead of offering boxes. A row is as tall as its text, and never cut across two pages:
people sign it, and funders audit it. The programmes of the period head the sheet; when there
are several, each row names its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.units import cm  # type: ignore[import-untyped]

from advisor_app.domain.activity import Period
from advisor_app.domain.enums import AppointmentMode, AppointmentStatus
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
    RULE,
    WHITE,
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
REMOTE_MODES = frozenset({AppointmentMode.PHONE, AppointmentMode.VIDEO})
LONGEST_TOPIC = 280  # characters: a topic longer than this ends with "…" (one row each)


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


def is_remote(appointment: AppointmentSource) -> bool:
    return appointment.mode in REMOTE_MODES


def write_attendance_sheet(case: CaseSource, period: Period, path: Path, frame: PageFrame) -> Path:
    with using_language(frame.language):
        story = attendance_story(case, period, frame, Styles())
        title = f"{_('Attendance sheet')} – {case.person.display_name}"
        subject = _("Appointments of {name} from {first} to {last}, to be signed").format(
            name=case.person.display_name,
            first=format_date(period.first),
            last=format_date(period.last),
        )
        return write_pdf(path, story, frame, title, subject=subject)


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
    programmes = sorted({a.programme.strip() for a in lines if a.programme.strip()})
    story.append(
        facts_table(
            [
                (_("Project holder"), person.display_name),
                (_("Project"), case.project.title),
                (_("Advisor"), frame.advisor or case.advisor),
                (_("Organisation"), frame.organisation),
                (_("Programme"), "\n".join(programmes)),
            ],
            styles,
        )
    )
    story.append(gap(0.5 * cm))
    if not lines:
        story.append(empty_note(_("No appointment done in this period."), styles))
        return story
    story.append(_sheet(lines, styles, each_programme=len(programmes) > 1))
    story.append(gap(0.5 * cm))
    total = sum(a.minutes for a in lines)
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
    remote = sum(1 for a in lines if is_remote(a))
    if remote:
        story.append(
            para(
                ngettext(
                    "{count} of them was held at a distance (phone or video): it has no "
                    "signature box.",
                    "{count} of them were held at a distance (phone or video): they have no "
                    "signature box.",
                    remote,
                ).format(count=remote),
                styles.missing,
            )
        )
    return story


def _sheet(lines: Sequence[AppointmentSource], styles: Styles, each_programme: bool) -> Flowable:
    """The table to sign; each row names its programme when the period has several."""
    rows: list[list[object]] = []
    extra: list[tuple[Any, ...]] = []
    for row, a in enumerate(lines, start=1):
        about = [_shortened(a.topic.strip()) or _("not provided"), label(a.mode)]
        if each_programme and a.programme.strip():
            about.append(_shortened(a.programme.strip()))
        rows.append(
            [
                format_date(a.start.date(), "short"),
                f"{format_time(a.start)}–{format_time(a.end)}",
                format_duration(a.minutes),
                "\n".join(about),
                para(_("Remote: no signature"), styles.missing) if is_remote(a) else "",
                "",
            ]
        )
        if is_remote(a):
            extra.append(("SPAN", (4, row), (5, row)))
            extra.append(("VALIGN", (4, row), (5, row), "MIDDLE"))
        else:
            extra += [
                ("BACKGROUND", (4, row), (5, row), WHITE),
                ("BOX", (4, row), (4, row), 0.5, RULE),
                ("BOX", (5, row), (5, row), 0.5, RULE),
            ]
    total = sum(a.minutes for a in lines)
    widths = [None, None, None, 4.0 * cm, 2.9 * cm, 2.9 * cm]
    return data_table(
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
        split_rows=False,
        extra=[*extra, ("SPAN", (0, -1), (1, -1))],
    )


def _shortened(value: str) -> str:
    """The text as typed, or its first LONGEST_TOPIC characters and "…" (the full text is
    in the progress report and the access export)."""
    if len(value) <= LONGEST_TOPIC:
        return value
    return value[: LONGEST_TOPIC - 1].rstrip() + "…"
