"""Files shipped with the program: fonts, icons, style."""

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent
FONTS = RESOURCES / "fonts"
ICONS = RESOURCES / "icons"
