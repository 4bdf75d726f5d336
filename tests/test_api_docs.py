"""docs/api.md is a session the tests run: each ```pycon block in turn, in one namespace, as
a notebook would, from the project's folder; every output shown is checked."""

from __future__ import annotations

import doctest
import re

import pytest

from tests.conftest import ROOT

API_DOC = ROOT / "docs" / "api.md"
BLOCK = re.compile(r"^```pycon\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def test_the_api_guide_runs_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    text = API_DOC.read_text(encoding="utf-8")
    blocks = [
        (text.count("\n", 0, match.start(1)), match.group(1)) for match in BLOCK.finditer(text)
    ]
    assert len(blocks) >= 8, "docs/api.md has lost its session"
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    namespace: dict[str, object] = {}
    examples = 0
    for line, source in blocks:
        test = parser.get_doctest(source, namespace, f"docs/api.md:{line + 1}", str(API_DOC), line)
        examples += len(test.examples)
        runner.run(test, clear_globs=False)
        namespace = test.globs  # a DocTest runs in a copy: the next block goes on from it
    assert examples >= 40
    summary = runner.summarize(verbose=False)
    assert summary.failed == 0, (
        "docs/api.md: an example's output is not what it shows (see the report above)"
    )


def test_the_readme_links_the_api_guide() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/api.md)" in readme
