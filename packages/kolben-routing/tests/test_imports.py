"""kolben.routing loads only its declared dependencies."""

from __future__ import annotations

import json
import subprocess
import sys

# Top-level modules the package may bring in: itself and the namespace, its
# dependencies and theirs (kolben.contexts uses blinker), and the standard
# library.
ALLOWED = {"kolben", "werkzeug", "markupsafe", "blinker"}
FORBIDDEN = {"flask", "jinja2", "click", "itsdangerous", "asgiref"}


def test_import_loads_only_declared_dependencies() -> None:
    code = (
        "import json, sys; import kolben.routing;"
        " print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = set(json.loads(out))
    third_party = loaded - set(sys.stdlib_module_names) - {"_distutils_hack"}
    third_party = {name for name in third_party if not name.startswith("_")}
    assert not loaded & FORBIDDEN
    assert third_party <= ALLOWED, third_party - ALLOWED
    assert "kolben" in third_party
