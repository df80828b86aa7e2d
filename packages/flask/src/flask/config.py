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

# Errors a ``silent=True`` load treats as "there is no such file".
_MISSING_FILE_ERRNOS = frozenset((errno.ENOENT, errno.EISDIR, errno.ENOTDIR))


class _ConfigHolder(t.Protocol):
    config: Config


class ConfigAttribute(t.Generic[T]):
    """Expose one configuration key as an attribute of the object owning it.

    ``Flask.debug`` and ``Flask.secret_key`` are such attributes: reading
    ``app.secret_key`` reads ``app.config["SECRET_KEY"]`` and assigning it
    writes the key.

    :param name: the configuration key.
    :param get_converter: applied to the stored value on every read, for
        example to turn a number of seconds into a ``timedelta``.
    """

    def __init__(
        self, name: str, get_converter: cabc.Callable[[t.Any], T] | None = None
    ) -> None:
        self.__name__ = name
        self.get_converter = get_converter

    @t.overload
    def __get__(self, obj: None, owner: None) -> ConfigAttribute[T]: ...

    @t.overload
    def __get__(self, obj: _ConfigHolder, owner: type[_ConfigHolder]) -> T: ...

    def __get__(
        self, obj: _ConfigHolder | None, owner: type[_ConfigHolder] | None = None
    ) -> T | ConfigAttribute[T]:
        if obj is None:
            return self
        value = obj.config[self.__name__]
        if self.get_converter is not None:
            value = self.get_converter(value)
        return value  # type: ignore[no-any-return]

    def __set__(self, obj: _ConfigHolder, value: t.Any) -> None:
        obj.config[self.__name__] = value


