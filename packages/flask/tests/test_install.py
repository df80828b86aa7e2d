"""A Kolben ``flask`` that lost one of its parts says so in one line, with the fix."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys


def test_a_missing_part_is_one_line_with_the_fix() -> None:
    # ``None`` in sys.modules is how a removed package looks to the importer.
    code = (
        "import sys\nsys.modules['kolben.routing'] = None\n"
        "try:\n    import flask\nexcept ImportError as e:\n    print(e)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    version = importlib.metadata.version("flask")
    assert result.stdout == (
        f"Kolben's flask {version} cannot import kolben.routing: kolben-routing is"
        f" not installed. Fix: pip install --force-reinstall 'flask=={version}'"
        " from Kolben's index (see RELEASING.md).\n"
    )


def test_other_missing_modules_are_not_reworded() -> None:
    code = (
        "import sys\nsys.modules['werkzeug'] = None\n"
        "try:\n    import flask\n"
        "except ImportError as e:\n    print(type(e).__name__, e.name)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("ModuleNotFoundError werkzeug")
