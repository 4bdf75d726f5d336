"""Issue #15, input: hostile figures, files that are not files, and messages that name the cause.

Each test failed before its fix: a crash (exit 3), a hang, a silent acceptance, or a
message that pointed at the wrong cause.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from evaluator.errors import InputError
from evaluator.io.strict_yaml import parse_document
from tests.conftest import DEFAULT_CRITERIA, PROPOSALS, ROOT, Run
from tests.helpers import criteria_from

RunCli = Callable[..., Run]
ZEROS = "0" * 4300  # int() refuses more than 4,300 digits


def evaluator(
    *args: str, cwd: Path = ROOT, timeout: float = 120, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    """`evaluator ARGS` in a subprocess, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "evaluator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        **kwargs,
    )  # type: ignore[call-overload]


# --- 12. numbers padded with thousands of zeros ---------------------------------------------


@pytest.mark.parametrize(
    ("written", "number"),
    [
        (ZEROS + "3", 3),
        ("-" + ZEROS + "5", -5),
        ("+" + ZEROS + "7", 7),
        (ZEROS + "0", 0),
        ("0_" * 3000 + "12", 12),
        (ZEROS + "2.5", 2.5),
        (ZEROS + "1e3", 1000.0),
    ],
)
def test_a_number_padded_with_zeros_is_read_as_its_value(written: str, number: float) -> None:
    assert parse_document(f"n: {written}\n", "padded.yaml").data == {"n": number}


def test_a_padded_number_too_large_is_too_large_not_a_crash() -> None:
    with pytest.raises(InputError) as caught:
        parse_document(f"n: {ZEROS}{'9' * 19}\n", "padded.yaml")
    assert str(caught.value) == (
        f"padded.yaml:1:4: the number {ZEROS[:59]}… is too large (the limit is 10^18)"
    )


def test_a_padded_quantity_in_a_batch_is_read(run_cli: RunCli, tmp_path: Path) -> None:
    padded = tmp_path / "z.yaml"
    answers = "".join(  # the default criteria's requirements, each answered
        f"  CSS-R0{n}: {{answer: compliant, reference: {{volume: 1, page: {n}}}}}\n"
        for n in range(1, 7)
    )
    padded.write_text(
        f"proposal:\n  country: X\npricing:\n  currency: EUR\n  quantity: {ZEROS}3\n"
        "compliance:\n" + answers,
        encoding="utf-8",
    )
    result = run_cli("compare", "proposals", str(padded), "-f", "csv")
    assert result.code == 0, result.err
    assert ",z," in result.out


def test_padded_criteria_weights_and_factors_are_read(run_cli: RunCli, tmp_path: Path) -> None:
    import json

    text = DEFAULT_CRITERIA.read_text(encoding="utf-8")
    # the first criterion's weight (technical, 20), followed by its comment ("# policy
    # choice"); beside the requirements file the default criteria name
    assert "\n    weight: 20 " in text and "guaranteed: 1.0," in text
    criteria = with_requirements(tmp_path) / "criteria.yaml"
    criteria.write_text(
        text.replace("\n    weight: 20 ", f"\n    weight: {ZEROS}20 ", 1).replace(
            "guaranteed: 1.0,", f"guaranteed: {ZEROS}1,", 1
        ),
        encoding="utf-8",
    )
    padded = run_cli("compare", "--criteria", str(criteria), "-f", "json")
    assert padded.code == 0, padded.err
    usual = json.loads(run_cli("compare", "-f", "json").out)
    assert json.loads(padded.out)["results"] == usual["results"]
    assert json.loads(padded.out)["stages"] == usual["stages"]
    assert [r["id"] for r in usual["results"]] == ["south-korea", "italy"]  # not vacuous


