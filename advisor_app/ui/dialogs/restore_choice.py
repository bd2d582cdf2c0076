"""Which save of a damaged case to put back, when the quarantine holds a sound copy of it
saved after its newest backup: that copy, or the older backup anyway (the copy then stays in
the quarantine). The restore refused to choose alone, so that no save is lost unsaid."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from advisor_app.i18n import _, format_datetime
from advisor_app.services.quarantine import QuarantinedCase, RestoreChoice


class RestoreChoiceBox(QMessageBox):
    """Asks which save to put back (opened without waiting on it); `on_choice` gets the
    advisor's answer. `newer_button` puts back the copy of the quarantine; `backup_button`,
    shown when a backup holds the case, takes that backup anyway."""

    def __init__(
        self,
        parent: QWidget | None,
        newest: QuarantinedCase,
        on_choice: Callable[[RestoreChoice], object],
    ) -> None:
        super().__init__(
            QMessageBox.Icon.Question, _("Which save should be put back?"), "", parent=parent
        )
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        assert newest.state is not None  # the copy offered opens as a case file
        saved = format_datetime(newest.state.updated_at)
        self.backup_button: QAbstractButton | None = None
        if newest.backup is not None and newest.backup_state is not None:
            backup_saved = format_datetime(newest.backup_state.updated_at)
            self.setText(
                _(
                    "The quarantine holds a sound copy of this case saved on {saved}, later "
                    "than its newest backup, saved on {backup_saved}. Nothing was restored yet, "
                    "so that no save is lost."
                ).format(saved=saved, backup_saved=backup_saved)
            )
            self.setInformativeText(
                _(
                    "Put back the newer copy to keep everything saved until {saved}. The older "
                    "backup lacks what was saved after {backup_saved}; if you take it anyway, "
                    "the newer copy stays in the quarantine."
                ).format(saved=saved, backup_saved=backup_saved)
            )
            self.newer_button = self.addButton(
                _("Put back the newer copy"), QMessageBox.ButtonRole.AcceptRole
            )
            self.backup_button = self.addButton(
                _("Restore the older backup anyway"), QMessageBox.ButtonRole.DestructiveRole
            )
        else:
            self.setText(
                _(
                    "No backup holds this case, but the quarantine holds a sound copy of it "
                    "saved on {saved}. Nothing was restored yet."
                ).format(saved=saved)
            )
            self.newer_button = self.addButton(
                _("Put back this copy"), QMessageBox.ButtonRole.AcceptRole
            )
        self.cancel_button = self.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.newer_button)  # type: ignore[arg-type]
        self.setEscapeButton(self.cancel_button)
        self._on_choice = on_choice
        self.buttonClicked.connect(self._clicked)

    def _clicked(self, button: QAbstractButton) -> None:
        if button is self.newer_button:
            self._on_choice(RestoreChoice.QUARANTINED)
        elif button is self.backup_button:
            self._on_choice(RestoreChoice.BACKUP)


def newest_sound_copy(files: list[QuarantinedCase], case_id: str) -> QuarantinedCase | None:
    """The copy of `case_id` in the quarantine with the latest save, among those that open."""
    sound = [f for f in files if f.case_id == case_id and f.state is not None]
    return max(sound, key=lambda f: (f.state.updated_at, f.state.revision)) if sound else None  # type: ignore[union-attr]
