"""What every page of a case shares: the case it shows, its edits (the writer and the undo
stack), translated labels."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from advisor_app.i18n import _
from advisor_app.services.views import CaseDetail
from advisor_app.ui.case.edits import CaseEdits
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import SavedField


class Translated:
    """Widgets whose text is a message id, set again when the language changes."""

    def __init__(self) -> None:
        self._texts: list[tuple[QWidget, str]] = []

    def add(self, widget: QWidget, message_id: str) -> QWidget:
        self._texts.append((widget, message_id))
        widget.setText(_(message_id))  # type: ignore[attr-defined]
        return widget

    def retranslate(self) -> None:
        for widget, message_id in self._texts:
            widget.setText(_(message_id))  # type: ignore[attr-defined]


class CasePage(QWidget):
    """One tab of a case; `show_detail` is called with a fresh read model after each change."""

    def __init__(
        self, session: AppSession, case_id: str, edits: CaseEdits, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.edits = edits
        self.texts = Translated()
        self.detail: CaseDetail | None = None

    def show_detail(self, detail: CaseDetail) -> None:
        self.detail = detail

    def retranslate(self) -> None:
        self.texts.retranslate()
        if self.detail is not None:
            self.show_detail(self.detail)

    def add_row(self, form: QFormLayout, message_id: str, field: QWidget) -> None:
        caption = QLabel()
        self.texts.add(caption, message_id)
        caption.setBuddy(getattr(field, "editor", field))
        if isinstance(field, SavedField):
            field.caption = message_id
        form.addRow(caption, field)

    def saved_fields(self) -> list[SavedField]:
        """The fields of the page (point 13: one holding a refused value is asked about)."""
        return self.findChildren(SavedField)
