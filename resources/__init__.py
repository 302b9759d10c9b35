"""Files shipped with the program: fonts, icons, style, Qt's Chinese translations."""

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent
FONTS = RESOURCES / "fonts"
ICONS = RESOURCES / "icons"
TRANSLATIONS = RESOURCES / "translations"