def test_a_padded_level_score_is_read() -> None:
    criteria = criteria_from(f"""\
        id: test
        currency: MYR
        criteria:
          - id: only
            weight: 1
            field: g2g.intermediaries
            rule:
              type: levels
              levels: {{none: {ZEROS}100, disclosed: 50, undisclosed: 0}}
        """)
    rule = criteria.criteria[0].leaves[0].rule
    assert rule.lookup("none") == 100  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("written", "weights"),
    [
        (f"1/{ZEROS}3", "0.25"),
        (f"{ZEROS}1/3", "0.25"),
        (f"{ZEROS}1 / {ZEROS}3", "0.25"),
        (f"0.{'3' * 5000}", "0.25"),
    ],
)
def test_padded_ahp_fractions_are_read(written: str, weights: str, tmp_path: Path) -> None:
    from evaluator.model.ahp import derive, load_judgements

    path = tmp_path / "ahp.yaml"
    path.write_text(f'criteria: [a, b]\njudgements:\n  a:\n    b: "{written}"\n', encoding="utf-8")
    result = derive(load_judgements(path))
    assert f"{result.weights['a']:.2f}" == weights


@pytest.mark.parametrize("written", [f"{'9' * 5000}/1", f"1/{'9' * 5000}"])
def test_an_ahp_fraction_of_thousands_of_digits_is_off_the_scale(
    written: str, tmp_path: Path
) -> None:
    from evaluator.model.ahp import load_judgements

    path = tmp_path / "ahp.yaml"
    path.write_text(f'criteria: [a, b]\njudgements:\n  a:\n    b: "{written}"\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_judgements(path)
    (problem,) = caught.value.problems
    assert problem.message == (
        f"{written[:59]}… is off Saaty's scale: use 1 to 9, or 1/2 to "
        "1/9 when the second criterion is the more important"
    )


@pytest.fixture(scope="module")
def padded_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 proposals, the parallel path's size, one of them padded with 4,300 zeros."""
    folder = tmp_path_factory.mktemp("padded")
    italy = (PROPOSALS / "italy.yaml").read_text(encoding="utf-8")
    for i in range(300):
        (folder / f"p{i:04d}.yaml").write_text(italy.replace("  id: italy\n", ""), encoding="utf-8")
    assert "  quantity: 3\n" in italy
    (folder / "p0150.yaml").write_text(
        italy.replace("  id: italy\n", "").replace("  quantity: 3\n", f"  quantity: {ZEROS}3\n"),
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_padded_figure_in_a_parallel_batch_is_read(padded_batch: Path, fmt: str) -> None:
    done = evaluator("compare", str(padded_batch), "-f", fmt, "--jobs", "2")
    assert (done.returncode, done.stderr) == (0, "")
    assert ('"id": "p0150"' if fmt == "json" else ",p0150,") in done.stdout


def test_a_failing_worker_says_so_in_one_line_without_a_traceback(padded_batch: Path) -> None:
    # A bug in a worker stays a bug (exit 3), but reported as every internal error is.
    script = (
        "import sys, evaluator.api\n"
        "def boom(path, max_bytes, sealed=False): raise ValueError('boom\\nsecond line')\n"
        "evaluator.api.load_or_problems = boom\n"
        "import evaluator.scoring.parallel\n"
        "evaluator.scoring.parallel.load_or_problems = boom\n"
        "from evaluator.cli.app import main\n"
        "main(sys.argv[1:])\n"
    )
    for fmt in ("json", "csv"):
        done = subprocess.run(
            [sys.executable, "-c", script, "compare", str(padded_batch), "-f", fmt, "--jobs", "2"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert done.returncode == 3, done.stderr
        assert "Traceback" not in done.stderr
        assert done.stderr.count("\n") == 1, done.stderr
        assert "boom second line" in done.stderr
        assert done.stderr.startswith("evaluator: internal error (")


# --- 14. a FIFO, a device or standard input given as an input file --------------------------

PIPE = "is a named pipe (FIFO), not a regular file; only regular files are read"


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    path = tmp_path / "p.yaml"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "{fifo}"],
        ["score", "{fifo}"],
        ["compare", "{fifo}"],
        ["compare", "--criteria", "{fifo}"],
        ["weights", "{fifo}"],
        ["criteria", "-c", "{fifo}"],
        ["validate", "proposals", "--panel", "{fifo}"],
    ],
    ids=" ".join,
)
def test_a_named_pipe_is_refused_not_waited_on(fifo: Path, command: list[str]) -> None:
    # The timeout turns a regression (a hang) into a failure.
    done = evaluator(*[part.format(fifo=fifo) for part in command], timeout=20)
    assert done.returncode == 1
    assert f"{fifo}: {PIPE}\n" in done.stderr


def test_standard_input_is_not_read_as_a_file() -> None:
    # A pipe: reading it waits for whoever writes to it, perhaps forever.
    done = evaluator("validate", "/dev/stdin", timeout=20, stdin=subprocess.PIPE)
    assert (done.returncode, done.stderr) == (1, f"/dev/stdin: {PIPE}\n")


def test_a_device_is_refused(run_cli: RunCli) -> None:
    result = run_cli("validate", os.devnull)
    assert (result.code, result.err) == (
        1,
        f"{os.devnull}: is a device, not a regular file; only regular files are read\n",
    )


AHP = "criteria: [a, b]\njudgements:\n  a: {b: 3}\n"
TWO = """\
id: t
currency: MYR
weights_from: {name}
criteria:
  - id: a
    field: pricing.unit_price
    rule: {{type: linear, best: 100, worst: 200}}
  - id: b
    field: g2g.delivery_months
    rule: {{type: linear, best: 36, worst: 72}}
"""


def weights_from(tmp_path: Path, name: str) -> list[str]:
    """The problems of a criteria file in tmp_path/c whose weights come from `name`."""
    from evaluator.api import load_criteria

    folder = tmp_path / "c"
    folder.mkdir(exist_ok=True)
    path = folder / "criteria.yaml"
    path.write_text(TWO.format(name=name), encoding="utf-8")
    try:
        load_criteria(path)
    except InputError as exc:
        return [str(p) for p in exc.problems]
    return []


def test_weights_from_beside_or_below_the_criteria_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "c" / "ahp").mkdir(parents=True)
    (tmp_path / "c" / "ahp" / "w.yaml").write_text(AHP, encoding="utf-8")
    (tmp_path / "c" / "w.yaml").write_text(AHP, encoding="utf-8")
    assert weights_from(tmp_path, "w.yaml") == []
    assert weights_from(tmp_path, "ahp/w.yaml") == []
    assert weights_from(tmp_path, "./ahp/../w.yaml") == []
    (tmp_path / "c" / "link.yaml").symlink_to(tmp_path / "c" / "ahp" / "w.yaml")
    assert weights_from(tmp_path, "link.yaml") == []


