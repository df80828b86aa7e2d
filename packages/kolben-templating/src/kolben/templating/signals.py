"""Signals sent around every template render.

They live in their own :class:`blinker.Namespace`; the ``flask`` meta-package
re-exports the very same objects from ``flask.signals``. The sender is the
application (or the :class:`~kolben.templating.Templates` object) that renders.
"""

from __future__ import annotations

from blinker import Namespace

#: The namespace holding the template signals.
namespace = Namespace()

#: Sent just before a template renders, with ``template`` (the
#: :class:`jinja2.Template`) and ``context`` (the dict it will render with, which
#: receivers may still change).
before_render_template = namespace.signal("before-render-template")

#: Sent after a template rendered (for a stream: after the last chunk), with
#: ``template`` and ``context``; the test client's tools use it to record which
#: templates a request rendered.
template_rendered = namespace.signal("template-rendered")
