"""The application's configuration: a dict with loaders.

``app.config`` is a :class:`Config`. Keys are upper case by convention and only
upper-case names are picked up by the loaders that read objects and files, so a
configuration module can use lower-case helpers freely.
"""

from __future__ import annotations

import errno
import json
import os
import types
import typing as t

from werkzeug.utils import import_string

if t.TYPE_CHECKING:
    import collections.abc as cabc

T = t.TypeVar("T")
R = t.TypeVar("R")

#: A file or folder name as the loaders accept it.
_PathArg: t.TypeAlias = "str | os.PathLike[str]"

# Errors a ``silent=True`` load treats as "there is no such file".
_MISSING_FILE_ERRNOS = frozenset((errno.ENOENT, errno.EISDIR, errno.ENOTDIR))


class _Absent:
    """Marks a file a silent load did not find (``None`` is a valid result)."""


_ABSENT = _Absent()


class _ConfigHolder(t.Protocol):
    config: Config


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as stream:
        return stream.read()


class ConfigAttribute(t.Generic[T]):
    """A descriptor that mirrors one configuration key as an attribute.

    The owner must have a ``config`` mapping. ``Flask.testing`` and
    ``Flask.secret_key`` are built this way: ``app.secret_key`` reads
    ``app.config["SECRET_KEY"]`` and ``app.secret_key = ...`` stores into it.

    :param name: the key in the owner's ``config``.
    :param get_converter: a function the stored value passes through each time
        the attribute is read, e.g. seconds to ``timedelta``.
    """

    def __init__(
        self, name: str, get_converter: cabc.Callable[[t.Any], T] | None = None
    ) -> None:
        self.get_converter = get_converter
        self.__name__ = name

    @t.overload
    def __get__(self, obj: None, owner: None) -> ConfigAttribute[T]: ...

    @t.overload
    def __get__(self, obj: _ConfigHolder, owner: type[_ConfigHolder]) -> T: ...

    def __get__(
        self, obj: _ConfigHolder | None, owner: type[_ConfigHolder] | None = None
    ) -> T | ConfigAttribute[T]:
        # Read on the class, the descriptor stands for itself (for docs tools).
        if obj is None:
            return self
        stored = obj.config[self.__name__]
        convert = self.get_converter
        return stored if convert is None else convert(stored)

    def __set__(self, obj: _ConfigHolder, value: t.Any) -> None:
        obj.config[self.__name__] = value


