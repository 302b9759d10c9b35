import shutil
import struct

import pytest

from models.core.privacy import mask_phone, mask_phones_in, redact_ids
from reports.core import font_files, fonts
from reports.core.font_files import SHIPPED_EXT_A, SHIPPED_PRIMARY, FontFile
from tests.reports.samples import ID_NUMBER

MAX_PRIMARY_BYTES = 3 * 1024 * 1024


def test_shipped_fonts_are_small_embeddable_truetype():
    assert font_files.is_embeddable_truetype(SHIPPED_PRIMARY)
    assert font_files.is_embeddable_truetype(SHIPPED_EXT_A)
    assert font_files.SHIPPED_DIR.joinpath("WenQuanYiMicroHei-GB2312.ttf").stat().st_size < (
        MAX_PRIMARY_BYTES
    )
    assert list(font_files.SHIPPED_DIR.glob("LICENSE-*.txt"))


def test_font_forbidding_embedding_is_refused(tmp_path):
    restricted = tmp_path / "restricted.ttf"
    shutil.copy(SHIPPED_PRIMARY.path, restricted)
    with open(restricted, "r+b") as stream:
        os2 = font_files._table_directory(stream, 0)[b"OS/2"]
        stream.seek(os2 + 8)
        stream.write(struct.pack(">H", font_files.RESTRICTED_LICENCE))
    assert not font_files.is_embeddable_truetype(FontFile(str(restricted)))


def test_rare_character_switches_to_a_font_that_has_it():
    runs = fonts.runs("王㐀明", "song")  # U+3400: Ext A, in no fixed text
    assert [chunk for _, chunk in runs] == ["王", "㐀", "明"]
    rare_font = runs[1][0]
    assert rare_font != runs[0][0]
    chain = {font.name: font for font in fonts._chain("song")}
    assert 0x3400 in chain[rare_font].cmap
    assert fonts.missing_chars("王䶮明 ABC，。") == ""


def test_markup_escapes_and_wraps_only_fallback_runs():
    text = fonts.markup("<李䶮>", "hei")
    assert text.startswith("&lt;李<font name=") and text.endswith("</font>&gt;")


def test_fit_shrinks_then_condenses_long_text_into_its_width():
    for text in ("欧阳慕容雪梅", "欧阳慕容雪梅" * 4):
        size, scale = fonts.fit(text, 50, 12)
        assert size >= 5
        assert fonts.text_width(text, size) * scale / 100 <= 50.01
    assert fonts.fit("王五", 50, 12) == (12, 100.0)


def test_phones_masked_and_id_numbers_redacted():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phones_in("电话13812345678。") == "电话138****5678。"
    assert ID_NUMBER not in redact_ids(f"身份证{ID_NUMBER}")
    assert "".join(chunk for _, chunk in fonts.runs(ID_NUMBER)) == "*" * 18


def test_every_fixed_text_character_is_in_the_shipped_subsets():
    """Rebuild resources/fonts with make_subsets.py when this fails after a wording change."""
    shipped = [f.cmap for f in fonts._chain("hei") if f.file in (SHIPPED_PRIMARY, SHIPPED_EXT_A)]
    reports_dir = font_files.SHIPPED_DIR.parent.parent / "reports"
    source = "".join(path.read_text("utf-8") for path in reports_dir.glob("*.py"))
    missing = {c for c in source if ord(c) > 0x7F and not any(ord(c) in cmap for cmap in shipped)}
    assert not missing, "".join(sorted(missing))


@pytest.fixture
def windows_fonts(tmp_path, monkeypatch):
    """A Windows Fonts folder: install(shipped face, file name) puts a face in it."""
    folder = tmp_path / "Fonts"
    folder.mkdir()
    monkeypatch.setattr(font_files.sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", str(tmp_path))
    monkeypatch.delenv("LOCALAPPDATA", raising=False)

    def install(face: FontFile, name: str) -> FontFile:
        shutil.copy(face.path, folder / name)
        return FontFile(str(folder / name))

    yield install
    fonts.use_system_fonts(False)


def test_windows_office_fonts_are_found_in_the_fonts_folder(windows_fonts):
    simhei = windows_fonts(SHIPPED_PRIMARY, "simhei.ttf")
    assert font_files.role_fonts("hei") == [simhei]
    assert font_files.role_fonts("fang") == []


def test_a_notices_body_and_title_are_serif_never_hei(windows_fonts):
    """Only 黑体 installed (stock Windows without 仿宋/小标宋): body and title stay serif."""
    simhei = windows_fonts(SHIPPED_PRIMARY, "simhei.ttf")
    fonts.use_system_fonts(True)
    assert fonts._chain("fang")[0].file == font_files.SHIPPED_SERIF
    assert fonts._chain("title")[0].file == font_files.SHIPPED_TITLE
    assert fonts._chain("hei")[0].file == simhei


def test_installed_office_fonts_come_first(windows_fonts):
    simfang = windows_fonts(font_files.SHIPPED_SERIF, "simfang.ttf")  # stands in for 仿宋
    fonts.use_system_fonts(True)
    assert fonts._chain("fang")[0].file == simfang
