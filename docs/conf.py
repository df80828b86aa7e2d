"""Sphinx configuration for the Kolben documentation (MyST Markdown, furo).

Build with ``hatch run docs`` (HTML into ``docs/_build/html``, warnings and
broken references are errors) and run the examples with ``hatch run docs-test``.
The build never touches the network: there is no intersphinx; names of the
Pallets libraries and the standard library that our signatures mention are
listed in ``nitpick_ignore_regex`` below instead of being linked.
"""

from __future__ import annotations

import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

project = "Kolben"
author = "the Kolben contributors"
copyright = "the Kolben contributors"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "kolben_api",
]

source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "README.md", "examples", "design"]
root_doc = "index"

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = "Kolben"
html_static_path: list[str] = []

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"show-inheritance": True}

nitpicky = True
#: Names outside Kolben that signatures and docstrings mention. They are not
#: linked (no intersphinx: the build is offline), and Sphinx must not call
#: them broken references.
nitpick_ignore_regex = [
    (
        r"py:.*",
        r"(werkzeug|jinja2|markupsafe|itsdangerous|click|blinker|redis|asgiref"
        r"|uvicorn|websockets|wsproto|h11|anyio|starlette|gunicorn|pytest)(\..*)?",
    ),
    (r"py:.*", r"(t|te|cabc|typing|typing_extensions|collections|abc)\..*"),
    (r"py:.*", r"(http|os|sys|io|logging|datetime|json|pathlib|types)(\..*)?"),
    (r"py:.*", r"(asyncio|contextvars|sqlite3|ssl|socket|uuid|enum)(\..*)?"),
    (
        r"py:.*",
        r"(None|Ellipsis|NotImplemented|bool|int|float|str|bytes|bytearray|dict|list"
        r"|tuple|set|frozenset|object|type|Exception|BaseException|KeyError"
        r"|ValueError|TypeError|RuntimeError|LookupError|callable|dir|open|getattr)",
    ),
    # Names our modules import only for type checking (werkzeug's and
    # jinja2's, and the type variables of generic containers).
    (
        r"py:.*",
        r"(Request|Response|WSGIEnvironment|WSGIApplication|StartResponse|Map|BuildError"
        r"|MapAdapter|Rule|BaseLoader|Environment|Template|TemplateNameOrList"
        r"|Context|TestResponse|RequestEntityTooLarge|parse_form_data|timedelta|datetime|K|V|T|_ExcInfo|list\..*|dict\..*)",
    ),
    # The docstrings dict and MutableMapping lend to session classes.
    (r"py:.*", r".*\s.*"),
]

#: A short name in a signature (``Request``) that several module paths
#: export — ``flask.Request`` and ``flask.wrappers.Request`` are one object —
#: is "ambiguous" to Sphinx, which links the first. Broken references are
#: still errors.
suppress_warnings = ["ref.python"]

doctest_global_setup = ""


def _link_readmes_to_the_site(app, relative_path, parent_docname, content):  # type: ignore[no-untyped-def]
    """Point a package README's link to the repository README at this site.

    The part pages include each package's README; on GitHub its link to
    ``../../README.md`` is right, here the site's index takes that place.
    """
    content[0] = content[0].replace("](../../README.md)", "](/index.md)")


#: A part page that is written by hand lives in docs/parts/; a distribution
#: that has none yet gets a generated one with the same sections, so that a
#: new distribution is on the site (and in objects.inv) from its first build.
GENERATED = HERE / "parts" / "generated"

GENERATED_PAGE = """\
# {dist}

```{{include}} ../../../packages/{dist}/README.md
:start-line: 1
```

## Configuration

See the README above; this page is generated until `docs/parts/{dist}.md`
is written (see the contributing page).
{protocols}
## API

```{{kolben-module}} kolben.{part}
```

## Changelog

```{{include}} ../../../packages/{dist}/CHANGES.md
:heading-offset: 1
```
"""

PROTOCOLS_SECTION = """
## Protocols

```{{kolben-module}} kolben.{part}.protocols
```
"""


def _generate_missing_part_pages() -> None:
    GENERATED.mkdir(exist_ok=True)
    wanted = {}
    for init in sorted(HERE.parent.glob("packages/kolben-*/src/kolben/*/__init__.py")):
        dist = init.parents[3].name
        part = init.parent.name
        if (HERE / "parts" / f"{dist}.md").exists():
            continue
        protocols = (init.parent / "protocols.py").exists()
        wanted[f"{dist}.md"] = GENERATED_PAGE.format(
            dist=dist,
            part=part,
            protocols=PROTOCOLS_SECTION.format(part=part) if protocols else "",
        )
    for old in GENERATED.glob("*.md"):
        if old.name not in wanted:
            old.unlink()
    for name, text in wanted.items():
        page = GENERATED / name
        # Rewriting an unchanged page would make Sphinx read it again.
        if not page.exists() or page.read_text() != text:
            page.write_text(text)


_generate_missing_part_pages()


def setup(app):  # type: ignore[no-untyped-def]
    app.connect("include-read", _link_readmes_to_the_site)
