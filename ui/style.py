"""The look: a calm office style, Chinese fonts that exist on every machine."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from resources import FONTS, ICONS, TRANSLATIONS

# Office fonts first where Windows has them; the shipped font covers every other machine.
PREFERRED_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "SimHei", "WenQuanYi Micro Hei",
                      "Noto Sans CJK SC", "Source Han Sans SC")

ACCENT = "#b3261e"  # the Party-red used sparingly: titles, the selected page
STYLE_SHEET = f"""
QMainWindow, QWidget#page {{ background: #f6f7f9; }}
QListWidget#nav {{ background: #22303c; color: #e8edf2; border: none; font-size: 15px;
    padding-top: 8px; outline: 0; }}
QListWidget#nav::item {{ padding: 11px 18px; }}
QListWidget#nav::item:selected {{ background: {ACCENT}; color: white; }}
QLabel#pageTitle {{ font-size: 20px; font-weight: bold; color: #1f2933; }}
QLabel#sectionTitle {{ font-size: 15px; font-weight: bold; color: #1f2933; }}
QFrame#card {{ background: white; border: 1px solid #dde2e8; border-radius: 6px; }}
QLabel#cardValue {{ font-size: 28px; font-weight: bold; color: {ACCENT}; }}
QLabel#cardLabel {{ color: #52606d; font-size: 14px; }}
QLabel#hint {{ color: #616e7c; }}
QLabel#error {{ color: {ACCENT}; }}
QTableView, QTreeView {{ background: white; alternate-background-color: #f3f5f7;
    border: 1px solid #dde2e8; selection-background-color: #d9e8f6; selection-color: black; }}
QHeaderView::section {{ background: #eef1f4; border: none; border-right: 1px solid #dde2e8;
    border-bottom: 1px solid #dde2e8; padding: 5px; font-weight: bold; }}
QPushButton {{ padding: 5px 14px; }}
QStatusBar {{ color: #52606d; }}
"""


def load_fonts() -> list[str]:
    """Register the shipped font files with Qt; returns the families they provide."""
    families: list[str] = []
    for path in sorted(FONTS.glob("*.tt[fc]")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families += QFontDatabase.applicationFontFamilies(font_id)
    return families


def program_icon() -> QIcon:
    icon = QIcon()
    for path in sorted(ICONS.glob("cunzhi-*.png")):
        icon.addFile(str(path))
    return icon


QT_TRANSLATION = "qtbase_zh_CN"
EXTRA_TRANSLATION = "cunzhi_qt_zh_CN"


def install_qt_translation(app: QApplication) -> None:
    """Qt's own words in Chinese: a text field's context menu (撤销、复制、粘贴…), the file dialog
    where the system has none of its own, the standard buttons. Qt's translation from the Qt
    installation, or the copy shipped in resources/translations when a build lacks it; then our
    own few words Qt's translation leaves in English."""
    if has_qt_translation(app):
        return
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folders in ((QT_TRANSLATION, (qt_folder, str(TRANSLATIONS))),
                          (EXTRA_TRANSLATION, (str(TRANSLATIONS),))):
        translator = QTranslator(app)
        translator.setObjectName(name)
        if any(translator.load(name, folder) for folder in folders):
            app.installTranslator(translator)
        else:
            translator.deleteLater()


def has_qt_translation(app: QApplication) -> bool:
    return app.findChild(QTranslator, QT_TRANSLATION) is not None


def apply(app: QApplication) -> None:
    install_qt_translation(app)
    app.setWindowIcon(program_icon())
    shipped = load_fonts()
    available = set(QFontDatabase.families())
    families = [f for f in (*PREFERRED_FAMILIES, *shipped) if f in available]
    font = QFont()
    if families:
        font.setFamilies(families)
    font.setPointSize(10)
    app.setFont(font)
    app.setStyle("Fusion")
    app.setStyleSheet(STYLE_SHEET)
