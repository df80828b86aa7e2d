"""The blueprint base classes, from :mod:`kolben.routing`."""

from __future__ import annotations

from kolben.routing import Blueprint as Blueprint
from kolben.routing import BlueprintSetupState as BlueprintSetupState
from kolben.routing import DeferredSetupFunction as DeferredSetupFunction
