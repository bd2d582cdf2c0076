"""Cases to print (a stress case among them), and how a test reads a PDF back: its text, its
pages, a rendered page."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import zlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from advisor_app.cli.case_commands import case_as_json
from advisor_app.domain.enums import (
    AppointmentMode,
    AppointmentStatus,
    FinancingSide,
    FundingKind,
    Gender,
    Situation,
)
from advisor_app.services import AppointmentDraft, FundingDraft, NewCase, Services
from advisor_app.services.reports import ReportService
from advisor_app.services.views import CaseDetail
from advisor_app.storage.workspace import Workspace
from tests.conftest import fixed_clock
from tests.reports.stress import build_stress_case

MODES = list(AppointmentMode)


@dataclass(frozen=True)
class PrintedCase:
    case_id: str
    done_minutes: int
    funding_id: str


@pytest.fixture
def reports(services: Services) -> ReportService:
    services.settings.set("organisation", "Boutique de Gestion des Cévennes")
    services.settings.set("advisor_name", "Hélène Dupré")
    return ReportService(services)


def add_appointments(services: Services, case_id: str, count: int, first: datetime) -> int:
    """`count` appointments, one a day; two in three done. Returns the minutes done."""
    done_minutes = 0
    for index in range(count):
        status = AppointmentStatus.CANCELLED if index % 3 == 0 else AppointmentStatus.DONE
        minutes = 45 + (index % 4) * 15
        services.appointments.add(
            case_id,
            AppointmentDraft(
                start=first + timedelta(days=index),
                minutes=minutes,
                mode=MODES[index % len(MODES)],
                status=status,
                topic=f"Étude de marché n° {index}",
                summary="Relecture du prévisionnel et des devis. " * (index % 5),
                next_actions="Appeler la banque; préparer le dossier du comité.",
            ),
        )
        if status is AppointmentStatus.DONE:
            done_minutes += minutes
    return done_minutes


@pytest.fixture
def printed_case(services: Services) -> PrintedCase:
    """Zoë, whose family name mixes Latin, Greek and Cyrillic, with a full committee file."""
    case_id, _d, _c = services.cases.create(
        NewCase(
            "Zoë",
            "Lefèvre-Παπαδοπούλου-Дмитриева",
            birth_date=date(1990, 4, 2),
            gender=Gender.WOMAN,
            situation=Situation.JOB_SEEKER,
            commune="Alès",
            postcode="30100",
            project_title="Boulangerie « Œuf & Blé »",
            project_description="Pain au levain et viennoiseries, vendus au marché. " * 12,
            opened_on=date(2026, 1, 5),
        )
    )
    services.cases.update_project(
        case_id,
        {
            "market_and_offer": "Trois concurrents à dix kilomètres; clientèle de village.",
            "advisor_opinion": "Projet solide; porteuse expérimentée.",
            "legal_form": "EI",
            "expected_jobs": 2,
        },
    )
    done = add_appointments(services, case_id, 12, datetime(2026, 2, 2, 9, 30))
    services.milestones.mark_done(case_id, "welcome", date(2026, 1, 5))
    services.milestones.mark_done(case_id, "diagnosis", date(2026, 2, 1))
    funding_id, _c = services.funding.add_request(
        case_id,
        FundingDraft("Initiative Gard", FundingKind.HONOUR_LOAN, 800_000, date(2026, 12, 3)),
    )
    services.funding.add_plan_line(case_id, FinancingSide.NEED, "Four à sole", 1_200_000)
    services.funding.add_plan_line(case_id, FinancingSide.NEED, "Fonds de roulement", 345_050)
    services.funding.add_plan_line(case_id, FinancingSide.RESOURCE, "Prêt d'honneur", 800_000)
    services.funding.add_plan_line(case_id, FinancingSide.RESOURCE, "Apport", 745_050)
    for year, turnover in ((1, 9_000_000), (2, 11_000_000), (3, 12_500_000)):
        services.funding.set_forecast(case_id, year, "turnover", turnover)
        services.funding.set_forecast(case_id, year, "purchases", turnover // 3)
        services.funding.set_forecast(case_id, year, "owner_pay", 1_800_000)
        services.funding.set_forecast(case_id, year, "external_charges", 1_500_000)
    return PrintedCase(case_id, done, funding_id)


def pdf_text(path: Path, password: str | None = None) -> str:
    reader = PdfReader(path)
    if password is not None:
        reader.decrypt(password)
    return "\n".join(page.extract_text() for page in reader.pages)


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces made single spaces (wrapped cells)."""
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def render_first_page(path: Path, folder: Path) -> Path:
    """Page 1 as PNG at 60 dpi with pdftoppm; the test is skipped when poppler is absent."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    prefix = folder / path.stem
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(path),
            str(prefix),
        ],
        check=True,
        capture_output=True,
    )
    return prefix.with_suffix(".png")


def ink_share(png: Path) -> float:
    """The share of pixels that are not white, read from the PNG without any image library."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, chunks, header = 8, [], b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        offset += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (0, 2)
    channels = 3 if colour == 2 else 1
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    previous = bytearray(stride)
    inked = 0
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                best = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + best) & 0xFF
        inked += sum(1 for i in range(0, stride, channels) if min(line[i : i + channels]) < 200)
        previous = line
    return inked / (width * height)


# -- a case that pushes every report to its limits ------------------------------------------

STRESS_FIRST, STRESS_LAST = date(2024, 1, 1), date(2025, 12, 31)
REPORTS = ("progress", "committee", "activity", "attendance", "access")
LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class StressPrints:
    """The stress case's read model, its `show --json`, and every report printed from it in
    both languages: files[(report, language)]."""

    case: CaseDetail
    shown: dict[str, Any]
    files: dict[tuple[str, str], Path]
    workspace: Path


@pytest.fixture(scope="session")
def stress_prints(tmp_path_factory: pytest.TempPathFactory) -> StressPrints:
    """Built once per session through the services, as the command line would print it."""
    folder = tmp_path_factory.mktemp("stress")
    services = Services(Workspace.open(folder / "workspace"), clock=fixed_clock)
    try:
        built = build_stress_case(services, folder)
        reports = ReportService(services)
        files: dict[tuple[str, str], Path] = {}
        for language in LANGUAGES:
            out = folder / language
            out.mkdir()
            files["progress", language] = reports.progress(
                built.case_id, out / "progress.pdf", language
            )
            files["committee", language] = reports.committee(
                built.case_id, out / "committee.pdf", language, built.funding_id
            )
            files["activity", language] = reports.activity(
                STRESS_FIRST, STRESS_LAST, out / "activity.pdf", language
            )
            files["attendance", language] = reports.attendance(
                built.case_id, STRESS_FIRST, STRESS_LAST, out / "attendance.pdf", language
            )
            files["access", language] = services.privacy.access_export(
                built.case_id, out / "access", language
            ).pdf
        case = services.cases.get(built.case_id)
        shown = json.loads(json.dumps(case_as_json(case), default=str))
        return StressPrints(case, shown, files, services.workspace.root)
    finally:
        services.close()
