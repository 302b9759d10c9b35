"""Rebuild the shipped font subsets (run by hand; needs fontTools and Debian's fonts).

    apt-get install fonts-wqy-microhei fonts-hanazono fonts-noto-cjk
    pip install '.[fonts]'
    python resources/fonts/make_subsets.py [--root DIR]

(--root: a folder the Debian packages were unpacked into with `dpkg -x`, instead of installing.)

Hei (黑体 role, cards and table headers): WenQuanYi Micro Hei cut to GB2312, punctuation,
ASCII, frequent name characters outside GB2312 and every character of the fixed texts in
reports/ and in the plain documents (models/printing/documents.py).
Serif (the body of notices: 仿宋/宋体/楷体 roles when no office font is installed): Noto Serif
CJK SC Regular cut to the same set. Title (小标宋 role): Noto Serif CJK SC Bold cut to GB2312's
first level (the 3,755 common characters) and the fixed texts; a rarer character of a title falls
back to the Regular face. Noto's outlines are cubic (CFF), which reportlab cannot embed, so they
are converted to quadratic TrueType (glyf) here.
Fallback: HanaMinA cut to CJK Extension A, for rare name characters like 䶮.
Outlines stay TrueType (glyf) because reportlab embeds only those.
"""

import argparse
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

HERE = Path(__file__).resolve().parent
REPORTS = HERE.parent.parent / "reports"
DOCUMENTS = HERE.parent.parent / "models" / "printing" / "documents.py"
WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
HANAZONO = "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf"
NOTO_SERIF = "/usr/share/fonts/opentype/noto/NotoSerifCJK-{weight}.ttc"
NOTO_SC = 2  # face number of Simplified Chinese in Debian's Noto Serif CJK collections
CURVE_TOLERANCE = 2.0  # font units of 1000 per em: 0.03 pt at 16 pt, far below a printer's dot

# Frequent in given names yet missing from GB2312 (the 1980 set predates them).
NAME_CHARS = (
    "喆堃镕玥珺瑢璟煜晗钰淏昕彧婧妤琍昇赟祎禛炜垚燚犇骉琎珅珝玙瑄旻昉暐曌桉芃蓁钖铖锟韡頔"
    "颢翀翚翯珈琤琮瑀瑭璐璠璞瑾瑜琛琦琪琳瑶琰琬珩珏玮玹珣珽晔晞晧暄曦昀昱晏晖炅炘焜煊熠"
    "烨焓宸宥宬寀彤彦悦怿恺惟懿妍姝婵娅婳嫣媛婷雯霏霖雱靓靖竑竣笙箐筠筱篪萁蕙蕤蔚芊芷"
    "茜茗荟莘菁葳蓓蕾薇濠泓沣洺浛浠涴淇淳渝溱潆澍澜灏骅骐骥驰彬彪斌杉杺枫栎栩桐梓楠"
    "槿樾橦檀钧钦铎铭锋锦镛镐锴锶锷韬韵頫颙翊翎翕翔耘耕胤舜羿玺玑珂珞瑛瑞璇禹祺禧"
    "堉埙埕垲垣坤峤崧嵘嵩巍岚岢峥峣铧镓铠铨锜锳锺阆阊陟隽靳鞅勍劭勖冼邝邬郦郗酆隗"
)


def gb2312_chars(last_row: int = 0xF7) -> set[int]:
    """GB2312's characters; last_row 0xD7 stops after the first level (3,755 common ones)."""
    chars = set()
    for high in range(0xA1, last_row + 1):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([high, low]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return chars


def fixed_text_chars() -> set[int]:
    files = [*REPORTS.rglob("*.py"), DOCUMENTS]
    return {ord(c) for f in files for c in f.read_text("utf-8") if ord(c) > 0x7F}


def base_chars() -> set[int]:
    ranges = [
        (0x20, 0x7F),
        (0xA0, 0x100),
        (0x2000, 0x2070),
        (0x2100, 0x2300),
        (0x2460, 0x2500),
        (0x25A0, 0x2600),
        (0x3000, 0x3040),
        (0xFF00, 0xFFF0),
    ]
    return {cp for lo, hi in ranges for cp in range(lo, hi)}


def write_subset(source: str, font_number: int, wanted: set[int], target: Path) -> None:
    font = TTFont(source, fontNumber=font_number, recalcTimestamp=False)  # reproducible bytes
    present = [cp for cp in sorted(wanted) if cp in font.getBestCmap()]
    options = subset.Options()
    options.hinting = False  # laser printers at 600 dpi do not need it; halves the size
    options.layout_features = []  # no shaping needed for Chinese
    options.notdef_outline = True
    options.name_IDs = ["*"]  # keep copyright and licence records
    options.desubroutinize = True  # CFF charstrings plain, for the conversion below
    options.drop_tables += ["FFTM", "BDF ", "VORG", "vhea", "vmtx", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=present)
    subsetter.subset(font)
    if "CFF " in font:
        _cubic_to_truetype(font)
    font.save(target)
    print(f"{target.name}: {len(present)} characters, {target.stat().st_size:,} bytes")


def _cubic_to_truetype(font: TTFont) -> None:
    """Replace the CFF outlines by quadratic glyf ones (fontTools' otf2ttf recipe)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, CURVE_TOLERANCE, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
                  "maxComponentDepth"):
        setattr(maxp, field, 0)
    font["post"].formatType = 3.0  # no glyph names: reportlab maps by cmap only
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default="/", help="where the Debian font packages are unpacked")
    root = Path(parser.parse_args().root)

    def source(path: str) -> str:
        return str(root / path.lstrip("/"))

    common = base_chars() | fixed_text_chars() | {ord(c) for c in NAME_CHARS}
    primary = gb2312_chars() | common
    write_subset(source(WQY), 0, primary, HERE / "WenQuanYiMicroHei-GB2312.ttf")
    write_subset(source(NOTO_SERIF.format(weight="Regular")), NOTO_SC, primary,
                 HERE / "NotoSerifSC-Regular-GB2312.ttf")
    write_subset(source(NOTO_SERIF.format(weight="Bold")), NOTO_SC, gb2312_chars(0xD7) | common,
                 HERE / "NotoSerifSC-Bold-Common.ttf")
    write_subset(source(HANAZONO), 0, set(range(0x3400, 0x4DC0)), HERE / "HanaMinA-ExtA.ttf")


if __name__ == "__main__":
    main()
