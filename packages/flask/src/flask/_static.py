"""Static files and package resources, shared by ``Flask`` and ``Blueprint``."""

from __future__ import annotations

import os
import typing as t
from datetime import timedelta

from kolben.contexts import current_app

from .helpers import send_from_directory

if t.TYPE_CHECKING:  # pragma: no cover
    from .wrappers import Response

_READ_MODES = frozenset(("r", "t", "rb", "rt"))


class _StaticOwner(t.Protocol):
    root_path: str

    @property
    def static_folder(self) -> str | None: ...

    @property
    def has_static_folder(self) -> bool: ...


class StaticFilesFacet:
    """Mixin serving an owner's static folder and opening files beside its
    package. The owner (a routing scaffold) provides ``root_path``,
    ``static_folder`` and ``has_static_folder``.
    """

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        """Return how long, in seconds, browsers may cache a file sent by
        :func:`~flask.send_file`; ``None`` lets the browser revalidate with a
        conditional request, which is the default.

        The value comes from the current app's ``SEND_FILE_MAX_AGE_DEFAULT``
        (seconds or a ``timedelta``). Override it to choose per file::

            class MyFlask(Flask):
                def get_send_file_max_age(self, filename):
                    if filename and filename.endswith(".js"):
                        return 60
                    return super().get_send_file_max_age(filename)

        :param filename: the file being sent, or ``None`` for an open file.

        .. versionchanged:: 2.0
            The default is ``None`` instead of 12 hours.
        """
        configured = current_app.config["SEND_FILE_MAX_AGE_DEFAULT"]
        # Seconds (or None) pass through; a timedelta is converted.
        if isinstance(configured, timedelta):
            return int(configured.total_seconds())
        return configured  # type: ignore[no-any-return]

    def send_static_file(self, filename: str) -> Response:
        """Serve a file from :attr:`static_folder`; the view of the ``static``
        endpoint.

        :param filename: the file's path inside the static folder.
        """
        owner = t.cast(_StaticOwner, self)
        if not owner.has_static_folder:
            raise RuntimeError(
                "There are no static files to serve: 'static_folder' is not set."
            )
        return send_from_directory(
            t.cast(str, owner.static_folder),
            filename,
            # This owner's caching policy (a blueprint may override it);
            # send_file on its own would ask the app.
            max_age=self.get_send_file_max_age(filename),
        )

    def open_resource(
        self, resource: str, mode: str = "rb", encoding: str | None = None
    ) -> t.IO[t.AnyStr]:
        """Open a file relative to :attr:`root_path` for reading.

        Handy for files that ship with the package, such as a schema::

            with app.open_resource("schema.sql") as f:
                conn.executescript(f.read())

        :param resource: the path relative to the root path.
        :param mode: ``"rb"`` (the default), ``"r"``, ``"rt"`` or ``"t"``.
        :param encoding: the encoding in text mode.
        :raises ValueError: for any mode that writes.

        .. versionchanged:: 3.1
            Added the ``encoding`` parameter.
        """
        if mode not in _READ_MODES:
            raise ValueError(
                "Resources can only be opened for reading; use"
                " open_instance_resource to write files."
            )
        root = t.cast(_StaticOwner, self).root_path
        # open() refuses an encoding in binary mode.
        text_encoding = None if mode == "rb" else encoding
        return open(os.path.join(root, resource), mode, encoding=text_encoding)
