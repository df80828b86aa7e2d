"""The registration scaffold shared by applications and blueprints, from
:mod:`kolben.routing`.
"""

from __future__ import annotations

from kolben.routing import get_root_path as get_root_path
from kolben.routing import Scaffold as Scaffold
from kolben.routing import setupmethod as setupmethod

from .._instance import find_package as find_package
