"""The bookkeeping behind ``install()``/``uninstall()``: every change is a
:class:`Patch` that remembers what it replaced, so undoing the changes in
reverse order restores exactly what was there before.
"""

from __future__ import annotations

import typing as t
import warnings

#: Stands for "the attribute did not exist" in a patch's memory.
_MISSING: t.Any = object()


class KolbenLegacyWarning(DeprecationWarning):
    """Emitted when an application uses an API restored by
    :func:`kolben.legacy.install`; the message names the modern replacement.

    It is a :class:`DeprecationWarning`, so the usual filters apply: Python
    shows it in ``__main__`` and pytest shows it in tests, and
    ``warnings.simplefilter("error", KolbenLegacyWarning)`` finds every use.

    .. versionadded:: 0.1.0
    """


def warn(old: str, new: str, stacklevel: int = 3) -> None:
    """Warn that ``old`` is a legacy API and ``new`` replaces it.

    :param old: how the application spelled the legacy API.
    :param new: what to write instead, in Flask 3.1 terms.
    :param stacklevel: the frame to blame, counted from the caller of this
        function's caller (the shim) upwards.
    """
    warnings.warn(
        f"{old} is a pre-Flask-3 API restored by kolben.legacy; use {new} instead.",
        KolbenLegacyWarning,
        stacklevel=stacklevel,
    )


class Patch:
    """One attribute set on one object (a class or a module).

    :param target: the object that gets the attribute.
    :param name: the attribute's name.
    :param value: what it is set to while the patch is applied.
    """

    def __init__(self, target: t.Any, name: str, value: t.Any) -> None:
        self.target = target
        self.name = name
        self.value = value
        self._previous: t.Any = _MISSING

    def apply(self) -> None:
        """Set the attribute, remembering the one it replaces (if any)."""
        # ``vars`` and not ``getattr``: a class must not keep an inherited
        # attribute as its own after the patch is undone.
        self._previous = vars(self.target).get(self.name, _MISSING)
        setattr(self.target, self.name, self.value)

    def undo(self) -> None:
        """Put back what :meth:`apply` replaced, or remove the attribute."""
        if self._previous is _MISSING:
            if self.name in vars(self.target):
                delattr(self.target, self.name)
        else:
            setattr(self.target, self.name, self._previous)
        self._previous = _MISSING
