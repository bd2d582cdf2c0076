"""The files themselves: what the access export holds, the attendance sheet people sign, the
page header with any names, an empty case on as few pages as it needs, and the PDF's
metadata and permissions."""

from __future__ import annotations

import json
import os
import re
import stat
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.platypus import Paragraph

from advisor_app.cli.case_commands import case_as_json
from advisor_app.domain.enums import (
    AppointmentMode,
    AppointmentStatus,
    CaseStatus,
    ConsentScope,
    FinancingSide,
    FundingDecision,
    FundingKind,
    Gender,
    LabelledEnum,
    Outcome,
    Recommendation,
    Situation,
)
from advisor_app.i18n import (
    _,
    format_date,
    format_duration,
    format_money,
    format_time,
    label,
    using_language,
)
from advisor_app.reports.document import Styles, text
from advisor_app.services import AppointmentDraft, FundingDraft, NewCase, Services
from advisor_app.services.cases import PERSON_FIELDS, PROJECT_FIELDS
from advisor_app.services.reports import ReportService
from advisor_app.storage.workspace import Workspace
from tests.reports.conftest import PrintedCase, pdf_text
from tests.reports.glyphs import plain, read_pdf, words_of
from tests.reports.stress import ADVISOR, ORGANISATION

PASSWORD = "une phrase de passe assez longue"


# -- a line never breaks inside a number, a time, an amount or a duration -------------------


@pytest.mark.parametrize(
    "item",
    ["1\u202f200\u202f000,00\xa0€", "11:30\u202fAM–12:15\u202fPM", "1 h 30", "45 min", "n° 12"],
)
def test_an_item_moves_whole_to_the_next_line(item: str) -> None:
    styles = Styles()
    paragraph = Paragraph(text(f"Besoin total du projet {item} couvert"), styles.cell)
    paragraph.wrap(110, 1000)
    lines = [
        " ".join(line[1]) if isinstance(line, tuple) else "".join(w.text for w in line.words)
        for line in paragraph.blPara.lines
    ]
    assert any(plain(item) in plain(line) for line in lines), lines


# -- the access export --------------------------------------------------------------------------


@pytest.fixture
def marked_case(services: Services, tmp_path: Path) -> str:
    """A case whose every field holds a value found nowhere else ("Mq1x", 31 days...)."""
    case_id, _d, _c = services.cases.create(
        NewCase("Mqfirstx", "Mqlastx", opened_on=date(2025, 3, 3))
    )
    values: dict[str, dict[str, Any]] = {"person": {}, "project": {}}
    numbers = iter(range(31, 400, 7))
    for part, fields in (("person", PERSON_FIELDS), ("project", PROJECT_FIELDS)):
        for index, (name, kind) in enumerate(fields.items()):
            if kind is str:
                values[part][name] = f"Mq{part[:3]}{index}x"
            elif kind is int:
                values[part][name] = next(numbers) * (1000 if name.endswith("_cents") else 1)
            elif kind is date:
                values[part][name] = date(2025, 4, 1) + timedelta(days=index)
            elif kind is bool:
                values[part][name] = True
            elif isinstance(kind, type) and issubclass(kind, LabelledEnum):
                values[part][name] = list(kind)[1]
    values["person"]["email"] = "mq.courriel@exemple.fr"
    services.cases.update_person(case_id, values["person"])
    services.cases.update_project(case_id, values["project"])
    services.appointments.add(
        case_id,
        AppointmentDraft(
            start=datetime(2025, 5, 6, 14, 45),
            minutes=95,
            mode=AppointmentMode.VIDEO,
            place="Mqplacex",
            topic="Mqtopicx",
            summary="Mqsummaryx",
            next_actions="Mqnextx",
            status=AppointmentStatus.DONE,
            programme="Mqprogrammex",
            counts_in_reports=False,
        ),
    )
    services.milestones.mark_done(case_id, "welcome", date(2025, 3, 4))
    services.milestones.set_comment(case_id, "welcome", "Mqcommentx")
    services.funding.add_request(
        case_id,
        FundingDraft(
            "Mqfunderx",
            FundingKind.BANK_LOAN,
            4_321_000,
            date(2025, 6, 17),
            term_months=84,
            deferral_months=6,
            annual_rate_basis_points=375,
        ),
    )
    services.funding.add_plan_line(case_id, FinancingSide.NEED, "Mqneedx", 4_321_000)
    services.funding.set_forecast(case_id, 1, "turnover", 9_870_000)
    services.notes.add_note(case_id, "Mqnotex")
    services.notes.record_consent(
        case_id, ConsentScope.SHARING, date(2025, 3, 5), "Mqhowx", partner="Mqpartnerx"
    )
    document = tmp_path / "Mqfilex.pdf"
    document.write_bytes(b"%PDF-1.4\n")
    services.notes.attach(case_id, document)
    return case_id


