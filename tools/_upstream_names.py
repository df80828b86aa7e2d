"""Every module-level name upstream Flask's modules bind, for the conformance
tool's API comparison (issue 24).

The names are read from the Flask sdist by parsing each module of its
``src/flask/`` into an AST in memory and listing what its top level binds:
imports (the re-exports extensions rely on, like ``flask.cli.click``),
functions, classes and assignments. Only names are kept; no code is copied,
and nothing from the sdist is written to disk.

Names missing from ours are grouped as public, private (``_name``) and
re-exported (bound by importing from outside Flask). A name may be left out
on purpose when it only makes sense inside upstream's implementation and no
popular extension uses it: ``conformance_omissions.json`` lists each such
name with its reason.
"""

from __future__ import annotations

import ast
import json
import pathlib
import tarfile
import typing as t

#: The committed deliberate omissions: ``{module: {name: reason}}``.
OMISSIONS_FILE = pathlib.Path(__file__).with_name("conformance_omissions.json")

#: The groups a missing name is reported in.
GROUPS = ("public", "private", "re-exported")


def _is_type_checking(test: ast.expr) -> bool:
    # ``if TYPE_CHECKING:`` / ``if t.TYPE_CHECKING:`` binds nothing at run time.
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _target_names(target: ast.expr) -> t.Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _target_names(element)


def _bindings(body: list[ast.stmt], module: str) -> t.Iterator[tuple[str, bool]]:
    """Yield ``(name, imported_from_outside_flask)`` for each top-level binding."""
    for node in body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.partition(".")[0]
                yield bound, not alias.name.startswith("flask")
        elif isinstance(node, ast.ImportFrom):
            if node.module == "__future__":
                continue
            outside = node.level == 0 and not (node.module or "").startswith("flask")
            for alias in node.names:
                if alias.name != "*":
                    yield alias.asname or alias.name, outside
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name, False
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                for name in _target_names(target):
                    yield name, False
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            # A bare annotation (``x: int``) binds nothing.
            if isinstance(node, ast.AugAssign) or node.value is not None:
                yield from ((n, False) for n in _target_names(node.target))
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _bindings(node.body, module)
                yield from _bindings(node.orelse, module)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                yield from _bindings(block, module)
            for handler in node.handlers:
                yield from _bindings(handler.body, module)


def module_names(source: str, module: str) -> dict[str, str]:
    """Return ``{name: group}`` for every name ``source`` binds at its top level.

    :param source: the text of a Python module.
    :param module: its dotted name (for messages only).
    """
    tree = ast.parse(source, filename=module)
    names: dict[str, str] = {}
    for name, outside in _bindings(tree.body, module):
        if outside:
            group = "re-exported"
        else:
            group = "private" if name.startswith("_") else "public"
        # The first binding decides; a later redefinition keeps the name.
        names.setdefault(name, group)
    return names


def _module_path(member: str, prefix: str) -> str | None:
    if not member.startswith(prefix) or not member.endswith(".py"):
        return None
    parts = member.removeprefix(prefix).removesuffix(".py").split("/")
    if parts[-1] == "__main__":
        return None
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(["flask", *parts])


def sdist_names(sdist: pathlib.Path, version: str) -> dict[str, dict[str, str]]:
    """Return ``{module: {name: group}}`` for every module of Flask's sdist
    (``flask.sansio.*`` included, ``flask.__main__`` left out: importing it
    runs the command line).
    """
    prefix = f"flask-{version}/src/flask/"
    result: dict[str, dict[str, str]] = {}
    with tarfile.open(sdist) as tar:
        for member in tar.getmembers():
            module = _module_path(member.name, prefix)
            if module is None or not member.isfile():
                continue
            handle = tar.extractfile(member)
            if handle is None:  # pragma: no cover - a regular file always has one
                continue
            result[module] = module_names(handle.read().decode("utf-8"), module)
    return dict(sorted(result.items()))


def load_omissions(path: pathlib.Path = OMISSIONS_FILE) -> dict[str, dict[str, str]]:
    """Return the deliberate omissions, checking every one has a reason."""
    data: dict[str, dict[str, str]] = json.loads(path.read_text())
    for module, names in data.items():
        for name, reason in names.items():
            if not isinstance(reason, str) or not reason.strip():
                raise ValueError(f"{module}.{name}: an omission needs a reason")
    return data


def unexplained(
    missing: dict[str, list[str]], omissions: dict[str, dict[str, str]]
) -> dict[str, list[str]]:
    """Return the missing names that no omission explains, by module."""
    result = {}
    for module, names in missing.items():
        left = [name for name in names if name not in omissions.get(module, {})]
        if left:
            result[module] = left
    return result


def grouped(
    missing: dict[str, list[str]], upstream: dict[str, dict[str, str]]
) -> dict[str, list[str]]:
    """Return ``{group: ["module.name", ...]}`` for the missing names."""
    groups: dict[str, list[str]] = {group: [] for group in GROUPS}
    for module, names in sorted(missing.items()):
        for name in names:
            group = upstream.get(module, {}).get(name, "public")
            groups[group].append(f"{module}.{name}")
    return groups
