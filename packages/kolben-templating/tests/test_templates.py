"""The standalone Templates renderer."""

from __future__ import annotations

import pathlib
import typing as t

import jinja2
import pytest
from markupsafe import Markup

from kolben.templating import before_render_template
from kolben.templating import template_rendered
from kolben.templating import Templates


@pytest.fixture
def folders(tmp_path: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path]:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, pages in (
        (first, {"page.html": "{{ text }}|{{ site }}", "mail.txt": "{{ text }}"}),
        (second, {"page.html": "second", "only.svg": "<svg>{{ text }}</svg>"}),
    ):
        folder.mkdir()
        for name, source in pages.items():
            (folder / name).write_text(source)
    return first, second


def test_render_escapes_like_flask(folders: t.Any) -> None:
    templates = Templates(*folders)
    assert templates.render("page.html", text="<x>", site="s") == "&lt;x&gt;|s"
    assert templates.render("mail.txt", text="<x>") == "<x>"
    assert templates.render("only.svg", text="<x>") == "<svg>&lt;x&gt;</svg>"
    assert templates.render_string("{{ t }}", t="<x>") == "&lt;x&gt;"
    assert templates.render_string("{{ t }}", t=Markup("<x>")) == "<x>"


def test_folders_are_searched_in_order(folders: t.Any) -> None:
    first, second = folders
    assert Templates(first, second).render("page.html", text=1, site=2) == "1|2"
    assert Templates(second, first).render("page.html") == "second"
    assert Templates(first, second).env.list_templates() == [
        "mail.txt",
        "only.svg",
        "page.html",
    ]


def test_missing_template(folders: t.Any) -> None:
    with pytest.raises(jinja2.TemplateNotFound) as exc:
        Templates(*folders).render("nope.html")
    assert exc.value.name == "nope.html"
    with pytest.raises(jinja2.TemplateNotFound):
        Templates(*folders).stream("nope.html")


def test_context_processors_and_passed_values(folders: t.Any) -> None:
    templates = Templates(*folders)

    @templates.context_processor
    def defaults() -> dict[str, t.Any]:
        return {"site": "Kolben", "text": "default"}

    assert templates.context_processors == [defaults]
    assert templates.render("page.html") == "default|Kolben"
    assert templates.render("page.html", text="mine") == "mine|Kolben"


def test_streams(folders: t.Any) -> None:
    templates = Templates(*folders)
    stream = templates.stream("page.html", text="a", site="b")
    assert "".join(stream) == "a|b"
    pieces = list(
        templates.stream_string("{% for i in n %}{{ i }}{% endfor %}", n="xyz")
    )
    assert "".join(pieces) == "xyz"


def test_signals_name_the_renderer(folders: t.Any) -> None:
    templates = Templates(*folders)
    seen: list[tuple[str, str | None]] = []

    def before(sender: t.Any, template: t.Any, context: dict[str, t.Any]) -> None:
        context["site"] = "changed"
        seen.append(("before", template.name))

    def after(sender: t.Any, template: t.Any, context: dict[str, t.Any]) -> None:
        seen.append(("after", template.name))

    with before_render_template.connected_to(before, templates):
        with template_rendered.connected_to(after, templates):
            assert templates.render("page.html", text="t") == "t|changed"
            assert "".join(templates.stream("page.html", text="s")) == "s|changed"
            templates.render_string("x")
    assert seen == [
        ("before", "page.html"),
        ("after", "page.html"),
        ("before", "page.html"),
        ("after", "page.html"),
        ("before", None),
        ("after", None),
    ]


def test_custom_loader_and_options() -> None:
    templates = Templates(
        loader=jinja2.DictLoader({"a.txt": "{{ x }}\n"}),
        keep_trailing_newline=True,
        autoescape=True,
    )
    assert templates.render("a.txt", x="<") == "&lt;\n"
