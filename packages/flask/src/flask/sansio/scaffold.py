"""The registration scaffold shared by applications and blueprints, from
:mod:`kolben.routing`.
"""

from __future__ import annotations

from kolben.routing import get_root_path as get_root_path
from kolben.routing import Scaffold as Scaffold
from kolben.routing import setupmethod as setupmethod

# Flask's private helper, imported from here by extensions such as Flask-RESTX.
from kolben.routing.scaffold import _endpoint_from_view_func  # noqa: F401

from .._instance import find_package as find_package

#: Flask's marker for "argument not given", imported from here by extensions.
_sentinel = object()
