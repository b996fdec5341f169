"""The app's languages: Chinese first, English through Qt's translation system.

Every UI string is written in Chinese in the source and wrapped in ``self.tr()`` (or
``QCoreApplication.translate`` for module-level text); ``pyside6-lupdate`` collects them into
``resources/translations/inspector_en.ts``, where the English lives, and ``pyside6-lrelease``
compiles that to the ``.qm`` loaded here. Domain data that carries both languages (indicator
names, verdict reasons) is picked with :func:`pick`.

Switching happens at runtime: installing a translator makes Qt send ``LanguageChange`` to every
widget, and each widget re-sets its texts in ``changeEvent``. The choice is kept in QSettings.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QSettings, QTranslator

from inspector.paths import RESOURCES

CHINESE = "zh_CN"
ENGLISH = "en"
# Language code and its name in that language (menu entries are never translated).
LANGUAGES = ((CHINESE, "中文"), (ENGLISH, "English"))
SETTING = "ui/language"
TRANSLATIONS = RESOURCES / "translations"

_current = CHINESE
_installed: list[QTranslator] = []


def saved_language() -> str:
    """The language chosen last time (Chinese when never chosen or unknown)."""
    value = QSettings().value(SETTING, CHINESE)
    return value if value in dict(LANGUAGES) else CHINESE


def current_language() -> str:
    """The language the UI speaks now."""
    return _current


def is_english() -> bool:
    """Whether the UI speaks English now."""
    return _current == ENGLISH


def pick(zh: str, en: str) -> str:
    """The text of a bilingual domain field in the UI's language (Chinese when no English)."""
    return en if is_english() and en else zh


def apply_language(language: str, *, save: bool = True) -> bool:
    """Speak ``language`` from now on; True when its translations were found.

    Chinese needs no translation of ours, only Qt's own (standard buttons, file dialogs).
    """
    global _current
    app = QCoreApplication.instance()
    if app is None or language not in dict(LANGUAGES):
        return False
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if language == ENGLISH:
        sources = [(TRANSLATIONS, "inspector_en")]
    else:
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        sources = [(qt_dir, "qtbase_zh_CN"), (qt_dir, "qtwebengine_zh_CN")]
    found = True
    for folder, name in sources:
        translator = QTranslator(app)
        if translator.load(name, str(folder)):
            app.installTranslator(translator)
            _installed.append(translator)
        else:
            found = False
    _current = language
    if save:
        QSettings().setValue(SETTING, language)
    return found
