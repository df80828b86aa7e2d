"""Every piece of Python the documentation shows is run somewhere.

Pages hold Python in three checked forms: ``{doctest}`` blocks (run by
``hatch run docs-test``), ``{literalinclude}`` of files under
``docs/examples`` (whose tests run in ``hatch test``), and the packages'
READMEs included by the part pages (run by each package's
``tests/test_readme.py`` with only that package installed). Anything else
must be marked ``:class: not-run``. This test enforces that.
"""

from __future__ import annotations

import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

#: Folders under docs/ that are not pages of the site (see docs/conf.py).
NOT_PAGES = {"_build", "examples", "design", "_ext"}

#: An opening fence and its info string: ```python, ```{code-block} python, ...
FENCE = re.compile(r"^(`{3,}|~{3,})\s*(\S*)\s*(.*)$")


def pages() -> list[pathlib.Path]:
    return sorted(
        page
        for page in DOCS.rglob("*.md")
        if not NOT_PAGES & set(page.relative_to(DOCS).parts[:-1])
        and page.relative_to(DOCS) != pathlib.Path("README.md")
    )


def unchecked_python(text: str) -> list[int]:
    """Line numbers of Python blocks that are neither run nor marked not-run."""
    found = []
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        match = FENCE.match(line)
        if match is None:
            continue
        info, argument = match.group(2), match.group(3)
        if info in ("python", "py", "pycon", "python3"):
            found.append(number)
        elif info in ("{code-block}", "{code}", "{sourcecode}") and argument in (
            "python",
            "py",
            "pycon",
        ):
            options = []
            for option in lines[number:]:
                if not option.startswith(":"):
                    break
                options.append(option)
            if ":class: not-run" not in options:
                found.append(number)
    return found


def test_the_rule_catches_a_plain_python_fence() -> None:
    assert unchecked_python("text\n```python\nx = 1\n```\n") == [2]
    assert unchecked_python("```{code-block} python\nx = 1\n```\n") == [1]
    marked = "```{code-block} python\n:class: not-run\nx = 1\n```\n"
    assert unchecked_python(marked) == []
    assert unchecked_python("```{doctest}\n>>> 1\n1\n```\n") == []


@pytest.mark.parametrize("page", pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_python_in_pages_is_run_or_marked(page: pathlib.Path) -> None:
    assert unchecked_python(page.read_text()) == []


def test_included_readmes_are_tested_by_their_package() -> None:
    included = set()
    for page in pages():
        included.update(re.findall(r"packages/([\w-]+)/README\.md", page.read_text()))
    assert included, "the part pages include the packages' READMEs"
    for dist in included:
        assert (ROOT / "packages" / dist / "tests" / "test_readme.py").exists(), dist
