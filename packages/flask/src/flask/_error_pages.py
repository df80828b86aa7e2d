"""The response an HTTP error without a handler becomes, its page rendered once.

werkzeug renders an :exc:`~werkzeug.exceptions.HTTPException`'s HTML page
anew for every response (escaping its name and description, building Markup
objects). The page depends only on the error's code, name and description,
so the pipeline renders it once per combination and builds the response from
the finished bytes: the same status, headers and body werkzeug's
``get_response`` gives, for a fraction of the work on every 404.
"""

from __future__ import annotations

import typing as t

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as WSGIResponse

from ._responses import body_response

if t.TYPE_CHECKING:  # pragma: no cover
    from _typeshed.wsgi import WSGIEnvironment

_GET_RESPONSE = HTTPException.get_response
_GET_BODY = HTTPException.get_body
_GET_DESCRIPTION = HTTPException.get_description
_GET_HEADERS = HTTPException.get_headers
#: The only header werkzeug's ``HTTPException.get_headers`` gives.
_PAGE_CONTENT_TYPE = "text/html; charset=utf-8"

#: (code, name, description) -> the encoded page werkzeug renders for them.
_pages: dict[tuple[int, str, str | None], bytes] = {}
# Descriptions are an open set (``abort(400, message)``): bounded.
_MAX_PAGES = 128


def error_response(e: HTTPException, environ: WSGIEnvironment) -> WSGIResponse:
    """Return what ``e.get_response(environ)`` returns, the page taken from
    the cache when werkzeug's own rendering would produce it.

    An error carrying its own response, or whose class renders its page,
    description or headers itself, goes through ``get_response`` as always.
    """
    cls = type(e)
    code = e.code
    description = e.description
    if (
        e.response is not None
        or type(code) is not int
        or not (description is None or type(description) is str)
        or cls.get_response is not _GET_RESPONSE
        or cls.get_body is not _GET_BODY
        or cls.get_description is not _GET_DESCRIPTION
        or cls.get_headers is not _GET_HEADERS
    ):
        return e.get_response(environ)
    # The name is part of the key: it comes from werkzeug's status table
    # (or a subclass's property), either of which may change.
    key = (code, e.name, description)
    page = _pages.get(key)
    if page is None:
        if len(_pages) >= _MAX_PAGES:
            _pages.clear()
        page = _pages[key] = e.get_body(environ).encode()
    # Content-Type then Content-Length, as get_response's headers and
    # set_data give them.
    return body_response(WSGIResponse, page, _PAGE_CONTENT_TYPE, code)
