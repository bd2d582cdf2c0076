"""First start: an empty workspace offers to open a first case or to explore demo data."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from advisor_app.i18n import _


class WelcomePage(QWidget):
    create_requested = Signal()
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 20pt; font-weight: 600;")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setFixedWidth(560)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Not `self.create`: that would shadow QWidget.create().
        self.create_button = QPushButton()
        self.demo_button = QPushButton()
        for button in (self.create_button, self.demo_button):
            button.setMinimumHeight(36)
            button.setMinimumWidth(280)
        self.create_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (self.title, self.text, self.create_button, self.demo_button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.create_button.clicked.connect(self.create_requested)
        self.demo_button.clicked.connect(self.demo_requested)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Welcome to Boussole"))
        self.text.setText(
            _(
                "Boussole keeps the files of the people you accompany on this computer, "
                "one file per project holder, and works without a network. Start with your "
                "first case, or explore the application with invented people."
            )
        )
        self.text.setMinimumHeight(self.text.heightForWidth(self.text.width()))
        self.create_button.setText(_("Create my first case"))
        self.demo_button.setText(_("Explore with demo data"))
