"""Signals sent while application contexts are pushed and popped.

They live in their own :class:`blinker.Namespace`; the ``flask`` meta-package
re-exports the very same objects from ``flask.signals``.
"""

from __future__ import annotations

from blinker import Namespace

#: The namespace holding the context signals.
namespace = Namespace()

#: Sent with the app as sender after an app context is pushed.
appcontext_pushed = namespace.signal("appcontext-pushed")

#: Sent with the app as sender after an app context is popped.
appcontext_popped = namespace.signal("appcontext-popped")

#: Sent by the app's ``do_teardown_appcontext`` with the ``exc`` that ended the
#: context (or ``None``).
appcontext_tearing_down = namespace.signal("appcontext-tearing-down")

#: Sent by the app's ``do_teardown_request`` with the ``exc`` that ended the
#: request (or ``None``).
request_tearing_down = namespace.signal("request-tearing-down")