OUTSIDE = (
    "`{name}` is outside the criteria file's folder: `weights_from` names a judgements "
    "file beside the criteria file or in a folder below it"
)


@pytest.mark.parametrize(
    "name", ["/dev/stdin", "/etc/passwd", "../w.yaml", "ahp/../../w.yaml", "/proc/self/fd/0"]
)
def test_weights_from_outside_the_criteria_folder_is_refused(tmp_path: Path, name: str) -> None:
    (tmp_path / "w.yaml").write_text(AHP, encoding="utf-8")
    assert weights_from(tmp_path, name) == [
        f"{tmp_path}/c/criteria.yaml:3:15: " + OUTSIDE.format(name=name)
    ]


def test_weights_from_through_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "w.yaml").write_text(AHP, encoding="utf-8")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "w.yaml").symlink_to(tmp_path / "w.yaml")
    (tmp_path / "c" / "up").symlink_to(tmp_path)
    for name in ("w.yaml", "up/w.yaml"):
        assert weights_from(tmp_path, name) == [
            f"{tmp_path}/c/criteria.yaml:3:15: " + OUTSIDE.format(name=name)
        ]


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise TimeoutError in this process if the block takes longer: a hang fails."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_weights_from_a_named_pipe_is_refused(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    (tmp_path / "c").mkdir()
    os.mkfifo(tmp_path / "c" / "w.yaml")
    with deadline(10):
        assert weights_from(tmp_path, "w.yaml") == [
            f"{tmp_path}/c/criteria.yaml:3:15: {tmp_path}/c/w.yaml: {PIPE}"
        ]


# --- 19. silently wrong: the default criteria, empty folders, criteria that cannot work --------

NOT_JUDGEMENTS = (
    "not a judgements file: it has no `criteria:` list and `judgements:` (see docs/methods.md)"
)


@pytest.mark.parametrize(
    "text",
    [
        "secret-token: 1\nanother: 2\n",
        "root:x:0:0:secret\n",
        "- secret\n- token\n",
        "title: secret\n",
    ],
)
def test_a_file_that_is_not_a_judgements_file_is_not_quoted(tmp_path: Path, text: str) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "notes.yaml").write_text(text, encoding="utf-8")
    problems = weights_from(tmp_path, "notes.yaml")
    assert problems == [
        f"{tmp_path}/c/criteria.yaml:3:15: {tmp_path}/c/notes.yaml: " + NOT_JUDGEMENTS
    ]
    assert "secret" not in "".join(problems)


