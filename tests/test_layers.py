"""The package's layers import one way (pyproject.toml's import-linter contracts): a backwards
import fails the build, with the chain of imports that breaks the rule."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "alignsim"


def test_the_layers_import_downward_only() -> None:
    done = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports"))], cwd=SRC.parents[1], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "BROKEN" not in done.stdout and "Contracts: 3 kept, 0 broken." in done.stdout


def test_alignsim_modules_are_imported_at_the_top() -> None:
    """An import of alignsim inside a function hides a dependency from the contracts above; only
    the package's lazy public names (``alignsim.run`` ...) are imported on first use."""
    hidden = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = {id(node) for node in tree.body}
        for block in tree.body:  # names for type checkers only: never imported at run time
            if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test):
                top |= {id(node) for node in ast.walk(block)}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("alignsim") and id(node) not in top:
                hidden.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert hidden == ["__init__.py:29"], hidden
