"""Finding usable Chinese font files: system office fonts first, shipped subsets last.

Only TrueType-outline fonts whose licence bits allow embedding are usable:
reportlab embeds glyf outlines only, and a PDF must carry its fonts.
"""

import os
import shutil
import struct
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SHIPPED_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int = 0  # face number inside a .ttc collection


SHIPPED_PRIMARY = FontFile(str(SHIPPED_DIR / "WenQuanYiMicroHei-GB2312.ttf"))  # 黑体 role
SHIPPED_SERIF = FontFile(str(SHIPPED_DIR / "NotoSerifSC-Regular-GB2312.ttf"))  # 仿宋/宋体/楷体
SHIPPED_TITLE = FontFile(str(SHIPPED_DIR / "NotoSerifSC-Bold-Common.ttf"))  # 小标宋
SHIPPED_EXT_A = FontFile(str(SHIPPED_DIR / "HanaMinA-ExtA.ttf"))

# The shipped faces standing in for a role when no office font is installed, best first. A
# notice's body (fang) is never set in 黑体: its stand-in is the serif face.
SHIPPED_BY_ROLE = {
    "title": (SHIPPED_TITLE, SHIPPED_SERIF),
    "fang": (SHIPPED_SERIF,),
    "song": (SHIPPED_SERIF,),
    "kai": (SHIPPED_SERIF,),
    "hei": (SHIPPED_PRIMARY,),
}

# GB/T 9704's faces by role: Windows file names, and the fontconfig family names elsewhere.
ROLE_WINDOWS_FILES = {
    "title": ("FZXBSJW.TTF", "方正小标宋简体.ttf", "STZHONGS.TTF"),
    "fang": ("仿宋_GB2312.ttf", "FS_GB2312.ttf", "simfang.ttf", "STFANGSO.TTF"),
    "song": ("simsun.ttc", "STSONG.TTF"),
    "kai": ("楷体_GB2312.ttf", "KT_GB2312.ttf", "simkai.ttf", "STKAITI.TTF"),
    "hei": ("simhei.ttf", "msyh.ttc"),
}
ROLE_FAMILIES = {
    "title": ("FZXiaoBiaoSong-B05S", "方正小标宋简体", "STZhongsong", "华文中宋"),
    "fang": ("FangSong_GB2312", "仿宋_GB2312", "FangSong", "仿宋", "STFangsong", "华文仿宋"),
    "song": ("SimSun", "宋体", "STSong", "华文宋体", "AR PL UMing CN"),
    "kai": ("KaiTi_GB2312", "楷体_GB2312", "KaiTi", "楷体", "STKaiti", "华文楷体", "LXGW WenKai"),
    "hei": ("SimHei", "黑体", "Microsoft YaHei", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei"),
}
# Wide-coverage faces tried for characters the role's own fonts lack (GBK, Ext A, Ext B).
COVERAGE_WINDOWS_FILES = ("simsun.ttc", "msyh.ttc", "simsunb.ttf")
COVERAGE_FAMILIES = (
    "SimSun",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "HanaMinA",
    "HanaMinB",
    "SimSun-ExtB",
)
# Named in the hint when a character is in no font at all: these carry CJK Extension B.
EXT_B_FONT_HINT = "“宋体-ExtB”（SimSun-ExtB，simsunb.ttf）或“花园明朝B”（HanaMinB）"

RESTRICTED_LICENCE = 0x0002  # OS/2 fsType: must not be embedded
BITMAP_ONLY = 0x0200  # OS/2 fsType: outlines must not be embedded


def is_embeddable_truetype(font: FontFile) -> bool:
    """True when the face has glyf outlines and its fsType permits embedding."""
    try:
        with open(font.path, "rb") as stream:
            tables = _table_directory(stream, font.index)
            if b"glyf" not in tables or b"OS/2" not in tables:
                return False
            stream.seek(tables[b"OS/2"] + 8)
            (fs_type,) = struct.unpack(">H", stream.read(2))
    except (OSError, struct.error, IndexError):
        return False
    return not fs_type & (RESTRICTED_LICENCE | BITMAP_ONLY)


def _table_directory(stream, index: int) -> dict[bytes, int]:
    header = stream.read(12)
    offset = 0
    if header[:4] == b"ttcf":
        count = struct.unpack(">I", header[8:12])[0]
        offsets = struct.unpack(f">{count}I", stream.read(4 * count))
        offset = offsets[index]
        stream.seek(offset)
        header = stream.read(12)
    (num_tables,) = struct.unpack(">H", header[4:6])
    entries = stream.read(16 * num_tables)
    return {
        entries[i : i + 4]: struct.unpack(">I", entries[i + 8 : i + 12])[0]
        for i in range(0, len(entries), 16)
    }


def role_fonts(role: str) -> list[FontFile]:
    """Preferred system faces for a role, best first (may be empty)."""
    return _system_fonts(ROLE_WINDOWS_FILES[role], ROLE_FAMILIES[role])


def coverage_fonts() -> list[FontFile]:
    return _system_fonts(COVERAGE_WINDOWS_FILES, COVERAGE_FAMILIES)


def _system_fonts(windows_files, families) -> list[FontFile]:
    if sys.platform == "win32":
        found = [_windows_font(name) for name in windows_files]
    else:
        by_family = _fontconfig_families()
        found = [by_family.get(family.lower()) for family in families]
    return [f for f in dict.fromkeys(found) if f and is_embeddable_truetype(f)]


def _windows_font(file_name: str) -> FontFile | None:
    folders = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
    if os.environ.get("LOCALAPPDATA"):  # fonts installed for one user only
        folders.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
    for folder in folders:
        for candidate in (folder / file_name, folder / file_name.lower()):
            if candidate.is_file():
                return FontFile(str(candidate))
    return None


@lru_cache(maxsize=1)
def _fontconfig_families() -> dict[str, FontFile]:
    """Family name (lower case) -> face, from fc-list; empty without fontconfig."""
    if not shutil.which("fc-list"):
        return {}
    try:
        listing = subprocess.run(
            ["fc-list", ":lang=zh", "family", "file", "index"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    families: dict[str, FontFile] = {}
    for line in listing.splitlines():
        path, _, rest = line.partition(": ")
        names, _, index = rest.partition(":index=")
        for name in names.split(","):
            face = FontFile(path, int(index or 0))
            families.setdefault(name.strip().lower(), face)
    return families
