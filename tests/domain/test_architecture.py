"""The domain stays Qt-free and the docs keep up with the code (sqlite-utils' docs-first habit)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from inspector.cli import main

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ROOT / "inspector"


def test_no_domain_module_imports_qt_or_the_ui() -> None:
    offenders = []
    for path in DOMAIN.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                # cli.py may start the GUI, but only inside the bare `inspector` call.
                if top in {"PySide6", "qasync", "ui"} and path.name != "cli.py":
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_the_domain_and_cli_work_with_qt_absent() -> None:
    code = (
        "import sys, pkgutil, importlib\n"
        "sys.modules['PySide6'] = None; sys.modules['qasync'] = None\n"
        "import inspector\n"
        "for m in pkgutil.walk_packages(inspector.__path__, 'inspector.'):\n"
        "    importlib.import_module(m.name)\n"
        "from click.testing import CliRunner\n"
        "from inspector.cli import main\n"
        "r = CliRunner().invoke(main, ['profile'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip() == "ok", done.stderr


def test_every_cli_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`inspector (\w+)", readme))
    assert set(main.commands) <= documented, set(main.commands) - documented
