"""The user guide shipped with Boussole, in the current language, beside the main window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from advisor_app.i18n import DEFAULT_LANGUAGE, _, current_language
from advisor_app.package_files import resource

# Room above the headings of sections (2) and subsections (3), in pixels: Qt's Markdown
# import sets none, which glues a section's title to its first subsection's.
HEADING_SPACE = {2: 22, 3: 12}


def guide_text(language: str) -> str:
    """The guide's Markdown in `language` (French if that language has none)."""
    for candidate in dict.fromkeys((language, DEFAULT_LANGUAGE)):
        shipped = resource("guide", f"{candidate}.md")
        try:
            return str(shipped.read_text(encoding="utf-8"))
        except OSError:
            continue
    return "# " + _("The user guide is missing from this installation.")


def space_headings(document: QTextDocument) -> None:
    cursor = QTextCursor(document)
    block = document.begin()
    while block.isValid():
        block_format = block.blockFormat()
        space = HEADING_SPACE.get(block_format.headingLevel())
        if space is not None:
            block_format.setTopMargin(space)
            cursor.setPosition(block.position())
            cursor.setBlockFormat(block_format)
        block = block.next()


class GuideWindow(QDialog):
    """Not modal: the advisor reads it while working. Escape or Close hides it; F1 brings
    it back where it was."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.WindowMinMaxButtonsHint, True)
        self.language = ""
        self.browser = QTextBrowser()
        self.browser.setObjectName("guide")
        self.browser.setOpenExternalLinks(True)
        self.browser.document().setDocumentMargin(16)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.addWidget(self.browser, 1)
        buttons_row = QVBoxLayout()
        buttons_row.setContentsMargins(8, 0, 8, 0)
        buttons_row.addWidget(self.buttons)
        layout.addLayout(buttons_row)
        self.setMinimumSize(420, 360)
        self.resize(720, 760)
        self._fitted = False
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Boussole user guide"))
        self.browser.setAccessibleName(_("User guide"))
        self.close_button.setText(_("Close"))
        language = current_language()
        if language != self.language:
            self.language = language
            self.browser.setMarkdown(guide_text(language))
            space_headings(self.browser.document())

    def show_guide(self) -> None:
        """Show it (again), in front, in the current language."""
        self.retranslate()
        if not self._fitted:
            self._fit_screen()
        self.show()
        self.raise_()
        self.activateWindow()
        self.browser.setFocus()

    def _fit_screen(self) -> None:
        """On a small screen, no taller or wider than the room there is."""
        self._fitted = True
        screen = (self.parentWidget() or self).screen()
        room = screen.availableGeometry()
        self.resize(min(self.width(), room.width()), min(self.height(), room.height() - 60))