class Config(dict):  # type: ignore[type-arg]
    """A ``dict`` of settings that knows how to fill itself from Python files,
    data files, objects, mappings and environment variables.

    Every loader keeps upper-case keys only, which lets a settings module hold
    lower-case helpers and imports without leaking them into the config::

        app.config.from_object("yourapp.default_settings")
        app.config.from_envvar("YOURAPP_SETTINGS", silent=True)
        app.config.from_prefixed_env()

    :param root_path: the folder relative file names handed to the loaders
        are resolved against: the app's root path, or its instance folder when
        the app was created with ``instance_relative_config=True``.
    :param defaults: the settings to start with.
    """

    def __init__(
        self,
        root_path: _PathArg,
        defaults: dict[str, t.Any] | None = None,
    ) -> None:
        #: The folder relative file names are resolved against.
        self.root_path = root_path
        super().__init__(defaults or ())

    # -- the loaders ---------------------------------------------------------

    def from_envvar(self, variable_name: str, silent: bool = False) -> bool:
        """Load the Python file whose name an environment variable holds.

        The same as ``from_pyfile(os.environ[variable_name])``, with a clear
        error when the variable is missing::

            app.config.from_envvar("YOURAPP_SETTINGS")

        :param variable_name: the name of the environment variable.
        :param silent: give back ``False`` rather than raise when the variable
            is unset or empty, or names a file that does not exist.
        :return: whether a file was loaded.
        :raises RuntimeError: the variable is unset and ``silent`` is false.
        """
        filename = os.environ.get(variable_name)
        if filename:
            return self.from_pyfile(filename, silent=silent)
        if silent:
            return False
        raise RuntimeError(
            f"The environment variable {variable_name!r} is not set, so no"
            " configuration file could be loaded from it. Set it to the path"
            " of a configuration file."
        )

    def from_prefixed_env(
        self,
        prefix: str = "FLASK",
        *,
        loads: cabc.Callable[[str], t.Any] = json.loads,
    ) -> bool:
        """Load the environment variables named ``<prefix>_<KEY>``.

        ``FLASK_SECRET_KEY=abc`` sets ``SECRET_KEY``. Values go through
        ``loads`` first (JSON by default, so ``true``, ``1`` or ``[1, 2]``
        arrive as Python values); a value it cannot decode stays a string.
        ``__`` in a name walks into nested dicts, creating missing ones:
        ``FLASK_DB__HOST=x`` sets ``config["DB"]["HOST"]``. Variables are
        processed in sorted order, so outer keys are set before inner ones.

        :param prefix: what the variable names start with, without the ``_``
            that follows it.
        :param loads: turns each raw value into a Python value.
        :return: ``True``.

        .. versionadded:: 2.1
        """
        lead = f"{prefix}_"
        for env_name in sorted(n for n in os.environ if n.startswith(lead)):
            raw = os.environ[env_name]
            try:
                decoded = loads(raw)
            except Exception:
                decoded = raw
            self._set_path(env_name[len(lead) :].split("__"), decoded)
        return True

    def from_pyfile(self, filename: _PathArg, silent: bool = False) -> bool:
        """Run a Python settings file and keep its upper-case globals.

        :param filename: absolute, or relative to :attr:`root_path`.
        :param silent: give back ``False`` rather than raise when there is no
            such file.
        :return: whether the file was loaded.
        """
        path = os.path.join(self.root_path, filename)
        # Read as bytes: the file's own coding declaration picks the encoding.
        source = self._read_config_file(path, silent, _read_bytes)
        if isinstance(source, _Absent):
            return False
        settings = types.ModuleType("config")
        settings.__file__ = path
        exec(compile(source, path, "exec"), settings.__dict__)
        self.from_object(settings)
        return True

    def from_object(self, obj: object | str) -> None:
        """Copy the upper-case attributes of an object, class or module.

        A string is an import path and is imported first::

            app.config.from_object("yourapp.default_config")

            from yourapp import config
            app.config.from_object(config)

        Attributes are found with :func:`dir`, so inherited class attributes
        count. Pass an instance rather than a class when properties should
        compute their values.

        :param obj: the object, or its import path.
        """
        source = import_string(obj) if isinstance(obj, str) else obj
        self._keep_upper((key, getattr(source, key)) for key in dir(source))

    def from_file(
        self,
        filename: _PathArg,
        load: cabc.Callable[[t.IO[t.Any]], cabc.Mapping[str, t.Any]],
        silent: bool = False,
        text: bool = True,
    ) -> bool:
        """Read a data file with any loader that returns a mapping, and keep its
        upper-case keys::

            import json
            app.config.from_file("config.json", load=json.load)

            import tomllib
            app.config.from_file("config.toml", load=tomllib.load, text=False)

        :param filename: absolute, or relative to :attr:`root_path`.
        :param load: receives the open file and returns the settings.
        :param silent: give back ``False`` rather than raise when there is no
            such file.
        :param text: open the file as UTF-8 text; ``False`` opens it binary
            (what ``tomllib.load`` wants).
        :return: whether the file was loaded.

        .. versionchanged:: 2.3
            ``text``.
        """

        def read(path: str) -> cabc.Mapping[str, t.Any]:
            opened = open(path, encoding="utf-8") if text else open(path, "rb")
            with opened:
                return load(opened)

        path = os.path.join(self.root_path, filename)
        data = self._read_config_file(path, silent, read)
        if isinstance(data, _Absent):
            return False
        return self.from_mapping(data)

    def from_mapping(
        self, mapping: cabc.Mapping[str, t.Any] | None = None, **kwargs: t.Any
    ) -> bool:
        """Copy the upper-case keys of a mapping, then of the keyword arguments.

        :param mapping: a mapping, or an iterable of ``(key, value)`` pairs.
        :return: ``True``.
        """
        combined = dict(mapping or (), **kwargs)
        self._keep_upper(combined.items())
        return True

    # -- reading -------------------------------------------------------------

    def get_namespace(
        self, namespace: str, lowercase: bool = True, trim_namespace: bool = True
    ) -> dict[str, t.Any]:
        """Collect the settings whose keys start with ``namespace``.

        Useful to hand a group of settings to a constructor as keywords::

            app.config["IMAGE_STORE_TYPE"] = "fs"
            app.config["IMAGE_STORE_PATH"] = "/var/app/images"
            image_store = ImageStore(**app.config.get_namespace("IMAGE_STORE_"))
            # ImageStore(type="fs", path="/var/app/images")

        :param namespace: the prefix to look for, usually ending in ``_``.
        :param lowercase: lower-case the keys of the result.
        :param trim_namespace: strip the prefix from the keys of the result.
        """
        cut = len(namespace) if trim_namespace else 0
        rename: cabc.Callable[[str], str] = str.lower if lowercase else str
        return {
            rename(key[cut:]): value
            for key, value in self.items()
            if key.startswith(namespace)
        }

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {dict.__repr__(self)}>"

    # -- helpers -------------------------------------------------------------

    def _keep_upper(self, pairs: cabc.Iterable[tuple[str, t.Any]]) -> None:
        # Item by item, so a subclass overriding __setitem__ sees every key.
        for key, value in pairs:
            if key.isupper():
                self[key] = value

    def _set_path(self, keys: list[str], value: t.Any) -> None:
        *parents, leaf = keys
        target: dict[str, t.Any] = self
        for key in parents:
            target = target.setdefault(key, {})
        target[leaf] = value

    @staticmethod
    def _read_config_file(
        path: str, silent: bool, read: cabc.Callable[[str], R]
    ) -> R | _Absent:
        try:
            return read(path)
        except OSError as error:
            if silent and error.errno in _MISSING_FILE_ERRNOS:
                return _ABSENT
            error.strerror = f"Unable to load configuration file ({error.strerror})"
            raise
