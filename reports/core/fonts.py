"""Chinese text for reportlab: font chains per role and per-character fallback.

reportlab prints a character its font lacks as a blank, silently. So every
string is cut into runs, each in the first font of the role's chain whose cmap
has the character: the office fonts GB/T 9704 names for the role when installed, then the
shipped faces standing in for it (serif for titles and body, Hei for 黑体), then wide-coverage
system faces, the other shipped faces, and Ext A Mincho, so a rare name character like 䶮 still
prints. A character in no font at all is reported before printing (`missing_anywhere`).
"""

import logging
from functools import cache, lru_cache
from pathlib import Path
from typing import ClassVar
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from models.core.privacy import redact_ids
from reports.core import font_files
from reports.core.font_files import FontFile
from reports.core.linebreak import CHINESE_CANNOT_START  # noqa: F401 - re-exported

log = logging.getLogger(__name__)

# Roles: "title" (小标宋), "fang" (仿宋), "song" (宋体), "kai" (楷体), "hei" (黑体); see font_files.
ROLES = tuple(font_files.SHIPPED_BY_ROLE)


class _Settings:
    """Module-wide switches, held in one object so no `global` statement is needed."""

    use_system_fonts = True


_settings = _Settings()


def use_system_fonts(enabled: bool) -> None:
    """Switch system font discovery off (tests, identical output everywhere)."""
    _settings.use_system_fonts = enabled
    _chain.cache_clear()
    runs.cache_clear()


class _LazyFont:
    """A font registered with reportlab on first use (0.1-0.2 s each), then shared."""

    _registered: ClassVar[dict[FontFile, "_LazyFont"]] = {}

    def __init__(self, file: FontFile):
        self.file = file
        self.name = f"cz-{Path(file.path).name}-{file.index}"
        self._cmap: dict[int, int] | None = None

    @classmethod
    def of(cls, file: FontFile) -> "_LazyFont":
        return cls._registered.setdefault(file, cls(file))

    @property
    def cmap(self) -> dict[int, int]:
        if self._cmap is None:
            self._cmap = self._register()
        return self._cmap

    def _register(self) -> dict[int, int]:
        try:
            font = TTFont(self.name, self.file.path, subfontIndex=self.file.index)
        except (TTFError, OSError, ValueError) as error:
            log.warning("字体不可用 %s: %s", self.file.path, error)
            return {}
        pdfmetrics.registerFont(font)
        return font.face.charToGlyph


@cache
def _chain(role: str) -> tuple[_LazyFont, ...]:
    system = _settings.use_system_fonts
    files = [*font_files.role_fonts(role)] if system else []
    files += font_files.SHIPPED_BY_ROLE[role]
    if system:
        files += font_files.coverage_fonts()
    files += [face for faces in font_files.SHIPPED_BY_ROLE.values() for face in faces]
    files.append(font_files.SHIPPED_EXT_A)
    return tuple(_LazyFont.of(f) for f in dict.fromkeys(files))


def _font_for(role: str, char: str) -> str:
    code = ord(char)
    if code < 0x20:  # line breaks and tabs: never drawn, keep the run unbroken
        return primary_font(role)
    for font in _chain(role):
        if code in font.cmap:
            return font.name
    log.warning("没有字体含有字符 U+%04X", code)
    return primary_font(role)


def primary_font(role: str = "hei") -> str:
    """Registered name of the role's first usable font (for styles and canvas defaults)."""
    for font in _chain(role):
        if font.cmap:
            return font.name
    raise RuntimeError("没有可用的中文字体")


@lru_cache(maxsize=8192)
def runs(text: str, role: str = "hei") -> tuple[tuple[str, str], ...]:
    """Cut text into (font name, chunk) runs, each chunk drawable in its font.

    Every printed string passes here, so this is where stray ID numbers are starred out.
    """
    result: list[list[str]] = []
    for char in redact_ids(text):
        name = _font_for(role, char)
        if result and result[-1][0] == name:
            result[-1][1] += char
        else:
            result.append([name, char])
    return tuple((name, chunk) for name, chunk in result)


def missing_chars(text: str, role: str = "hei") -> str:
    """Characters no font of the role's chain can draw, each once, in order of appearance."""
    return "".join(dict.fromkeys(
        c for c in text if ord(c) >= 0x20 and not any(ord(c) in f.cmap for f in _chain(role))))


def missing_anywhere(text: str) -> str:
    """Characters no available font of any role can draw: they would print as blanks."""
    candidates = missing_chars("".join(dict.fromkeys(text)), "hei")
    return "".join(c for c in candidates if all(missing_chars(c, role) for role in ROLES))


def markup(text: str, role: str = "hei") -> str:
    """Paragraph markup: XML-escaped text, fallback runs wrapped in <font name>."""
    main = primary_font(role)
    return "".join(
        escape(chunk) if name == main else f'<font name="{name}">{escape(chunk)}</font>'
        for name, chunk in runs(text, role)
    )


def text_width(text: str, size: float, role: str = "hei") -> float:
    return sum(pdfmetrics.stringWidth(chunk, name, size) for name, chunk in runs(text, role))


def fit_size(
    text: str, width: float, size: float, role: str = "hei", min_size: float = 5.0
) -> float:
    """Largest size up to `size` at which text fits in `width` on one line (not below min)."""
    return _fitted(text_width(text, size, role), width, size, min_size)[0]


def fit(
    text: str, width: float, size: float, role: str = "hei", min_size: float = 5.0
) -> tuple[float, float]:
    """(size, horizontal scale %) that fit the width: shrink to min_size, then condense."""
    return _fitted(text_width(text, size, role), width, size, min_size)


def _fitted(natural: float, width: float, size: float, min_size: float) -> tuple[float, float]:
    """From the width at `size` (widths scale linearly with size): (size, scale %)."""
    if natural <= width:
        return size, 100.0
    fitted = max(min_size, size * width / natural)
    at_fitted = natural * fitted / size
    return fitted, 100.0 if at_fitted <= width else 100.0 * width / at_fitted


def draw_text(
    canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    role: str = "hei",
    align: str = "left",
    max_width: float | None = None,
    min_size: float = 5.0,
) -> None:
    """Draw one line at baseline y, fitted to max_width; align left/centre/right of x."""
    natural = text_width(text, size, role)
    scale = 100.0
    if max_width is not None and natural > max_width:
        fitted, scale = _fitted(natural, max_width, size, min_size)
        natural, size = natural * fitted / size, fitted
    width = natural * scale / 100
    start = x - {"left": 0, "centre": width / 2, "right": width}[align]
    text_object = canvas.beginText(start, y)
    text_object.setHorizScale(scale)
    for name, chunk in runs(text, role):
        text_object.setFont(name, size)
        text_object.textOut(chunk)
    canvas.drawText(text_object)


def draw_lines(canvas, x: float, baseline: float, lines: list[str], size: float, pitch: float,
               role: str = "hei", align: str = "left") -> None:
    """Several lines, `pitch` apart, in ONE text object, so a PDF reader takes them as one
    block of text (a wrapped table cell reads in order, not interleaved with its neighbours)."""
    text_object = canvas.beginText(x, baseline)
    for number, line in enumerate(lines):
        width = text_width(line, size, role)
        start = x - {"left": 0, "centre": width / 2, "right": width}[align]
        text_object.setTextOrigin(start, baseline - number * pitch)
        for name, chunk in runs(line, role):
            text_object.setFont(name, size)
            text_object.textOut(chunk)
    canvas.drawText(text_object)
