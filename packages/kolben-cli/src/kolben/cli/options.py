"""Parameter types and callbacks of the ``run`` command: TLS material
(``--cert`` / ``--key``) and lists of paths (``--extra-files``).
"""

from __future__ import annotations

import collections.abc as cabc
import contextlib
import os
import types
import typing as t

import click
from click.core import ParameterSource

if t.TYPE_CHECKING:
    # Generic in recent click only; subscripting it would fail at run time on
    # the older releases this package supports.
    _ParamType = click.ParamType[t.Any]
else:
    _ParamType = click.ParamType

#: The ``--cert`` word asking werkzeug for a throwaway certificate.
ADHOC = "adhoc"

_NO_SSL = 'Using "--cert" requires Python to be compiled with SSL support.'
_NO_CRYPTOGRAPHY = "Using ad-hoc certificates requires the cryptography library."
_NOT_A_CERT = (
    "{value!r} is not an existing file, 'adhoc', or the import path of an"
    " ssl.SSLContext object."
)


def _ssl() -> types.ModuleType | None:
    """The :mod:`ssl` module, or ``None`` on an interpreter built without it."""
    try:
        import ssl
    except ImportError:
        return None
    return ssl


def _has_cryptography() -> bool:
    """Whether the ``cryptography`` package, which ``adhoc`` needs, imports."""
    try:
        import cryptography  # noqa: F401
    except ImportError:
        return False
    return True


def _object_at(import_path: str) -> object:
    """The object ``import_path`` points to, or ``None`` when it cannot be had."""
    from werkzeug.utils import import_string

    with contextlib.suppress(ImportError):
        return import_string(import_path, silent=True)
    return None


def _is_ssl_context(obj: object) -> bool:
    ssl = _ssl()
    return ssl is not None and isinstance(obj, ssl.SSLContext)


class CertParamType(_ParamType):
    """The type of ``--cert``, tried as three things in turn: a path to an
    existing certificate file, the word ``adhoc`` (werkzeug generates a
    certificate; needs the ``cryptography`` package), or the dotted import path of
    an :class:`ssl.SSLContext` instance, which is returned itself.
    """

    name = "path"

    def __init__(self) -> None:
        #: Checks the "existing file" reading; resolves it to an absolute path.
        self.path_type = click.Path(resolve_path=True, exists=True, dir_okay=False)

    def convert(
        self, value: t.Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> t.Any:
        """Return the resolved file path, ``"adhoc"`` or the
        :class:`ssl.SSLContext`; fail with a :exc:`click.BadParameter` otherwise.
        """
        ssl = _ssl()
        if ssl is None:
            self.fail(_NO_SSL, param, ctx)

        with contextlib.suppress(click.BadParameter):
            return self.path_type(value, param, ctx)

        word = click.STRING(value, param, ctx).lower()
        if word == ADHOC:
            if not _has_cryptography():
                self.fail(_NO_CRYPTOGRAPHY, param, ctx)
            return word

        target = _object_at(word)
        if not isinstance(target, ssl.SSLContext):
            self.fail(_NOT_A_CERT.format(value=word), param, ctx)
        return target


def _key_conflict(cert: object, key_given: bool) -> str | None:
    """The complaint about this ``--cert``/``--key`` combination, if any."""
    if cert == ADHOC:
        return 'When "--cert" is "adhoc", "--key" is not used.' if key_given else None
    if _is_ssl_context(cert):
        if key_given:
            return 'When "--cert" is an SSLContext object, "--key" is not used.'
        return None
    if key_given and not cert:
        return '"--cert" must also be specified.'
    if cert and not key_given:
        return 'Required when using "--cert".'
    return None


def validate_key(ctx: click.Context, param: click.Parameter, value: t.Any) -> t.Any:
    """Callback of ``--key``: check it against ``--cert`` and, for a certificate
    file, store both as the ``cert`` parameter, a ``(cert, key)`` pair.

    Being eager, ``--cert`` has always been converted by the time this runs,
    wherever it stands on the command line.
    """
    cert = ctx.params.get("cert")
    problem = _key_conflict(cert, value is not None)
    if problem is not None:
        raise click.BadParameter(problem, ctx, param)
    if value is not None:
        ctx.params["cert"] = (cert, value)
    return value


class SeparatedPathType(click.Path):
    """Several paths in one value, joined with :data:`os.pathsep` (``:`` on
    POSIX, ``;`` on Windows). Each one is checked as by :class:`click.Path`; the
    result is a list.
    """

    def convert(
        self, value: t.Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> t.Any:
        """Split ``value`` (unless it is already a sequence) and convert each part."""
        parts: cabc.Iterable[t.Any] = (
            value
            if isinstance(value, (list, tuple))
            else self.split_envvar_value(value)
        )
        check = super().convert
        return [check(part, param, ctx) for part in parts]


# Values of --debug that come from nowhere the user chose: they must not
# overwrite what FLASK_DEBUG already says.
_IMPLICIT_SOURCES: frozenset[ParameterSource | None] = frozenset(
    {None, ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP}
)


def _export_debug(
    ctx: click.Context, param: click.Parameter, value: bool
) -> bool | None:
    if ctx.get_parameter_source(str(param.name)) in _IMPLICIT_SOURCES:
        return None
    # The option works through the variable, which the app and "run" read.
    os.environ["FLASK_DEBUG"] = str(int(value))
    return value


def debug_option() -> click.Option:
    """Return a new ``--debug/--no-debug`` option: given, it sets
    ``FLASK_DEBUG`` for the app loaded after it; not given, it changes nothing.

    Both the ``flask`` group (``flask --debug run``) and ``run`` itself
    (``flask run --debug``, as Flask's quickstart teaches) carry one.

    .. versionadded:: 0.1.0
    """
    return click.Option(
        ["--debug/--no-debug"],
        expose_value=False,
        callback=_export_debug,
        help="Turn debug mode on or off.",
    )
