"""``tools/conformance.py`` reads pytest's JUnit reports the way pytest names tests.

The comparison between our run and upstream's is only as good as the test
ids, so a real pytest run on a small suite produces the report read here.
"""

from __future__ import annotations

import importlib
import pathlib
import subprocess
import sys
import textwrap
import types

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent

SUITE = {
    "test_plain.py": """
        import pytest

        def test_passes():
            pass

        def test_fails():
            assert False

        @pytest.mark.skip(reason="shows up as skipped")
        def test_skipped():
            pass

        @pytest.mark.parametrize("value", [1, "a b"])
        def test_param(value):
            pass

        @pytest.fixture
        def broken():
            yield
            raise RuntimeError("teardown")

        def test_teardown_error(broken):
            pass

        class TestGroup:
            def test_method(self):
                pass
    """,
    "test_broken.py": "import not_a_module_anywhere\n",
}


@pytest.fixture
def conformance(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """The ``tools/conformance.py`` module."""
    monkeypatch.syspath_prepend(str(ROOT / "tools"))
    return importlib.import_module("conformance")


def test_junit_outcomes_use_pytest_node_ids(
    conformance: types.ModuleType, tmp_path: pathlib.Path
) -> None:
    tests = tmp_path / "tests"
    tests.mkdir()
    for name, source in SUITE.items():
        (tests / name).write_text(textwrap.dedent(source))
    report = tmp_path / "report.xml"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-o",
            "junit_family=xunit1",
            f"--junitxml={report}",
            "--continue-on-collection-errors",
            "tests",
        ],
        cwd=tmp_path,
        capture_output=True,
        check=False,
        timeout=120,
    )
    outcomes = conformance.read_junit(report)
    assert {k: v for k, v in outcomes.items() if "test_plain" in k} == {
        "tests/test_plain.py::test_passes": "passed",
        "tests/test_plain.py::test_fails": "failed",
        "tests/test_plain.py::test_skipped": "skipped",
        "tests/test_plain.py::test_param[1]": "passed",
        "tests/test_plain.py::test_param[a b]": "passed",
        # The call passed but teardown failed: the test did not pass.
        "tests/test_plain.py::test_teardown_error": "failed",
        "tests/test_plain.py::TestGroup::test_method": "passed",
    }
    # A module that cannot be collected is a failure, not silence.
    assert [v for k, v in outcomes.items() if "test_broken" in k] == ["failed"]


def test_missing_report_means_no_outcomes(
    conformance: types.ModuleType, tmp_path: pathlib.Path
) -> None:
    assert conformance.read_junit(tmp_path / "absent.xml") == {}
    (tmp_path / "cut.xml").write_text("<testsuites><testsuite>")
    assert conformance.read_junit(tmp_path / "cut.xml") == {}


def test_tests_never_reported_count_as_failed(conformance: types.ModuleType) -> None:
    ours = conformance.RunResult(
        "ours",
        1,
        {"t::a": "passed", "t::b": "failed", "t::c": "skipped"},
        1.0,
        pathlib.Path("ours.log"),
    )
    assert conformance.figures(ours) == "1 passed, 1 failed, 1 skipped"
    expected = ["t::a", "t::b", "t::c", "t::d", "t::e"]
    assert conformance.figures(ours, expected) == "1 passed, 3 failed, 1 skipped"


def test_html_simple_index_pages_are_understood(conformance: types.ModuleType) -> None:
    # Mirrors and proxies often serve only PEP 503 HTML, never PEP 691 JSON.
    page = textwrap.dedent(
        """\
        <!DOCTYPE html><html><body><h1>Links for Flask</h1>
        <a href="https://files.example/pk/flask-3.1.3-py3-none-any.whl#sha256=aa">w</a>
        <a href="../../packages/flask-3.1.3.tar.gz#sha256=bb">flask-3.1.3.tar.gz</a>
        </body></html>
        """
    )
    collector = conformance._LinkCollector("https://index.example/simple/flask/")
    collector.feed(page)
    assert collector.files[1] == {
        "filename": "flask-3.1.3.tar.gz",
        "url": "https://index.example/packages/flask-3.1.3.tar.gz",
        "hashes": {"sha256": "bb"},
    }
