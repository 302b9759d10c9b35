"""The look: a calm office style, Chinese fonts that exist on every machine."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QIcon
from PySide6.QtWidgets import QApplication, QTableView

from resources import FONTS, ICONS, TRANSLATIONS

# Office fonts first where Windows has them; the shipped font covers every other machine.
PREFERRED_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "SimHei", "WenQuanYi Micro Hei",
                      "Noto Sans CJK SC", "Source Han Sans SC")

ACCENT = "#b3261e"  # the Party-red used sparingly: titles, the selected page
# 大字: the body text in points; every other size on screen follows it.
FONT_SIZES = {10: "标准", 12: "大字", 14: "特大"}
DEFAULT_FONT_SIZE = 10
_STYLE = """
QMainWindow, QWidget#page {{ background: #f6f7f9; }}
QListWidget#nav {{ background: #22303c; color: #e8edf2; border: none; font-size: {nav}px;
    padding-top: 8px; outline: 0; }}
QListWidget#nav::item {{ padding: {nav_pad}px 18px; }}
QListWidget#nav::item:selected {{ background: {accent}; color: white; }}
QLabel#pageTitle {{ font-size: {title}px; font-weight: bold; color: #1f2933; }}
QLabel#sectionTitle {{ font-size: {section}px; font-weight: bold; color: #1f2933; }}
QFrame#card {{ background: white; border: 1px solid #dde2e8; border-radius: 6px; }}
QLabel#cardValue {{ font-size: {value}px; font-weight: bold; color: {accent}; }}
QLabel#cardLabel {{ color: #3e4c59; font-size: {section}px; }}
QLabel#hint {{ color: #3e4c59; }}
QLabel#error {{ color: {accent}; }}
QLabel#counterName {{ font-size: {title}px; font-weight: bold; }}
QLabel#counterMessage {{ font-size: {section}px; color: {accent}; }}
QLabel#counterTotal {{ font-size: {total}px; font-weight: bold; }}
QLabel#counterPhoto {{ background: #e4e7eb; color: #52606d; font-size: {photo}px; }}
QPushButton#counterConfirm {{ font-size: {confirm}px; padding: 8px 22px; }}
QPushButton#counterGoods {{ padding: 4px 6px; }}
QTableView, QTreeView {{ background: white; alternate-background-color: #f3f5f7;
    border: 1px solid #dde2e8; selection-background-color: #d9e8f6; selection-color: black; }}
QHeaderView::section {{ background: #eef1f4; border: none; border-right: 1px solid #dde2e8;
    border-bottom: 1px solid #dde2e8; padding: 5px; font-weight: bold; }}
QPushButton {{ padding: 5px 14px; }}
QStatusBar {{ color: #3e4c59; }}
"""


def style_sheet(points: int = DEFAULT_FONT_SIZE) -> str:
    """The style with every size in proportion to the body text (10 pt: the standard sizes)."""
    scale = points / DEFAULT_FONT_SIZE
    sizes = {"nav": 15, "title": 20, "section": 15, "value": 28, "total": 18, "photo": 34,
             "confirm": 16}
    sizes = {k: round(v * scale) for k, v in sizes.items()}
    # The menu's rows keep the standard height, so its 16 pages fit a 768-px screen with 大字
    # too: the padding gives up what the bigger text takes.
    sizes["nav_pad"] = round(11 - 0.65 * (sizes["nav"] - 15))
    return _STYLE.format(accent=ACCENT, **sizes)


STYLE_SHEET = style_sheet()


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
    own few words Qt's translation leaves in English. The Chinese locale names the months and
    weekdays of every date field's calendar (十二月, 周一), whatever the system's language."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
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
    font.setPointSize(DEFAULT_FONT_SIZE)
    app.setFont(font)
    app.setStyle("Fusion")
    app.setStyleSheet(STYLE_SHEET)


def set_font_size(app: QApplication, points: int) -> None:
    """大字: the body text at `points` (10, 12 or 14), and everything on screen in proportion,
    open pages and tables included."""
    font = app.font()
    font.setPointSize(points)
    app.setFont(font)
    app.setStyleSheet(style_sheet(points))
    row = QFontMetrics(font).height() + 10
    for widget in app.allWidgets():
        if isinstance(widget, QTableView):
            widget.verticalHeader().setDefaultSectionSize(row)
