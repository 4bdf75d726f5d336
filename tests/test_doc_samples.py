"""The docs' sample outputs are the tool's own (tests/doc_samples.py; `make docs` remakes
them): a change of output that the docs do not follow fails here, with the difference."""

from __future__ import annotations

import pytest

from tests.doc_samples import Sample, documents, samples

SAMPLES = [sample for document in documents() for sample in samples(document)]


def test_the_docs_have_samples() -> None:
    # The main outputs are quoted from the tool: the README's demo, the user guide's.
    assert len(SAMPLES) >= 10
    files = {sample.file.name for sample in SAMPLES}
    assert {"README.md", "user-guide.md", "cli.md", "sensitivity.md"} <= files


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: f"{s.file.name}:{s.spec}")
def test_each_sample_is_what_the_tool_prints(sample: Sample) -> None:
    from tests.doc_samples import difference

    diff = difference(sample)
    assert not diff, f"out of date (make docs rewrites it):\n{diff}"
