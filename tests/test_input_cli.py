"""Bad input at the command line: batches keep going, and internal errors say they are bugs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, Run
from tests.helpers import unstaged_criteria
from tests.test_input_corpus import CORPUS, EXPECTED

RunCli = Callable[..., Run]


def test_a_folder_of_good_and_bad_files_scores_the_good_and_lists_the_bad(
    run_cli: RunCli, tmp_path: Path
) -> None:
    for sample in (ROOT / "proposals").glob("*.yaml"):
        shutil.copy(sample, tmp_path)
    shutil.copytree(ROOT / "proposals" / "turkiye", tmp_path / "turkiye")  # two envelopes
    bad = sorted((CORPUS / "proposals").iterdir())
    for path in bad:
        shutil.copy(path, tmp_path)
    result = run_cli("compare", str(tmp_path))  # the default criteria: a tender in stages
    assert result.code == 1
    # The good ones come out exactly as they do on their own; the output says, next to
    # the recommendation, which files are not in the ranking because they could not be
    # read, and the one that was read but cannot be evaluated (a currency with no rate)
    # fails the first stage, "not evaluated", with its error.
    alone = " ".join(run_cli("compare", "proposals").out.split())
    out = " ".join(result.out.split())
    told = re.search(
        r" Caveat: Not in this ranking: (.*?) could not be evaluated \(the "
        r"errors say why\)\.",
        out,
    )
    assert told is not None, result.out
    stopped = re.search(
        r" currency-without-rate fails: not evaluated: (.*?) \(it has EUR, MYR, USD\)\.", out
    )
    assert stopped is not None, result.out
    assert stopped.group(1).replace(" ", "") == (
        f"{tmp_path}/currency-without-rate.yaml:5:13:noexchangerateforCHFincriteria/default.yaml"
    )
    # then not considered at every later stage (icp, financial), its financial envelope
    # never opened
    assert out.count("turkiye, currency-without-rate.") == 3
    good = out.replace(told.group(0), "").replace(stopped.group(0), "")
    assert good.replace("turkiye, currency-without-rate.", "turkiye.") == alone
    # A long name may wrap at a hyphen: compare without spaces.
    named = told.group(1).replace(" ", "")
    unread = [path for path in bad if path.name != "currency-without-rate.yaml"]
    for path in sorted(unread, key=lambda p: -len(p.name)):  # "a b.yaml" before "b.yaml"
        name = f"{tmp_path}/{path.name}".replace(" ", "")
        assert name in named, path
        named = named.replace(name, "")
    assert named.replace(",", "").replace("and", "") == ""
    # Every bad file, each with its own errors: read errors in file order, then those
    # that only scoring finds (a currency with no rate).
    expected = [
        line.replace("tests/corpus/proposals/", f"{tmp_path}/")
        for path in bad
        for line in EXPECTED[f"proposals/{path.name}"]
    ]
    assert sorted(result.err.splitlines()) == sorted(expected)
    assert len(result.err.splitlines()) == len(expected) >= len(bad)


def test_the_json_of_a_batch_lists_the_errors_and_the_results(
    run_cli: RunCli, tmp_path: Path
) -> None:
    import json

    shutil.copy(ROOT / "proposals" / "italy.yaml", tmp_path)
    shutil.copy(CORPUS / "proposals" / "syntax-tab-indent.yaml", tmp_path)
    shutil.copy(CORPUS / "proposals" / "doc-empty.yaml", tmp_path)
    result = run_cli("compare", str(tmp_path), "-f", "json")
    assert result.code == 1
    report = json.loads(result.out)
    assert [r["id"] for r in report["results"]] == ["italy"]
    assert report["errors"] == [
        {
            "file": f"{tmp_path}/doc-empty.yaml",
            "line": None,
            "column": None,
            "message": "the file is empty",
        },
        {
            "file": f"{tmp_path}/syntax-tab-indent.yaml",
            "line": 6,
            "column": 1,
            "message": "a tab character: YAML indents with spaces only",
        },
    ]


def test_validate_names_each_good_file_and_each_bad_one(run_cli: RunCli, tmp_path: Path) -> None:
    shutil.copy(ROOT / "proposals" / "italy.yaml", tmp_path)
    shutil.copy(CORPUS / "proposals" / "type-boolean-yes.yaml", tmp_path)
    result = run_cli("validate", str(tmp_path))
    assert result.code == 1
    assert result.out == f"ok {tmp_path}/italy.yaml\n"
    assert result.err == (
        f"{tmp_path}/type-boolean-yes.yaml:5:19: expected true or false, "
        "got the text 'yes' (write true or false: yes is read as text)\n"
    )


def test_a_bad_criteria_file_stops_everything_before_scoring(run_cli: RunCli) -> None:
    result = run_cli(
        "compare",
        "proposals",
        "--criteria",
        "tests/corpus/criteria/levels-missing-value.yaml",
        "-f",
        "json",
    )
    assert (result.code, result.out) == (1, "")
    assert result.err.splitlines() == EXPECTED["criteria/levels-missing-value.yaml"]


def test_an_unreadable_folder_is_an_error_not_a_crash(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "scandir", refuse)  # as root, chmod cannot refuse us
    result = run_cli("compare", str(tmp_path))
    assert (result.code, result.out) == (1, "")
    assert result.err == f"{tmp_path}: cannot list the folder: Permission denied\n"


# --- internal errors -------------------------------------------------------------------------

BUG = (
    "evaluator: internal error (RuntimeError: boom). This is a bug: please report it with "
    "the command and the output of --debug (evaluator --debug COMMAND ...).\n"
)


def boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("boom")


def test_an_internal_error_is_one_line_that_says_it_is_a_bug(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import evaluator.api

    # `compare` on the default criteria (a tender in stages) goes through compare_stages
    monkeypatch.setattr(evaluator.api, "compare_stages", boom)
    result = run_cli("compare")
    assert (result.code, result.out, result.err) == (3, "", BUG)


def test_debug_shows_the_traceback_of_an_internal_error() -> None:
    script = (
        "import sys, evaluator.api\n"
        "def boom(*a, **k): raise RuntimeError('boom')\n"
        "evaluator.api.compare_stages = boom\n"  # `compare` on the staged default criteria
        "from evaluator.cli.app import main\n"
        "main(sys.argv[1:])\n"
    )
    for args, shows_traceback in ((["--debug", "compare"], True), (["compare"], False)):
        done = subprocess.run(
            [sys.executable, "-c", script, *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert done.stdout == ""
        if shows_traceback:
            assert done.returncode == 1
            assert done.stderr.startswith("Traceback (most recent call last):\n")
            assert done.stderr.endswith("RuntimeError: boom\n")
        else:
            assert (done.returncode, done.stderr) == (3, BUG)


def test_bad_input_never_shows_a_traceback() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "evaluator",
            "validate",
            "tests/corpus/proposals",
            "--criteria",
            "tests/corpus/criteria/tag-python.yaml",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == EXPECTED["criteria/tag-python.yaml"]


def test_a_link_to_nowhere_in_a_folder_is_reported_not_skipped(
    run_cli: RunCli, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    shutil.copy(ROOT / "proposals" / "italy.yaml", tmp_path)
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "moved-away.yaml")
    (tmp_path / "notes.txt").write_text("not a proposal")
    result = run_cli("compare", str(tmp_path), "-f", "csv")
    assert result.code == 1
    assert result.err == f"{tmp_path}/gone.yaml: no such file\n"
    # One weighted evaluation (criteria without stages) lists it as a row of its CSV.
    unstaged = str(unstaged_criteria(tmp_path_factory.mktemp("criteria")))
    result = run_cli("compare", str(tmp_path), "-f", "csv", "--criteria", unstaged)
    assert result.code == 1
    assert result.err == f"{tmp_path}/gone.yaml: no such file\n"
    rows = [row.split(",") for row in result.out.splitlines()[1:]]
    assert [(row[1], row[-3]) for row in rows] == [("italy", "ranked"), ("", "not evaluated")]
    assert rows[1][-4] == f"{tmp_path}/gone.yaml"


def test_a_loop_of_links_is_an_error_not_a_crash(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    loop = "cannot read: Too many levels of symbolic links"
    result = run_cli("validate", str(tmp_path / "a.yaml"))
    assert (result.code, result.err) == (1, f"{tmp_path}/a.yaml: {loop}\n")
    result = run_cli("compare", str(tmp_path), "-f", "csv")
    assert (result.code, result.err) == (
        1,
        f"{tmp_path}/a.yaml: {loop}\n{tmp_path}/b.yaml: {loop}\n",
    )


def test_a_file_name_too_long_is_an_error_not_a_crash(run_cli: RunCli) -> None:
    long = "a" * 5000
    for command in (
        ["compare", long],
        ["validate", long],
        ["score", long],
        ["compare", "--criteria", long],
    ):
        result = run_cli(*command)
        assert result.code == 1
        assert result.err.splitlines()[0] == f"{long}: cannot read: File name too long"


_BAD_WEIGHT = "expected NAME=PERCENT (a criterion id and a percentage from 0 to 100), got "


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ("pricing=1e308,technology_transfer=1e308", _BAD_WEIGHT + "'pricing=1e308'"),
        ("pricing=inf", _BAD_WEIGHT + "'pricing=inf'"),
        ("pricing=nan", _BAD_WEIGHT + "'pricing=nan'"),
        ("pricing=\uff11\uff10", _BAD_WEIGHT + "'pricing=\uff11\uff10'"),
        ("pricing=5,pricing=6", "`pricing` is given twice"),
    ],
)
def test_what_if_weights_are_numbers_as_in_the_files(
    run_cli: RunCli, weights: str, message: str
) -> None:
    result = run_cli("compare", "--weights", weights)
    assert (result.code, result.out, result.err) == (2, "", f"--weights: {message}\n")


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        # A fraction of 1 where a percentage is meant: the other scale, refused.
        (
            "pricing=0.36",
            "'pricing=0.36' reads like a fraction of 1, but weights are percentages "
            "of the total: for 36% write pricing=36 (or pricing=0.36% if you mean "
            "0.36%)",
        ),
        (
            "pricing=0.4,technology_transfer=30",
            "'pricing=0.4' reads like a fraction of 1, but "
            "weights are percentages of the total: for 40% "
            "write pricing=40 (or pricing=0.4% if you mean "
            "0.4%)",
        ),
        (
            "pricing=1",
            "'pricing=1' reads like a fraction of 1, but weights are percentages of the "
            "total: for 100% write pricing=100 (or pricing=1% if you mean 1%)",
        ),
        ("pricing=120", "'pricing=120': a weight is a percentage of the total, from 0 to 100"),
        ("pricing=-5", "'pricing=-5': a weight is a percentage of the total, from 0 to 100"),
        # Too small to tell from 0: the files refuse it, and so does the option.
        ("pricing=1e-400", _BAD_WEIGHT + "'pricing=1e-400'"),
        # Escape codes in a name are shown, never sent to the terminal.
        ("\x1b]0;x\x07\x1b[2Jp=1", _BAD_WEIGHT + "'\\x1b]0;x\\x07\\x1b[2Jp=1'"),
        (
            "pricing=60,technology_transfer=50",
            "the weights given add up to 110%, more than the whole (100%)",
        ),
    ],
)
def test_what_if_weights_on_another_scale_are_refused(
    run_cli: RunCli, weights: str, message: str
) -> None:
    result = run_cli("compare", "--weights", weights)
    assert (result.code, result.out, result.err) == (2, "", f"--weights: {message}\n")


def test_a_what_if_weight_may_carry_a_percent_sign(run_cli: RunCli) -> None:
    assert (
        run_cli("compare", "-f", "json", "--weights", "pricing=36%").out
        == run_cli("compare", "-f", "json", "--weights", "pricing=36").out
    )
    small = json.loads(run_cli("compare", "-f", "json", "--weights", "pricing=0.5%").out)
    assert small["weights"]["pricing"] == pytest.approx(0.005)


def test_what_if_weights_may_use_underscores_and_spaces(run_cli: RunCli) -> None:
    assert (
        run_cli("compare", "-f", "json", "--weights", "pricing = 1_0").out
        == run_cli("compare", "-f", "json", "--weights", "pricing=10").out
    )
