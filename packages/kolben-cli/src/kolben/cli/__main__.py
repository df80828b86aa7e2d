"""``python -m kolben.cli``: the ``flask`` command without its console script."""

from __future__ import annotations

from .group import main

main()