def test_weights_of_a_file_that_is_not_a_judgements_file(run_cli: RunCli) -> None:
    result = run_cli("weights", "proposals/italy.yaml")
    assert (result.code, result.out, result.err) == (
        1,
        "",
        f"proposals/italy.yaml: {NOT_JUDGEMENTS}\n",
    )


DEFAULT_HINT = (
    " (the default criteria file, read when no --criteria is given: fix it, remove "
    "it to use the installed copy, or give --criteria FILE)"
)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda path: path.symlink_to(path.parent / "moved-away.yaml"), "no such file"),
        (lambda path: path.mkdir(), "is a folder, not a file"),
    ],
    ids=["dangling link", "folder"],
)
def test_a_broken_default_criteria_file_is_an_error_not_a_fallback(
    run_cli: RunCli, tmp_path: Path, make: Callable[[Path], None], reason: str
) -> None:
    shutil.copytree(PROPOSALS, tmp_path / "proposals")
    (tmp_path / "criteria").mkdir()
    make(tmp_path / "criteria" / "default.yaml")
    for command in (
        ["compare"],
        ["criteria"],
        ["score", "proposals/italy.yaml"],
        ["validate", "proposals"],
        ["sensitivity", "--samples", "10"],
    ):
        result = run_cli(*command, cwd=tmp_path)
        assert (result.code, result.out, result.err) == (
            1,
            "",
            f"criteria/default.yaml: {reason}{DEFAULT_HINT}\n",
        ), command


def test_without_a_local_default_the_installed_criteria_are_used(
    run_cli: RunCli, tmp_path: Path
) -> None:
    shutil.copytree(PROPOSALS, tmp_path / "proposals")
    result = run_cli("compare", "-f", "csv", cwd=tmp_path)
    assert result.code == 0, result.err


NO_PROPOSALS = "no proposal files (*.yaml, *.yml) in this folder"


@pytest.mark.parametrize(
    "content", [[], ["notes.txt"], ["sub/"]], ids=["empty", "no yaml", "a sub-folder"]
)
def test_a_folder_without_proposals_is_an_error(
    run_cli: RunCli, tmp_path: Path, content: list[str]
) -> None:
    folder = tmp_path / "offers"
    folder.mkdir()
    for name in content:
        if name.endswith("/"):
            (folder / name).mkdir()
            (folder / name / "italy.yaml").write_text("proposal: {country: Italy}\n")
        else:
            (folder / name).write_text("not a proposal\n")
    for command in (
        ["compare", str(folder)],
        ["validate", str(folder)],
        ["sensitivity", str(folder), "--samples", "10"],
    ):
        result = run_cli(*command)
        assert (result.code, result.err) == (1, f"{folder}: {NO_PROPOSALS}\n"), command
    result = run_cli("compare", str(folder), "-f", "json")
    import json

    assert json.loads(result.out)["errors"] == [
        {"file": str(folder), "line": None, "column": None, "message": NO_PROPOSALS}
    ]


def test_an_empty_folder_among_others_is_listed_and_the_rest_scored(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "empty").mkdir()
    result = run_cli("compare", "proposals", str(tmp_path / "empty"), "-f", "csv")
    assert result.code == 1
    assert result.err == f"{tmp_path / 'empty'}: {NO_PROPOSALS}\n"
    assert result.out == run_cli("compare", "proposals", "-f", "csv").out


def test_an_empty_folder_in_a_parallel_batch_is_listed_alike(
    padded_batch: Path, tmp_path: Path
) -> None:
    (tmp_path / "empty").mkdir()
    serial = evaluator(
        "compare", str(padded_batch), str(tmp_path / "empty"), "-f", "json", "--jobs", "1"
    )
    parallel = evaluator(
        "compare", str(padded_batch), str(tmp_path / "empty"), "-f", "json", "--jobs", "2"
    )
    assert serial.returncode == parallel.returncode == 1
    assert serial.stderr == parallel.stderr == f"{tmp_path / 'empty'}: {NO_PROPOSALS}\n"
    assert serial.stdout == parallel.stdout


