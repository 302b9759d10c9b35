"""Smoke test of a frozen or installed 村治通 (standard library only: it runs beside the build,
on Linux and on the Windows runner, without the project's packages).

    python installer/smoke_test.py dist/cunzhi            # the frozen folder
    python installer/smoke_test.py /usr/bin/cunzhi-cli    # what the .deb installed

On a fresh copy of the demo town made by the frozen `cunzhi-cli demo`: `stats` must print the
report's totals, `check` must pass, one `print` must give a PDF with the shipped font embedded,
and `selftest` (through both programs, cunzhi and cunzhi-cli) must open every page of the main
window's own page table, off screen. A page module missing from the bundle fails `selftest`.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The township report's table (/work/shared/seed): villages, natural villages, zones, alleys,
# households, residents; and a head for every zone and alley.
REPORT_TOTALS = {"admin_villages": 6, "natural_villages": 32, "zones": 193, "alleys": 385,
                 "zone_heads": 193, "alley_heads": 385, "households": 3070, "residents": 7397}
EXE = ".exe" if sys.platform == "win32" else ""


class SmokeFailure(Exception):
    pass


def programs(target: Path) -> tuple[Path, Path]:
    """(cunzhi-cli, cunzhi) from a frozen folder or from the path of an installed cunzhi-cli."""
    folder = target if target.is_dir() else target.parent
    cli, gui = folder / f"cunzhi-cli{EXE}", folder / f"cunzhi{EXE}"
    for program in (cli, gui):
        if not program.exists():
            raise SmokeFailure(f"找不到程序：{program}")
    return cli, gui


def run(program: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    started = time.perf_counter()
    done = subprocess.run([str(program), *args], capture_output=True, text=True, encoding="utf-8",
                          errors="replace", env=env, check=False, timeout=600)
    took = time.perf_counter() - started
    print(f"  {program.name} {' '.join(args)}: 退出码 {done.returncode}，{took:.1f} 秒")
    if done.returncode != 0:
        raise SmokeFailure(f"{program.name} {' '.join(args)} 失败：\n{done.stdout}\n{done.stderr}")
    return done


def source_page_titles() -> list[str] | None:
    """The page table of the source tree the build was made from (None away from it)."""
    source = ROOT / "ui" / "main_window.py"
    if not source.exists():
        return None
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "PAGES" for t in node.targets):
            return [entry.elts[0].value for entry in node.value.elts]
    return None


def check_stats(output: str) -> None:
    stats = json.loads(output)
    wrong = {key: (stats.get(key), value) for key, value in REPORT_TOTALS.items() if stats.get(key) != value}
    if wrong:
        raise SmokeFailure(f"stats 与报告不符（实际, 应为）：{wrong}")


def check_pdf(path: Path) -> None:
    data = path.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise SmokeFailure(f"{path} 不是完整的 PDF")
    if b"/FontFile2" not in data:
        raise SmokeFailure(f"{path} 没有嵌入字体（resources/fonts 不在安装中？）")


def check_pages(output: str) -> None:
    line = next((text for text in output.splitlines() if text.startswith("已打开")), "")
    opened = line.split("：", 1)[1].split("、") if "：" in line else []
    expected = source_page_titles()
    if not opened or (expected is not None and opened != expected):
        raise SmokeFailure(f"selftest 打开的页面与源代码的页面表不符：{opened} / {expected}")


def smoke(target: Path, work: Path) -> None:
    cli, gui = programs(target)
    db, pdf = work / "demo.db", work / "工作证.pdf"
    # The machine's data folder stays untouched; Qt draws off screen.
    env = {**os.environ, "CUNZHI_DATA": str(work / "data"), "QT_QPA_PLATFORM": "offscreen"}
    if "用法：cunzhi-cli" not in run(cli, "--help", env=env).stdout:
        raise SmokeFailure("cunzhi-cli --help 没有给出中文用法")
    run(cli, "demo", "--db", str(db), env=env)
    check_stats(run(cli, "stats", "--db", str(db), env=env).stdout)
    run(cli, "check", "--db", str(db), env=env)
    run(cli, "print", "work-ids", "--scope", "village:韩家村", "--db", str(db), "-o", str(pdf), env=env)
    check_pdf(pdf)
    check_pages(run(cli, "selftest", "--db", str(db), env=env).stdout)
    # The windowed program (no console on Windows): its exit status tells.
    run(gui, "selftest", "--db", str(db), env=env)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path, help="the frozen folder, or an installed cunzhi-cli")
    args = parser.parse_args()
    started = time.perf_counter()
    print(f"冒烟测试：{args.target}")
    with tempfile.TemporaryDirectory(prefix="cunzhi-smoke-") as work:
        try:
            smoke(args.target, Path(work))
        except SmokeFailure as failure:
            print(f"冒烟测试失败：{failure}", file=sys.stderr)
            return 1
    print(f"冒烟测试通过，用时 {time.perf_counter() - started:.0f} 秒")
    return 0


if __name__ == "__main__":
    sys.exit(main())
