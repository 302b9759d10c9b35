"""Rebuild the shipped font subsets (run by hand; needs fontTools and Debian's fonts).

    apt-get install fonts-wqy-microhei fonts-hanazono
    python resources/fonts/make_subsets.py

Primary: WenQuanYi Micro Hei cut to GB2312, punctuation, ASCII, frequent name
characters outside GB2312 and every character of the fixed texts in reports/ and in the
plain documents (models/printing/documents.py).
Fallback: HanaMinA cut to CJK Extension A, for rare name characters like 䶮.
Outlines stay TrueType (glyf) because reportlab embeds only those.
"""

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent
REPORTS = HERE.parent.parent / "reports"
DOCUMENTS = HERE.parent.parent / "models" / "printing" / "documents.py"
WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
HANAZONO = "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf"

# Frequent in given names yet missing from GB2312 (the 1980 set predates them).
NAME_CHARS = (
    "喆堃镕玥珺瑢璟煜晗钰淏昕彧婧妤琍昇赟祎禛炜垚燚犇骉琎珅珝玙瑄旻昉暐曌桉芃蓁钖铖锟韡頔"
    "颢翀翚翯珈琤琮瑀瑭璐璠璞瑾瑜琛琦琪琳瑶琰琬珩珏玮玹珣珽晔晞晧暄曦昀昱晏晖炅炘焜煊熠"
    "烨焓宸宥宬寀彤彦悦怿恺惟懿妍姝婵娅婳嫣媛婷雯霏霖雱靓靖竑竣笙箐筠筱篪萁蕙蕤蔚芊芷"
    "茜茗荟莘菁葳蓓蕾薇濠泓沣洺浛浠涴淇淳渝溱潆澍澜灏骅骐骥驰彬彪斌杉杺枫栎栩桐梓楠"
    "槿樾橦檀钧钦铎铭锋锦镛镐锴锶锷韬韵頫颙翊翎翕翔耘耕胤舜羿玺玑珂珞瑛瑞璇禹祺禧"
    "堉埙埕垲垣坤峤崧嵘嵩巍岚岢峥峣铧镓铠铨锜锳锺阆阊陟隽靳鞅勍劭勖冼邝邬郦郗酆隗"
)


def gb2312_chars() -> set[int]:
    chars = set()
    for high in range(0xA1, 0xF8):
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
    options.drop_tables += ["FFTM", "BDF "]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=present)
    subsetter.subset(font)
    font.save(target)
    print(f"{target.name}: {len(present)} characters, {target.stat().st_size:,} bytes")


def main() -> None:
    primary = gb2312_chars() | base_chars() | fixed_text_chars() | {ord(c) for c in NAME_CHARS}
    write_subset(WQY, 0, primary, HERE / "WenQuanYiMicroHei-GB2312.ttf")
    write_subset(HANAZONO, 0, set(range(0x3400, 0x4DC0)), HERE / "HanaMinA-ExtA.ttf")


if __name__ == "__main__":
    main()
