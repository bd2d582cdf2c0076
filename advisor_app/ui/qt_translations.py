"""Qt's own strings (standard buttons, file and print dialogs) in the advisor's language.

Qt ships `qtbase_<lang>.qm`, but its French catalogue lags behind Qt's sources: Qt 6 added
mnemonics to some labels of the file dialog ("&Look in:", "Files of &type:") and moved the
file type names to `QAbstractFileIconProvider` ("Folder"), so those strings found no French and
the dialog spoke English. `_Fallback` answers for them from what the catalogue does hold: the
same text without its "&" (given back with one), or the same text under the context Qt used
before. It is installed first, so Qt asks it last, only when no catalogue had an answer.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTranslator
from PySide6.QtWidgets import QApplication

# Where Qt kept a string before it moved it to a new context.
_FORMER_CONTEXTS: dict[str, tuple[str, ...]] = {
    "QAbstractFileIconProvider": ("QFileDialog", "QFileIconProvider", "QFileSystemModel"),
    "QFileSystemModel": ("QFileDialog",),
    "QFileDialog": ("QFileSystemModel",),
}


class _Fallback(QTranslator):
    """Translates what Qt's catalogues miss, from the catalogues themselves."""

    def __init__(self, catalogues: list[QTranslator], parent: QObject) -> None:
        super().__init__(parent)
        self.catalogues = catalogues

    def isEmpty(self) -> bool:
        return not self.catalogues

    def translate(
        self,
        context: str,
        sourceText: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str:
        # None is Qt's "no translation here" (a null string); "" would blank the text.
        found = self._known(context, sourceText, disambiguation, n)
        if found or "&" not in sourceText:
            return found or None  # type: ignore[return-value]
        bare = sourceText.replace("&", "", 1)
        translated = self._known(context, bare, disambiguation, n)
        return _with_mnemonic(translated) if translated else None  # type: ignore[return-value]

    def _known(self, context: str, text: str, disambiguation: str | None, n: int) -> str:
        for where in (context, *_FORMER_CONTEXTS.get(context, ())):
            for catalogue in self.catalogues:
                translated = catalogue.translate(where, text, disambiguation, n)
                if translated:
                    return translated
        return ""


def _with_mnemonic(text: str) -> str:
    """`text` with "&" before its first letter (the key that reaches the field)."""
    for index, character in enumerate(text):
        if character.isalpha():
            return f"{text[:index]}&{text[index:]}"
    return text


_LANGUAGE = "boussoleQtLanguage"  # the application's property: the language installed


def install_qt_translations(app: QApplication, language: str) -> list[QTranslator]:
    """Qt's own strings (standard buttons, file dialogs) in the advisor's language; the
    catalogues loaded (none for English, Qt's own language). Once per language: asked
    again for the same one (the start does), it keeps what is installed."""
    if app.property(_LANGUAGE) == language:
        return [t for t in app.findChildren(QTranslator) if not isinstance(t, _Fallback)]
    app.setProperty(_LANGUAGE, language)
    for old in app.findChildren(QTranslator):
        app.removeTranslator(old)
        old.deleteLater()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded: list[QTranslator] = []
    for name in ("qtbase", "qt"):
        translator = QTranslator(app)
        if translator.load(QLocale(language), name, "_", folder):
            loaded.append(translator)
        else:
            translator.deleteLater()
    if loaded and not language.startswith("en"):  # Qt's sources are English already
        # Installed first, asked last: only for what the catalogues have no answer to.
        app.installTranslator(_Fallback(loaded, app))
        for translator in loaded:
            app.installTranslator(translator)
    return loaded