_ENUMS: dict[str, tuple[type[LabelledEnum], ...]] = {
    "status": (CaseStatus, AppointmentStatus),
    "outcome": (Outcome,),
    "gender": (Gender,),
    "situation": (Situation,),
    "mode": (AppointmentMode,),
    "kind": (FundingKind,),
    "decision": (FundingDecision,),
    "scope": (ConsentScope,),
    "recommendation": (Recommendation,),
}


def _expected(key: str, value: Any) -> list[str]:
    """How the access export writes a value of `show --json` (nothing for internal keys and
    for what the layout says: the rows' order, the plan's and stages' states, yes and no)."""
    if value is None or isinstance(value, bool) or value == "":
        return []
    if key in ("id", "key", "position", "balanced", "late", "annual_rate_basis_points"):
        return []
    if key == "situation":
        return []  # said of the person (situation_label), checked in the reports' tests
    if isinstance(value, int):
        if key.endswith("_cents"):
            return [format_money(value)]
        if key in ("minutes", "done_minutes"):
            return [format_duration(value)]
        return [str(value)]
    if key in _ENUMS:
        for kind in _ENUMS[key]:
            if value in {member.value for member in kind}:
                return [label(kind(value))]
    if key == "label":
        return [_(value)]  # a stage in words; a plan line as typed
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return [format_date(date.fromisoformat(value))]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", value):
        moment = datetime.fromisoformat(value)
        return [format_date(moment.date(), "short"), format_time(moment)]
    return [value]


def _leaves(value: Any, key: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, k)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v, key)]
    return [(key, value)]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_access_export_holds_everything_show_json_holds(
    services: Services, marked_case: str, tmp_path: Path, language: str
) -> None:
    case = services.cases.get(marked_case)
    shown = json.loads(json.dumps(case_as_json(case), default=str))
    export = services.privacy.access_export(marked_case, tmp_path / "export", language)
    printed = plain(pdf_text(export.pdf))
    with using_language(language):
        missing = [
            (key, expected)
            for key, value in _leaves(shown)
            for expected in _expected(key, value)
            if plain(expected) not in printed
        ]
    assert missing == []


def test_the_access_export_speaks_french_and_holds_the_forecast(
    services: Services, marked_case: str, tmp_path: Path
) -> None:
    export = services.privacy.access_export(marked_case, tmp_path / "export", "fr")
    printed = plain(pdf_text(export.pdf))
    assert "Accueil" in printed and "Welcome" not in printed
    assert "Diagnostic" in printed and "Diagnosis" not in printed
    assert "Partage avec un partenaire" in printed
    assert not re.search(r"\b(sharing|processing|turnover|bank_loan)\b", printed)
    assert "Chiffre d'affaires" in printed
    assert "98 700,00 €" in printed
    assert "Mqfunderx" in printed and "84 mois" in printed and "3,75 %" in printed


# -- the attendance sheet ----------------------------------------------------------------------


def test_remote_sessions_have_no_signature_box_and_the_programme_is_named(
    services: Services, reports: ReportService, printed_case: PrintedCase, tmp_path: Path
) -> None:
    case = services.cases.get(printed_case.case_id)
    first, last = date(2026, 2, 1), date(2026, 2, 28)
    done = [
        a for a in case.appointments if a.status is AppointmentStatus.DONE and a.start.month == 2
    ]
    remote = [a for a in done if a.mode in (AppointmentMode.PHONE, AppointmentMode.VIDEO)]
    path = reports.attendance(printed_case.case_id, first, last, tmp_path / "s.pdf", "en")
    printed = plain(pdf_text(path))
    assert remote
    assert printed.count("Remote: no signature") == len(remote)
    assert f"{len(remote)} of them" in printed
    assert "Programme not provided" in printed


def test_a_long_topic_keeps_one_row_per_appointment(
    services: Services, reports: ReportService, tmp_path: Path
) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Inès", "Benali"))
    for day in range(1, 13):
        services.appointments.add(
            case_id,
            AppointmentDraft(
                start=datetime(2026, 3, day, 9, 15),
                minutes=75,
                status=AppointmentStatus.DONE,
                topic=("Préparation du comité d'engagement Initiative Creuse " * 6)[: 24 * day],
                programme="Parcours création – Région",
            ),
        )
    path = reports.attendance(case_id, date(2026, 3, 1), date(2026, 3, 31), tmp_path / "s.pdf")
    reading = read_pdf(path)
    times = re.findall(r"9:15\s*AM–10:30\s*AM|09:15–10:30", plain(reading.text))
    assert len(times) == 12
    assert reading.overprints == []
    assert "Parcours création – Région" in plain(reading.text)


