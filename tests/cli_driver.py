"""Runs many command lines in one process, for tests/test_cli_bad_input.py:

    python -m tests.cli_driver CASES.json RESULTS.json

CASES is a list of {"id", "argv", "sandbox"}. Each command line runs through main.main() as
`python main.py …` would, with its standard output and error captured; an exception escaping
main() is recorded with its traceback, as the interpreter would print it. Before and after each
case every file under the sandbox folder is hashed, so a case that created, removed or changed a
file is seen. One process for all cases: starting Python and importing the program once instead
of a few hundred times keeps the test to seconds."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import sys
import traceback
from pathlib import Path

from main import main


def snapshot(folder: Path) -> dict[str, str]:
    """Every path under `folder` with the SHA-256 of its bytes ("folder" for folders)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        found[key] = "folder" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def run(argv: list[str]) -> tuple[object, str]:
    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        try:
            code: object = main(argv)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        except BaseException:  # what the interpreter would print and exit 1 with
            output.write(traceback.format_exc())
            code = 1
    return code, output.getvalue()


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted({p for p in before.keys() | after.keys() if before.get(p) != after.get(p)})


def main_driver(cases_file: str, results_file: str) -> None:
    cases = json.loads(Path(cases_file).read_text(encoding="utf-8"))
    results = {}
    for case in cases:
        sandbox = Path(case["sandbox"])
        before = snapshot(sandbox)
        code, text = run(case["argv"])
        results[case["id"]] = {"code": code, "output": text,
                               "changed": changes(before, snapshot(sandbox))}
    Path(results_file).write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main_driver(sys.argv[1], sys.argv[2])
