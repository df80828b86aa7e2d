"""Every signal Flask sends, as :mod:`blinker` signals.

Subscribe with ``connect`` (or ``connected_to`` in tests); the sender is the
application. The context signals come from :mod:`kolben.contexts` and the
template signals from :mod:`kolben.templating`: these are the very same
objects.
"""

from __future__ import annotations

from blinker import Namespace as Namespace

from kolben.contexts import appcontext_popped as appcontext_popped
from kolben.contexts import appcontext_pushed as appcontext_pushed
from kolben.contexts import appcontext_tearing_down as appcontext_tearing_down
from kolben.contexts import request_tearing_down as request_tearing_down
from kolben.templating import before_render_template as before_render_template
from kolben.templating import template_rendered as template_rendered

#: The namespace of the signals the application itself sends.
_signals = Namespace()

#: Sent when a request starts, before any ``before_request`` function runs,
#: with the request context active.
request_started = _signals.signal("request-started")

#: Sent with ``response=`` once a response is ready to be sent, after the
#: ``after_request`` functions ran.
request_finished = _signals.signal("request-finished")

#: Sent with ``exception=`` when an unhandled exception occurs during a
#: request, before the error is turned into a 500 response (or propagated).
got_request_exception = _signals.signal("got-request-exception")

#: Sent with ``message=`` and ``category=`` when :func:`~flask.flash` records
#: a message.
message_flashed = _signals.signal("message-flashed")
