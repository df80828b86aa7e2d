"""A to-do list as a JSON API of class-based views, used from a page by ``fetch``.

Run it with ``flask --app jsonapi run``.
"""

from __future__ import annotations

from .factory import create_app as create_app
