"""The Flask web framework, recombined from the Kolben packages."""

from __future__ import annotations
