"""The API pages' one source of truth: which names a module makes public.

``.. kolben-module:: kolben.sessions`` documents every public name of a module
with autodoc, so a name added to a package shows up in the reference without
editing the docs. A module's public names are the ``__all__`` it assigns
when it has one; otherwise they are what the project's style makes public
(STYLE.md, "Modules and the public API"): the functions, classes and
variables the module itself defines and the same-name re-exports (``from .tag
import JSONTag as JSONTag``) — not the incidental imports a module needs for
its own code. (``flask.app`` and the other Flask modules that import names on
first access answer ``__all__`` from their module ``__getattr__``, only so a
star import binds every public global as Flask's does; that list, which
holds ``os`` and ``t``, is not their documented API.)

The same function is used by ``tests/docs/test_inventory.py`` to check the
built ``objects.inv``, so the site and its test can never disagree on what
"every public name" means. The module also resolves references that name an
object by its defining module (``kolben.sessions.sessions.SessionMixin``, as
autodoc writes type annotations) to the public name it is documented under.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pathlib
import sys
import types
import typing as t

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.pycode import ModuleAnalyzer
from sphinx.util.docutils import SphinxDirective

if t.TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def _bound_names(body: list[ast.stmt]) -> t.Iterator[str]:
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    yield target.id
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            if node.value is not None:
                yield node.target.id
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.asname is not None and alias.asname == alias.name:
                    yield alias.name
        elif isinstance(node, ast.If):
            # Re-exports under ``if TYPE_CHECKING:`` count when the module
            # serves them lazily (a module ``__getattr__``); public_names
            # keeps only the names the module really has.
            yield from _bound_names(node.body)
            yield from _bound_names(node.orelse)
        elif isinstance(node, ast.Try):
            yield from _bound_names(node.body)


def public_names(modname: str) -> list[str]:
    """Return the public names of the module *modname*, in source order.

    :param modname: a dotted module path such as ``"flask.sessions"``.
    """
    module = importlib.import_module(modname)
    # Assigned, not answered by a module __getattr__ (see the module docstring).
    declared = vars(module).get("__all__")
    if declared is not None:
        candidates = list(declared)
    else:
        tree = ast.parse(inspect.getsource(module))
        candidates = list(dict.fromkeys(_bound_names(tree.body)))
    return [
        name
        for name in candidates
        if not name.startswith("_")
        and hasattr(module, name)
        # Modules are documented on their own; type variables only spell
        # out signatures.
        and not isinstance(getattr(module, name), (types.ModuleType, *_TYPE_VARS))
    ]


_TYPE_VARS = (t.TypeVar, t.ParamSpec)

#: Values too plain to tell apart by identity (``"session"`` may be two
#: unrelated constants that happen to be the same interned string).
_PLAIN = (str, bytes, int, float, bool, tuple, frozenset, type(None))

_part_names: dict[int, str] = {}


def _parts_by_identity() -> dict[int, str]:
    """Map ``id(value)`` to its public name in a part, for data objects."""
    if not _part_names:
        import kolben

        for path in kolben.__path__:
            for init in sorted(pathlib.Path(path).glob("*/__init__.py")):
                modname = f"kolben.{init.parent.name}"
                module = importlib.import_module(modname)
                for name in public_names(modname):
                    value = getattr(module, name)
                    if not isinstance(value, _PLAIN):
                        _part_names.setdefault(id(value), f"{modname}.{name}")
    return _part_names


def home_of(obj: object) -> str | None:
    """Return the public name an object is documented under, if it has one.

    A class or function defined in ``kolben.<part>.<module>`` is documented
    as ``kolben.<part>.<name>`` (a part's protocols in its ``protocols``
    module); one defined in a public ``flask`` module is documented there. A
    data object (a proxy, a signal) is documented where a part exports it.
    Anything else — plain constants, objects from private ``flask`` modules —
    has no home elsewhere and is documented where it is found.
    """
    if not isinstance(obj, (type, types.FunctionType)):
        if isinstance(obj, _PLAIN):
            return None
        # Proxies and signals: documented where a part exports them.
        return _parts_by_identity().get(id(obj))
    modname = getattr(obj, "__module__", None) or ""
    name = getattr(obj, "__name__", "")
    parts = modname.split(".")
    if parts[0] == "kolben" and parts[-1] == "protocols":
        # A part's protocols are documented in its protocols module.
        home = modname
    elif parts[0] == "kolben" and len(parts) > 1:
        home = ".".join(parts[:2])
    elif parts[0] == "flask" and not any(p.startswith("_") for p in parts):
        home = modname
    else:
        return None
    try:
        module = importlib.import_module(home)
    except ImportError:
        return None
    return f"{home}.{name}" if getattr(module, name, None) is obj else None


def is_foreign(obj: object) -> bool:
    """Whether *obj* is a class or function from outside Kolben.

    ``flask.sessions`` keeps ``datetime`` and ``CallbackDict`` importable, as
    Flask's module does; they are the standard library's and werkzeug's, and
    are not documented here.
    """
    if not isinstance(obj, (type, types.FunctionType)):
        return False
    top = (getattr(obj, "__module__", None) or "").split(".")[0]
    return top not in ("kolben", "flask")


def _doc_comment(module: types.ModuleType, name: str, obj: object) -> list[str]:
    """Return the ``#:`` comment of the assignment that made *obj*.

    A proxy or signal is assigned in one module of its package and
    re-exported by others; the comment is found where it is assigned.
    """
    package = module.__name__.split(".")[0]
    candidates = [module] + [
        other
        for other_name, other in sorted(sys.modules.items())
        if other_name.split(".")[0] == package and vars(other).get(name) is obj
    ]
    for candidate in candidates:
        try:
            analyzer = ModuleAnalyzer.for_module(candidate.__name__)
            found = analyzer.find_attr_docs().get(("", name))
        except Exception:
            continue
        if found:
            return list(found)
    return []


def _data_entry(module: types.ModuleType, name: str, obj: object) -> list[str]:
    """A ``py:data`` entry for a public data name (a proxy, signal, constant).

    autodoc documents data only where it is assigned; a re-exported proxy
    or signal is public API under this module's name too.
    """
    lines = [f".. py:data:: {name}", ""]
    lines += [f"   {line}" for line in _doc_comment(module, name, obj)]
    return [*lines, ""]


class KolbenModule(SphinxDirective):
    """``.. kolben-module:: dotted.path`` — autodoc for its public names.

    A name whose object is documented under another public name (a
    re-export) gets a short entry that links there, so every public name is
    in the index and every object is described once.
    """

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        modname = self.arguments[0]
        module = importlib.import_module(modname)
        own: list[str] = []
        data: list[str] = []
        aliases: list[str] = []
        for name in public_names(modname):
            obj = getattr(module, name)
            if is_foreign(obj):
                continue
            home = home_of(obj)
            if home is None or home == f"{modname}.{name}":
                if isinstance(obj, (type, types.FunctionType)):
                    own.append(name)
                else:
                    data += _data_entry(module, name, obj)
                continue
            if isinstance(obj, type):
                kind, role = "class", "class"
            elif isinstance(obj, types.FunctionType):
                kind, role = "function", "func"
            else:
                kind, role = "data", "data"
            aliases += [
                f".. py:{kind}:: {name}",
                "   :no-contents-entry:",
                "",
                f"   The same object as :{role}:`{home}`.",
                "",
            ]
        # The pages are MyST Markdown, and autodoc writes reStructuredText:
        # hand it over in an eval-rst block, as MyST's own docs advise.
        lines = ["```{eval-rst}", f".. automodule:: {modname}"]
        if own:
            lines.append(f"   :members: {', '.join(own)}")
            # The listed names are the public API even where they are
            # re-exported from the module that defines them.
            lines.append("   :imported-members:")
            # Public without a docstring is still public: it gets an entry.
            lines.append("   :undoc-members:")
        lines += ["", f".. py:currentmodule:: {modname}", "", *data, *aliases, "```"]
        source = self.get_source_info()[0]
        content = StringList(lines, source=source)
        container = nodes.container()
        self.state.nested_parse(content, self.content_offset, container)
        return container.children


_by_identity: dict[int, str] = {}


def _documented(env: BuildEnvironment) -> dict[int, str]:
    """Map ``id(object)`` to the first public name it is documented under."""
    if _by_identity:
        return _by_identity
    objects = env.get_domain("py").objects  # type: ignore[attr-defined]
    for fullname, entry in sorted(objects.items()):
        if entry.aliased:
            continue
        obj = _import(fullname)
        if obj is not None:
            # A part's own page is where an object lives; flask re-exports it.
            key = id(obj)
            if key not in _by_identity or fullname.startswith("kolben."):
                _by_identity[key] = fullname
    return _by_identity


def _import(dotted: str) -> object | None:
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return None
        return obj
    return None


def _lookup(target: str, node: nodes.Element) -> tuple[object, str] | None:
    """Find what an unresolved name means in the code being documented.

    Looks in the documented class the reference was written in (and the
    classes it inherits from), then in the modules of the same package.
    Returns the object that owns the name and the rest of the dotted name
    relative to it, or ``None``.
    """
    modname = node.get("py:module") or ""
    clsname = node.get("py:class")
    head, _, rest = target.partition(".")
    if clsname and modname:
        cls = _import(f"{modname}.{clsname}")
        if isinstance(cls, type):
            for base in cls.__mro__:
                if head in vars(base):
                    return base, target
    parts = modname.split(".")
    package = "flask" if parts[0] == "flask" else ".".join(parts[:2])
    if not package:
        return None
    for name, module in list(sys.modules.items()):
        if name == package or name.startswith(package + "."):
            if hasattr(module, head):
                return getattr(module, head), rest
    return None


def resolve_by_identity(
    app: Sphinx, env: BuildEnvironment, node: nodes.Element, contnode: nodes.Element
) -> nodes.Element | None:
    """Resolve a Python reference that Sphinx could not.

    - A name that is documented under another public name (autodoc writes
      annotations with the defining module, ``kolben.sessions.sessions.X``)
      links to that public name.
    - A method a class inherits (``after_request`` in ``Blueprint``) links to
      where the defining class is documented.
    - Names that exist in the code but are deliberately not documented
      (private helpers, TypeVars and type aliases, module constants) are shown
      as code without a link.

    Anything else stays a broken reference, which ``-n -W`` turns into an
    error.
    """
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"]
    domain = env.get_domain("py")

    def link(fullname: str) -> nodes.Element | None:
        return domain.resolve_xref(
            env, node["refdoc"], app.builder, node["reftype"], fullname, node, contnode
        )

    if target.startswith(("kolben.", "flask.")):
        obj = _import(target)
        if obj is None:
            return None
        if not isinstance(obj, (type, types.FunctionType, types.ModuleType)):
            return contnode
        documented = _documented(env).get(id(obj))
        if documented is not None and documented != target:
            return link(documented)
        if any(part.startswith("_") for part in target.split(".")):
            return contnode
        if isinstance(obj, types.ModuleType):
            return contnode
        return None
    found = _lookup(target, node)
    if found is None:
        return None
    owner, rest = found
    documented = _documented(env).get(id(owner))
    if documented is not None:
        resolved = link(f"{documented}.{rest}" if rest else documented)
        if resolved is not None:
            return resolved
    return contnode


def setup(app: Sphinx) -> dict[str, t.Any]:
    app.add_directive("kolben-module", KolbenModule)
    app.connect("missing-reference", resolve_by_identity)
    app.connect("env-before-read-docs", lambda *args: _by_identity.clear())
    return {"parallel_read_safe": True, "parallel_write_safe": True}
