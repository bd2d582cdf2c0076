"""PDF documents (reportlab) built from the services' read models.

Each report module turns plain data into a story of flowables and writes it with the common
page frame of `document.py`; `registry.py` declares which reports exist and what they need.
"""

from advisor_app.reports.activity import write_activity_report
from advisor_app.reports.attendance import write_attendance_sheet
from advisor_app.reports.committee import write_committee_file
from advisor_app.reports.progress import write_progress_report
from advisor_app.reports.registry import REPORT_KINDS, ReportKind, report_kind
from advisor_app.reports.sources import PageFrame

__all__ = [
    "REPORT_KINDS",
    "PageFrame",
    "ReportKind",
    "report_kind",
    "write_activity_report",
    "write_attendance_sheet",
    "write_committee_file",
    "write_progress_report",
]
