"""The `flask` command line: app discovery, the command group, `run`, `shell` and `routes`."""

from __future__ import annotations
