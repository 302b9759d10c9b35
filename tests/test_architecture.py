"""The layers and the areas hold by construction: the project's imports, read with ast.

- models/ (the domain) imports nothing from reports/, ui/ or commands/, and no Qt; models/core
  imports no area; reports/ imports neither ui/ nor commands/, nor Qt; ui/ and commands/ reach
  the data through the services, never with SQLAlchemy of their own.
- No import cycle among the project's modules. Imports inside `if TYPE_CHECKING:` never run
  and are left out. Imports inside functions are counted like module-level ones: a function-local
  import only defers loading a heavy library (alembic, reportlab, PySide6) to when it is needed,
  it is no licence for a circle, so a cycle through one fails this test too.
- Starting the program loads only what it uses: `main.py --help` imports no command module nor
  reportlab, openpyxl or segno; the window shown on the demo town imports none of the three.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("models", "reports", "ui", "commands")
AREAS = ("org", "points", "store", "ranking", "accounts", "backup", "printing", "problems", "worklog")
HEAVY = ("reportlab", "openpyxl", "segno")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources() -> dict[str, Path]:
    found = {"main": ROOT / "main.py"}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.relative_to(ROOT).parts:
                found[_module_name(path)] = path
    return found


SOURCES = _sources()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imported(module: str, path: Path) -> set[str]:
    """Every module `module` imports (at any depth but `if TYPE_CHECKING:`), as dotted names:
    `from a.b import c` counts as a.b.c when that is a module, else as a.b."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    package = module.split(".") if path.name == "__init__.py" \
                        else module.split(".")[:-1]
                    package = package[:len(package) - child.level + 1]
                    base = ".".join([*package, base] if base else package)
                for alias in child.names:
                    name = f"{base}.{alias.name}"
                    found.add(name if name in SOURCES else base)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


IMPORTS = {module: _imported(module, path) for module, path in SOURCES.items()}


def _top(name: str) -> str:
    return name.split(".")[0]


def _offences(prefix: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(f"{module} imports {target}" for module, targets in IMPORTS.items()
                  if module == prefix or module.startswith(prefix + ".")
                  for target in targets
                  if any(target == f or target.startswith(f + ".") for f in forbidden))


def test_the_walk_sees_the_project():
    assert len(SOURCES) > 120
    assert "models.core.db" in IMPORTS["models.core.schema"]
    assert "models.printing.documents" in IMPORTS["reports.core.notice"]
    assert "ui.app" in IMPORTS["main"]  # a function-level import


def test_every_folder_of_code_is_a_package():
    """The installer collects packages (collect_submodules): a folder of modules without an
    __init__.py is left out of the frozen build. Migrations are shipped as data."""
    folders = {path.parent for layer in ("models", "reports", "ui", "commands")
               for path in (ROOT / layer).rglob("*.py")}
    bare = sorted(str(f.relative_to(ROOT)) for f in folders
                  if not (f / "__init__.py").exists() and "migrations" not in f.parts)
    assert bare == []


def test_the_domain_imports_no_paper_window_or_command_line():
    assert _offences("models", ("reports", "ui", "commands", "main", "PySide6")) == []


def test_the_core_imports_no_area():
    areas = (*(f"models.{area}" for area in AREAS), "models.demo", "models.areas", "models.check",
             "models.settings_service")
    assert _offences("models.core", areas) == []


def test_the_paper_imports_no_window_or_command_line():
    assert _offences("reports", ("ui", "commands", "main", "PySide6")) == []


def test_the_window_and_the_command_line_run_no_sql_of_their_own():
    assert _offences("ui", ("sqlalchemy",)) == [] and _offences("commands", ("sqlalchemy",)) == []


def test_no_import_cycle_among_the_projects_modules():
    graph = {module: sorted(t for t in targets if t in SOURCES and t != module)
             for module, targets in IMPORTS.items()}
    cycles, state = [], {}

    def visit(module: str, stack: list[str]) -> None:
        state[module] = "open"
        for target in graph[module]:
            if state.get(target) == "open":
                cycles.append(" → ".join([*stack[stack.index(target):], target]))
            elif target not in state:
                visit(target, [*stack, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def _loaded_after(code: str, *args: str) -> list[str]:
    probe = f"{code}\nprint([m for m in sys.modules if m.split('.')[0] in {HEAVY!r}])"
    result = subprocess.run([sys.executable, "-c", probe, *args], cwd=ROOT, capture_output=True,
                            text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"})
    return ast.literal_eval(result.stdout.strip().splitlines()[-1])


def test_help_imports_no_command_module_nor_paper_library():
    code = ("import sys, contextlib, io\nimport main\n"
            "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
            "    main.main(['--help'])\n"
            "assert not [m for m in sys.modules if m.startswith('commands.') and m != 'commands.common'], "
            "sorted(sys.modules)")
    assert _loaded_after(code) == []


@pytest.fixture
def demo_file(demo_db) -> str:  # type: ignore[no-untyped-def]
    if not demo_db.is_sqlite:
        pytest.skip("the window's start is measured once, on the demo town's SQLite file")
    return str(demo_db.path)


def test_the_window_shown_imports_no_paper_library(demo_file):
    """As the program starts: main.py's own imports, then the window on the demo town."""
    code = """
import sys
import main
from PySide6.QtWidgets import QApplication
from models.core.access import SYSTEM
from models.core.db import Database
from ui import style
from ui.context import AppContext
from ui.main_window import MainWindow
import tempfile
app = QApplication([])
style.apply(app)
window = MainWindow(AppContext(Database(sys.argv[1]), SYSTEM, tempfile.mkdtemp()))
window.show()
app.processEvents()
assert list(window.built) == ["概览"]
"""
    assert _loaded_after(code, demo_file) == []