MISSPELT = """\
      - id: range
        weight: 10
        field: technical.rnage_nm
        rule: {type: linear, best: 5000, worst: 1000}
      - id: track_record
"""
MISSPELT_NOTE = (
    "no proposal gives `technical.rnage_nm` (did you mean `technical.range_nm`?): "
    "a `technical` name is not checked against a list, so a misspelling in the "
    "criteria file scores 0 (or fails its gate) for every proposal"
)


def with_requirements(folder: Path) -> Path:
    """`folder`, with a copy of the requirements file the default criteria name beside them
    (`requirements: requirements.yaml`), for an edited copy of the default criteria."""
    source = DEFAULT_CRITERIA.parent / "requirements.yaml"
    (folder / "requirements.yaml").write_text(source.read_text(encoding="utf-8"), "utf-8")
    return folder


def misspelt_criteria(tmp_path: Path) -> Path:
    """The default criteria (a tender in stages), a sub-criterion's field misspelt."""
    text = DEFAULT_CRITERIA.read_text(encoding="utf-8")
    assert "      - id: track_record\n" in text
    path = with_requirements(tmp_path) / "criteria.yaml"
    path.write_text(text.replace("      - id: track_record\n", MISSPELT, 1), encoding="utf-8")
    return path


def test_a_technical_field_no_proposal_gives_is_noted(run_cli: RunCli, tmp_path: Path) -> None:
    import json

    criteria = misspelt_criteria(tmp_path)
    result = run_cli("compare", "--criteria", str(criteria), "-f", "json")
    assert result.code == 0
    assert MISSPELT_NOTE in json.loads(result.out)["notes"]
    table = run_cli("compare", "--criteria", str(criteria))
    assert "Note: no proposal gives `technical.rnage_nm`" in table.out
    # Spelt right, nothing to say.
    right = tmp_path / "right.yaml"
    right.write_text(criteria.read_text().replace("rnage_nm", "range_nm"), encoding="utf-8")
    result = run_cli("compare", "--criteria", str(right), "-f", "json")
    assert not [n for n in json.loads(result.out)["notes"] if "technical" in n]


def test_a_gate_on_a_technical_field_no_proposal_gives_is_noted(
    run_cli: RunCli, tmp_path: Path
) -> None:
    import json

    text = DEFAULT_CRITERIA.read_text(encoding="utf-8")
    path = with_requirements(tmp_path) / "criteria.yaml"
    path.write_text(
        text.replace(
            "gates:\n",
            "gates:\n  - id: fast\n    field: technical.max_sped_kn\n    require: {min: 20}\n",
            1,
        ),
        encoding="utf-8",
    )
    result = run_cli("compare", "--criteria", str(path), "-f", "json")
    assert (
        "no proposal gives `technical.max_sped_kn` (did you mean `technical.max_speed_kn`?)"
        ": a `technical` name is not checked"
    ) in " ".join(json.loads(result.out)["notes"])


def test_the_note_is_the_same_on_the_parallel_path(padded_batch: Path, tmp_path: Path) -> None:
    criteria = misspelt_criteria(tmp_path)
    serial = evaluator(
        "compare", str(padded_batch), "-c", str(criteria), "-f", "json", "--jobs", "1"
    )
    parallel = evaluator(
        "compare", str(padded_batch), "-c", str(criteria), "-f", "json", "--jobs", "2"
    )
    assert serial.returncode == parallel.returncode == 0
    assert MISSPELT_NOTE in serial.stdout
    assert serial.stdout == parallel.stdout


# --- 20. messages that name the real cause and the fix --------------------------------------


