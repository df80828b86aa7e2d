"""Errors that explain common mistakes, raised only in debug mode."""

from __future__ import annotations

import typing as t

from jinja2 import BaseLoader as BaseLoader
from werkzeug.routing import RequestRedirect as RequestRedirect

from kolben.contexts import request_ctx as request_ctx
from kolben.routing import RoutingApp
from kolben.templating import (
    explain_template_loading_attempts as explain_template_loading_attempts,
)

from .blueprints import Blueprint as Blueprint

#: Flask's name for the application base class.
App = RoutingApp

if t.TYPE_CHECKING:  # pragma: no cover
    from .wrappers import Request


class UnexpectedUnicodeError(AssertionError, UnicodeError):
    """Raised where Flask expected bytes and got text, or the other way round."""


class DebugFilesKeyError(KeyError, AssertionError):
    """Raised in debug mode when ``request.files`` lacks a key that the form
    has: the form was almost certainly sent without
    ``enctype="multipart/form-data"``, so the browser sent file names only.
    """

    def __init__(self, request: Request, key: str) -> None:
        sent = request.form.getlist(key)
        message = (
            f"request.files has no key {key!r}. The request's mimetype is"
            f" {request.mimetype!r}, not 'multipart/form-data', so no file"
            " contents were transmitted. Add"
            ' enctype="multipart/form-data" to the HTML form that sends the file.'
        )
        if sent:
            names = ", ".join(repr(name) for name in sent)
            message += (
                "\n\nThe browser sent the file names as form fields instead."
                f" This was submitted: {names}"
            )
        #: The explanation.
        self.msg = message

    def __str__(self) -> str:
        return self.msg


class FormDataRoutingRedirect(AssertionError):
    """Raised in debug mode instead of a 301 or 302 routing redirect of a
    request that carries a body: browsers would drop the form data when
    following it. Routing redirects are 308 by default, which keeps it.
    """

    def __init__(self, request: Request) -> None:
        redirect = request.routing_exception
        assert isinstance(redirect, RequestRedirect)
        parts = [
            f"The request to '{request.url}' was redirected by routing to its"
            f" canonical URL '{redirect.new_url}'."
        ]
        if redirect.new_url.partition("?")[0] == f"{request.base_url}/":
            parts.append(
                " The rule ends with a slash and the requested URL does not;"
                " routing adds the slash with a redirect."
            )
        parts.append(
            " A browser following a 301 or 302 redirect drops the form data:"
            " send the request to the canonical URL, or make routing redirects"
            " 307 or 308.\n\nThis error is only raised in debug mode."
        )
        super().__init__("".join(parts))


def attach_enctype_error_multidict(request: Request) -> None:
    """Make a missing key of ``request.files`` raise :exc:`DebugFilesKeyError`
    when the form has that key.

    Patches the class of this request's ``files`` only.
    """
    files = request.files
    original = type(files)

    def lookup(self: t.Any, key: str) -> t.Any:
        # Only a key the form has but the files lack earns the explanation;
        # everything else behaves exactly as the original class.
        if key not in self and key in request.form:
            raise DebugFilesKeyError(request, key)
        return original.__getitem__(self, key)

    # The same names as the original, so reprs and tracebacks look unchanged.
    files.__class__ = type(
        original.__name__,
        (original,),
        {
            "__getitem__": lookup,
            "__module__": original.__module__,
            "__qualname__": original.__qualname__,
        },
    )
