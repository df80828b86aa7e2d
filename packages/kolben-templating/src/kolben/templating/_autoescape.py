"""The autoescaping rule, apart from the environment so that applications can
use it without loading Jinja."""

from __future__ import annotations

#: Templates whose names end like this are autoescaped.
AUTOESCAPED_EXTENSIONS = (".html", ".htm", ".xml", ".xhtml", ".svg")


def default_autoescape(filename: str | None) -> bool:
    """Tell whether a template should be autoescaped, the way Flask decides.

    Templates loaded from a file ending in ``.html``, ``.htm``, ``.xml``,
    ``.xhtml`` or ``.svg`` are; other files (``mail.txt``) are not. Templates
    built from a string have no file name and are always autoescaped.

    :param filename: the template's name, or ``None`` for a string template.
    """
    if filename is None:
        return True
    return filename.endswith(AUTOESCAPED_EXTENSIONS)