@pytest.mark.parametrize(
    ("command", "refused"),
    [
        (["score", "proposals/italy.yaml"], "proposals/italy.yaml"),
        (["validate", "proposals/italy.yaml"], "proposals/italy.yaml"),
        (["compare", "proposals/italy.yaml"], "proposals/italy.yaml"),
        (["weights", "weights/minister-ahp.yaml"], "weights/minister-ahp.yaml"),
        (["compare", "--criteria", "criteria/default.yaml"], "criteria/default.yaml"),
        (["validate", "proposals", "--panel", "panel"], "panel/a.yaml"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else "",
)
def test_an_unreadable_file_is_an_input_error_not_a_usage_error(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, command: list[str], refused: str
) -> None:
    # As root nothing is unreadable: make it so (typer's own check asks os.access).
    real_open = os.open

    def refuse(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if os.fspath(path) == refused:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    monkeypatch.setattr(os, "open", refuse)
    result = run_cli(*command)
    assert result.code == 1, result.err
    assert f"{refused}: permission denied\n" in result.err


def test_a_folder_given_as_the_criteria_file_is_an_input_error(run_cli: RunCli) -> None:
    result = run_cli("compare", "--criteria", "proposals")
    assert (result.code, result.out, result.err) == (1, "", "proposals: is a folder, not a file\n")


def test_the_same_file_given_twice_is_read_once(run_cli: RunCli, tmp_path: Path) -> None:
    once = run_cli("compare", "proposals", "-f", "csv")
    for paths in (
        ["proposals/italy.yaml", "proposals/italy.yaml"],
        ["proposals", "proposals/italy.yaml"],
        ["proposals", "./proposals/../proposals/italy.yaml"],
        ["proposals", str(ROOT / "proposals")],
    ):
        result = run_cli("compare", *paths, "-f", "csv")
        assert (result.code, result.err) == (0, ""), paths
        if len(paths) == 2 and paths[0] == "proposals":
            assert result.out == once.out
    validated = run_cli("validate", "proposals/italy.yaml", "proposals/italy.yaml")
    assert (validated.code, validated.err) == (0, "")
    # Another file with the same id is still an error.
    shutil.copy(ROOT / "proposals" / "italy.yaml", tmp_path / "italy.yaml")
    result = run_cli("compare", "proposals/italy.yaml", str(tmp_path / "italy.yaml"))
    assert result.code == 1
    # line 16 of the sample (after its header comment), column 7
    assert (ROOT / "proposals" / "italy.yaml").read_text(encoding="utf-8").splitlines()[
        15
    ] == "  id: italy"
    assert result.err == (
        f"{tmp_path}/italy.yaml:16:7: the id `italy` is already used by "
        "proposals/italy.yaml; ids must be unique\n"
    )


def test_the_same_file_twice_in_a_parallel_batch_is_read_once(padded_batch: Path) -> None:
    serial = evaluator("compare", str(padded_batch), "-f", "json", "--jobs", "1")
    for jobs in ("1", "2"):
        twice = evaluator(
            "compare",
            str(padded_batch),
            str(padded_batch / "p0001.yaml"),
            "-f",
            "json",
            "--jobs",
            jobs,
        )
        assert (twice.returncode, twice.stderr) == (0, "")
        assert twice.stdout == serial.stdout


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("criteria/default.yaml", "a criteria file (use it with --criteria)"),
        ("weights/minister-ahp.yaml", "a judgements file (see `evaluator weights`)"),
        ("panel/a.yaml", "a panel member's ratings (give their folder with --panel)"),
    ],
)
def test_a_file_of_another_kind_is_named_as_such(run_cli: RunCli, path: str, kind: str) -> None:
    result = run_cli("score", path)
    assert (result.code, result.out, result.err) == (
        1,
        "",
        f"{path}: not a proposal: this is {kind}\n",
    )


def _indentation_slips() -> list[tuple[int, str]]:
    """italy.yaml with one line's indentation one space off, each way, for every line."""
    lines = (PROPOSALS / "italy.yaml").read_text(encoding="utf-8").split("\n")
    slips = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        for changed in (" " + line, line[1:] if line.startswith(" ") else None):
            if changed is not None:
                slips.append((number, "\n".join([*lines[: number - 1], changed, *lines[number:]])))
    return slips


def test_an_indentation_slip_is_reported_at_its_line() -> None:
    # Before, a first key indented one space less or more than the keys after it was
    # reported on the next line, and a list item out of line in libyaml's own words.
    for number, text in _indentation_slips():
        try:
            parse_document(text, "italy.yaml")
        except InputError as exc:
            (problem,) = exc.problems
            assert problem.line == number or f"(line {number})" in problem.message, (
                number,
                str(problem),
            )
            assert "expected '-' indicator" not in problem.message
            assert "document start" not in problem.message
