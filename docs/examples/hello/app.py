"""The smallest Flask application, served by ``hatch run demo``.

Run it yourself with ``flask --app docs/examples/hello/app.py run``.
"""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello() -> str:
    """Greet whoever asks."""
    return "Hello, World!"
