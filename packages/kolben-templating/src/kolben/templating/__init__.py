"""Jinja integration for applications and blueprints: environment, loaders, rendering and signals."""

from __future__ import annotations
