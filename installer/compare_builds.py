"""Are two frozen folders the same build? Same files (by relative path), same package versions
(the packages.txt the spec writes), and every package pinned by the lock at that version.

    python installer/compare_builds.py dist-a/cunzhi dist-b/cunzhi --lock installer/constraints.txt
    python installer/compare_builds.py dist/cunzhi --lock installer/constraints.txt   # the lock only

Byte-identical files are counted too, for information: PyInstaller's archives embed build
details, so identical contents are not required, identical files and versions are.
"""

from __future__ import annotations

import argparse
import filecmp
import re
import sys
from pathlib import Path

PACKAGES_FILE = Path("_internal") / "packages.txt"


def file_set(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*")
            if path.is_file() or path.is_symlink()}


def packages(folder: Path) -> dict[str, str]:
    lines = (folder / PACKAGES_FILE).read_text(encoding="utf-8").split()
    return dict(line.split("==", 1) for line in lines)


def lock(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[canonical(name)] = version.strip()
    return pins


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def unpinned(folder: Path, pins: dict[str, str]) -> list[str]:
    return [f"{name}=={version}（锁定：{pins.get(canonical(name), '无')}）"
            for name, version in sorted(packages(folder).items())
            if name != "python" and pins.get(canonical(name)) != version]


def compare(first: Path, second: Path) -> list[str]:
    problems = []
    files_a, files_b = file_set(first), file_set(second)
    for name in sorted(files_a - files_b):
        problems.append(f"只在 {first} 中：{name}")
    for name in sorted(files_b - files_a):
        problems.append(f"只在 {second} 中：{name}")
    versions_a, versions_b = packages(first), packages(second)
    for name in sorted(versions_a.keys() | versions_b.keys()):
        if versions_a.get(name) != versions_b.get(name):
            problems.append(f"{name}：{versions_a.get(name)} / {versions_b.get(name)}")
    common = sorted(files_a & files_b)
    same = sum(filecmp.cmp(first / name, second / name, shallow=False) for name in common)
    print(f"{len(files_a)} / {len(files_b)} 个文件，{len(versions_a)} 个包；"
          f"共有的 {len(common)} 个文件中 {same} 个逐字节相同")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description="Compare two frozen folders.")
    parser.add_argument("folders", type=Path, nargs="+", help="one or two frozen folders")
    parser.add_argument("--lock", type=Path, required=True, help="installer/constraints.txt")
    args = parser.parse_args()
    pins = lock(args.lock)
    problems = [f"{folder}：{item}" for folder in args.folders for item in unpinned(folder, pins)]
    if len(args.folders) == 2:
        problems += compare(*args.folders)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    if problems:
        print(f"构建不一致：{len(problems)} 处", file=sys.stderr)
        return 1
    print("一致：文件相同，包版本相同，" if len(args.folders) == 2 else "", end="")
    print("每个包都是锁定文件中的版本")
    return 0


if __name__ == "__main__":
    sys.exit(main())
