"""Project: what the holder wants to create, in a few lines, saved as typed."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtWidgets import QFormLayout, QScrollArea, QVBoxLayout, QWidget

from advisor_app.domain.errors import ValidationError
from advisor_app.domain.messages import N_
from advisor_app.i18n import format_date, parse_date
from advisor_app.services.views import CaseDetail
from advisor_app.ui.case.base import CasePage
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import SavedField, SavedLine, SavedText, UndoList

_LINES = (
    ("title", N_("Project")),
    ("sector", N_("Sector")),
    ("legal_form", N_("Legal form")),
)
_TEXTS = (
    ("description", N_("Description")),
    ("market_and_offer", N_("Market and offer")),
    ("advisor_opinion", N_("Advisor's opinion")),
)


class ProjectPage(CasePage):
    def __init__(
        self, session: AppSession, case_id: str, undo: UndoList, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, case_id, undo, parent)
        self.fields: dict[str, SavedField] = {}
        form = QFormLayout()
        for key, caption in _LINES:
            self._add(form, key, caption, SavedLine(partial(self._save, key), undo))
        self._add(form, "planned_start", N_("Planned start"), SavedLine(self._save_start, undo))
        self._add(form, "expected_jobs", N_("Jobs expected"), SavedLine(self._save_jobs, undo))
        for key, caption in _TEXTS:
            self._add(form, key, caption, SavedText(partial(self._save, key), undo))
        inner = QWidget()
        inner.setLayout(form)
        inner.setMaximumWidth(820)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def _add(self, form: QFormLayout, key: str, caption: str, field: SavedField) -> None:
        self.fields[key] = field
        self.add_row(form, caption, field)

    def _save(self, key: str, value: Any) -> None:
        self.session.edit(
            lambda: self.session.services.cases.update_project(self.case_id, {key: value})
        )

    def _save_start(self, text: str) -> None:
        self._save("planned_start", parse_date("planned_start", text) if text.strip() else None)

    def _save_jobs(self, text: str) -> None:
        try:
            jobs = int(text.strip() or "0")
        except ValueError:
            raise ValidationError(
                "expected_jobs", N_("Type a whole number of jobs, such as 0, 1 or 2.")
            ) from None
        self._save("expected_jobs", jobs)

    def show_detail(self, detail: CaseDetail) -> None:
        super().show_detail(detail)
        project = detail.project
        for key, _caption in (*_LINES, *_TEXTS):
            self.fields[key].set_value(getattr(project, key))
        self.fields["planned_start"].set_value(format_date(project.planned_start, "short"))
        self.fields["expected_jobs"].set_value(str(project.expected_jobs))
