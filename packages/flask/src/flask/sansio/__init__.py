"""The parts of Flask that do not depend on WSGI: the registration scaffold,
the application base and the blueprint base, from :mod:`kolben.routing`.
"""

from __future__ import annotations
