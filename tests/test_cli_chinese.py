"""The admin command line speaks Chinese: help, usage and argparse's own errors; every command
that writes a file takes -o."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from main import main

# English words argparse prints of its own; command names, option names and paths are allowed.
ENGLISH = re.compile(r"\b(usage|positional|arguments?|options?|show|help message|exit|error|"
                     r"unrecognized|required|invalid|choose|choice|expected|COMMAND|KIND|FILE)\b")


def _run(capsys, argv: list[str]) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as stop:
        main(argv)
    captured = capsys.readouterr()
    return stop.value.code, captured.out + captured.err


@pytest.mark.parametrize("argv", [
    ["--help"], ["print", "--help"], ["print", "talk-list", "--help"], ["goods-report", "-h"],
    ["export-roster", "--help"], ["backup", "--help"],
])
def test_help_is_chinese(capsys, argv):  # type: ignore[no-untyped-def]
    code, text = _run(capsys, argv)
    assert code == 0
    assert text.startswith("用法：") and "显示帮助并退出" in text and "选项" in text
    assert not ENGLISH.search(text), ENGLISH.search(text)


@pytest.mark.parametrize("argv, words", [
    (["--bogus"], "无法识别的参数：--bogus"),
    (["nosuch"], "无效的选择 'nosuch'"),
    (["print"], "缺少必需的参数"),
    (["year-close", "--year", "abc"], "参数 --year：年度“abc”不对"),
    (["goods-report", "stock", "-o", "x.xlsx", "--from", "2026-13-01"],
     "参数 --from：“2026-13-01”不是日期"),
    (["print", "talk-list", "--scope", "all", "-o"], "需要一个值"),
])
def test_argument_errors_are_chinese(capsys, argv, words):  # type: ignore[no-untyped-def]
    code, text = _run(capsys, argv)
    assert code == 2
    assert "错误：" in text and words in text
    assert not ENGLISH.search(text), ENGLISH.search(text)


def test_roster_commands_take_dash_o_and_the_old_form(demo_db, tmp_path, capsys):  # type: ignore[no-untyped-def]
    target = str(demo_db.path) if demo_db.path else demo_db.url.render_as_string(hide_password=False)
    for argv in (["export-roster", "-o"], ["export-roster"], ["roster-template", "--output"],
                 ["roster-template"]):
        out = tmp_path / f"{argv[0]}{len(argv)}.xlsx"
        assert main([*argv, str(out), "--db", target]) == 0
        assert load_workbook(out).active.max_row > 1
    assert main(["export-roster", "--db", target]) == 1
    assert "请用 -o 指定要保存的文件" in capsys.readouterr().err