# -- the page header ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("organisation", "advisor"),
    [
        (ORGANISATION, ADVISOR),
        ("Boutique" * 40, "Conseillère-" * 20),
        ("BGE", "Marie-Bérénice de La Tour-d'Auvergne-Saint-Évremond " * 4),
    ],
    ids=["real-pair", "no-spaces", "long-advisor"],
)
def test_the_header_holds_any_names_without_overlap(
    services: Services, printed_case: PrintedCase, tmp_path: Path, organisation: str, advisor: str
) -> None:
    services.settings.set("organisation", organisation)
    services.settings.set("advisor_name", advisor)
    path = ReportService(services).progress(printed_case.case_id, tmp_path / "p.pdf", "fr")
    reading = read_pdf(path)
    assert reading.overprints == []
    first_page = words_of([reading.pages[0]])
    if (organisation, advisor) == (ORGANISATION, ADVISOR):
        assert words_of([organisation, advisor]) <= first_page
    else:
        assert "…" in reading.pages[0]


# -- an empty case ------------------------------------------------------------------------------


@pytest.mark.parametrize("report", ["progress", "committee", "attendance", "access"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_empty_case_adds_no_page_holding_a_line_or_two(
    services: Services, reports: ReportService, tmp_path: Path, report: str, language: str
) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Ana", "Sá"))
    path = tmp_path / f"{report}.pdf"
    if report == "progress":
        reports.progress(case_id, path, language)
    elif report == "committee":
        reports.committee(case_id, path, language)
    elif report == "attendance":
        reports.attendance(case_id, date(2026, 1, 1), date(2026, 12, 31), path, language)
    else:
        path = services.privacy.access_export(case_id, tmp_path / "export", language).pdf
    fills = read_pdf(path).fills
    assert len(fills) == 1 or fills[-1] > 0.1, fills


# -- metadata, reprints, permissions ------------------------------------------------------------


def test_the_pdf_says_when_it_was_made_by_whom_about_what_and_in_which_language(
    reports: ReportService, printed_case: PrintedCase, tmp_path: Path
) -> None:
    path = reports.progress(printed_case.case_id, tmp_path / "p.pdf", "fr")
    reader = PdfReader(path)
    info = reader.metadata
    assert info is not None and info.creation_date is not None
    assert info.creation_date.replace(tzinfo=None) == datetime(2026, 11, 25, 12, 0)
    assert info.title == "Rapport de suivi – Zoë Lefèvre-Παπαδοπούλου-Дмитриева"
    assert info.author == "Hélène Dupré – Boutique de Gestion des Cévennes"
    assert "Zoë Lefèvre" in (info.subject or "")
    assert reader.trailer["/Root"]["/Lang"] == "fr"


def _reprint(root: Path, case_id: str, at: datetime, path: Path) -> Path:
    later = Services(Workspace.open(root), clock=lambda: at)
    try:
        return ReportService(later).progress(case_id, path, "en")
    finally:
        later.close()


def test_the_footer_carries_the_day_so_two_prints_of_a_day_read_the_same(
    services: Services, printed_case: PrintedCase, tmp_path: Path
) -> None:
    root = services.workspace.root
    morning = _reprint(root, printed_case.case_id, datetime(2026, 11, 25, 9, 0), tmp_path / "a.pdf")
    evening = _reprint(
        root, printed_case.case_id, datetime(2026, 11, 25, 17, 42), tmp_path / "b.pdf"
    )
    assert read_pdf(morning).pages == read_pdf(evening).pages
    with using_language("en"):
        day = format_date(date(2026, 11, 25))
    assert f"Printed on {plain(day)}" in plain(read_pdf(morning).pages[0])


def test_a_reprint_is_byte_identical_under_source_date_epoch(
    services: Services, printed_case: PrintedCase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764072000")  # 2025-11-25 12:00 UTC
    root = services.workspace.root
    first = _reprint(root, printed_case.case_id, datetime(2026, 11, 25, 9, 0), tmp_path / "a.pdf")
    again = _reprint(root, printed_case.case_id, datetime(2026, 12, 2, 16, 5), tmp_path / "b.pdf")
    assert first.read_bytes() == again.read_bytes()
    info = PdfReader(first).metadata
    assert info is not None and info.creation_date is not None
    assert info.creation_date.year == 2025


def test_every_report_is_readable_by_its_owner_only(
    services: Services, reports: ReportService, printed_case: PrintedCase, tmp_path: Path
) -> None:
    old = os.umask(0o022)
    try:
        case_id = printed_case.case_id
        files = [
            reports.progress(case_id, tmp_path / "p.pdf"),
            reports.committee(case_id, tmp_path / "c.pdf", password=PASSWORD),
            reports.activity(date(2026, 1, 1), date(2026, 12, 31), tmp_path / "a.pdf"),
            reports.attendance(case_id, date(2026, 2, 1), date(2026, 2, 28), tmp_path / "s.pdf"),
            services.privacy.access_export(case_id, tmp_path / "export").pdf,
        ]
    finally:
        os.umask(old)
    assert {oct(stat.S_IMODE(f.stat().st_mode)) for f in files} == {oct(0o600)}
