"""Flaskr: the small blog the Flask tutorial builds, on Kolben's ``flask``.

Run it with ``flask --app flaskr init-db`` then ``flask --app flaskr run``,
or in one step with ``python -m flaskr`` (``hatch run demo`` in the repository).
"""

from __future__ import annotations

from .factory import create_app as create_app