class Config(dict):  # type: ignore[type-arg]
    """A dict of settings that can load itself from files, objects, mappings
    and environment variables.

    Only upper-case keys are taken from objects, modules and mappings, so
    helpers and imports in a configuration file stay out of the config::

        app.config.from_object("yourapp.default_settings")
        app.config.from_envvar("YOURAPP_SETTINGS", silent=True)
        app.config.from_prefixed_env()

    :param root_path: relative file names given to the loaders are resolved
        against this folder (the application's root path, or its instance path
        with ``instance_relative_config``).
    :param defaults: initial settings.
    """

    def __init__(
        self,
        root_path: str | os.PathLike[str],
        defaults: dict[str, t.Any] | None = None,
    ) -> None:
        super().__init__(defaults or {})
        #: The folder relative file names are resolved against.
        self.root_path = root_path

    def from_envvar(self, variable_name: str, silent: bool = False) -> bool:
        """Load the Python file named by the environment variable ``variable_name``.

        A shortcut for ``from_pyfile(os.environ[variable_name])``::

            app.config.from_envvar("YOURAPP_SETTINGS")

        :param variable_name: the environment variable holding the file name.
        :param silent: return ``False`` instead of raising when the variable is
            unset or the file does not exist.
        :return: ``True`` when a file was loaded.
        :raises RuntimeError: when the variable is unset and not ``silent``.
        """
        filename = os.environ.get(variable_name)
        if not filename:
            if silent:
                return False
            raise RuntimeError(
                f"The environment variable {variable_name!r} is not set and as"
                " such configuration could not be loaded. Set this variable and"
                " make it point to a configuration file"
            )
        return self.from_pyfile(filename, silent=silent)

    def from_prefixed_env(
        self,
        prefix: str = "FLASK",
        *,
        loads: cabc.Callable[[str], t.Any] = json.loads,
    ) -> bool:
        """Load every environment variable whose name starts with ``prefix_``.

        ``FLASK_SECRET_KEY=abc`` sets ``SECRET_KEY``. Each value is decoded with
        ``loads`` (JSON by default, so ``true``, ``1`` and ``[1, 2]`` become
        Python values) and kept as a string when it does not decode. A double
        underscore sets a key of a nested dict, creating dicts as needed:
        ``FLASK_DB__HOST=x`` sets ``config["DB"]["HOST"]``. Variables are
        applied in sorted order.

        :param prefix: the prefix, without the trailing underscore.
        :param loads: decodes each value.
        :return: always ``True``.

        .. versionadded:: 2.1
        """
        prefix = f"{prefix}_"
        for name in sorted(os.environ):
            if not name.startswith(prefix):
                continue
            raw = os.environ[name]
            try:
                value = loads(raw)
            except Exception:
                value = raw
            *parents, leaf = name[len(prefix) :].split("__")
            target: dict[str, t.Any] = self
            for part in parents:
                target = target.setdefault(part, {})
            target[leaf] = value
        return True

    def from_pyfile(
        self, filename: str | os.PathLike[str], silent: bool = False
    ) -> bool:
        """Execute a Python file and load its upper-case globals.

        :param filename: the file, absolute or relative to :attr:`root_path`.
        :param silent: return ``False`` instead of raising when the file is
            missing.
        :return: ``True`` when the file was loaded.
        """
        path = os.path.join(self.root_path, filename)
        namespace = types.ModuleType("config")
        namespace.__file__ = path
        try:
            with open(path, mode="rb") as source:
                # Bytes, so the file's own coding declaration decides the encoding.
                code = compile(source.read(), path, "exec")
        except OSError as e:
            if silent and e.errno in _MISSING_FILE_ERRNOS:
                return False
            e.strerror = f"Unable to load configuration file ({e.strerror})"
            raise
        exec(code, namespace.__dict__)
        self.from_object(namespace)
        return True

    def from_object(self, obj: object | str) -> None:
        """Load the upper-case attributes of a module, class or any object.

        A string is an import path, imported first::

            app.config.from_object("yourapp.default_config")

            from yourapp import config
            app.config.from_object(config)

        Class attributes, including inherited ones and properties' class
        objects, are read with :func:`dir` and :func:`getattr`; an instance lets
        properties compute their values.

        :param obj: an import path or an object.
        """
        if isinstance(obj, str):
            obj = import_string(obj)
        for key in dir(obj):
            if key.isupper():
                self[key] = getattr(obj, key)

    def from_file(
        self,
        filename: str | os.PathLike[str],
        load: cabc.Callable[[t.IO[t.Any]], cabc.Mapping[str, t.Any]],
        silent: bool = False,
        text: bool = True,
    ) -> bool:
        """Load a data file with any loader returning a mapping, keeping its
        upper-case keys::

            import json
            app.config.from_file("config.json", load=json.load)

            import tomllib
            app.config.from_file("config.toml", load=tomllib.load, text=False)

        :param filename: the file, absolute or relative to :attr:`root_path`.
        :param load: called with the open file; returns a mapping.
        :param silent: return ``False`` instead of raising when the file is
            missing.
        :param text: open the file in text mode (UTF-8) rather than binary.
        :return: ``True`` when the file was loaded.

        .. versionchanged:: 2.3
            The ``text`` parameter was added.
        """
        path = os.path.join(self.root_path, filename)
        try:
            f: t.IO[t.Any] = open(path, encoding="utf-8") if text else open(path, "rb")
            with f:
                data = load(f)
        except OSError as e:
            if silent and e.errno in _MISSING_FILE_ERRNOS:
                return False
            e.strerror = f"Unable to load configuration file ({e.strerror})"
            raise
        return self.from_mapping(data)

    def from_mapping(
        self, mapping: cabc.Mapping[str, t.Any] | None = None, **kwargs: t.Any
    ) -> bool:
        """Load the upper-case keys of a mapping and of keyword arguments.

        :param mapping: a mapping or an iterable of key/value pairs.
        :return: always ``True``.
        """
        values: dict[str, t.Any] = {}
        if mapping is not None:
            values.update(mapping)
        values.update(kwargs)
        for key, value in values.items():
            if key.isupper():
                self[key] = value
        return True

    def get_namespace(
        self, namespace: str, lowercase: bool = True, trim_namespace: bool = True
    ) -> dict[str, t.Any]:
        """Return the settings whose keys start with ``namespace``.

        Handy to pass a group of settings as keyword arguments::

            app.config["IMAGE_STORE_TYPE"] = "fs"
            app.config["IMAGE_STORE_PATH"] = "/var/app/images"
            image_store = ImageStore(**app.config.get_namespace("IMAGE_STORE_"))
            # ImageStore(type="fs", path="/var/app/images")

        :param namespace: the key prefix, usually ending in ``_``.
        :param lowercase: lower-case the returned keys.
        :param trim_namespace: drop the prefix from the returned keys.
        """
        found: dict[str, t.Any] = {}
        for key, value in self.items():
            if not key.startswith(namespace):
                continue
            name = key[len(namespace) :] if trim_namespace else key
            found[name.lower() if lowercase else name] = value
        return found

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {dict.__repr__(self)}>"
