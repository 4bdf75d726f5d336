"""The command line: each command parses its options, calls the core, picks a renderer."""

import contextlib
import copy
import errno
import gc
import importlib
import io
import os
import shutil
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from evaluator import __version__
from evaluator.cli.coercion import install
from evaluator.cli.language import take_language
from evaluator.cli.options import (
    DIFF_FORMATS,
    REPORT_FORMATS,
    RESULT_FORMATS,
    SHOW_FORMATS,
    WEIGHTS_FORMATS,
    Format,
    Method,
    RunOptions,
    check_choice,
    on_command_line,
    run_options,
)
from evaluator.cli.recording import (
    ByOption,
    ProgrammeOption,
    Recorder,
    RecordOption,
    RegisterOption,
)
from evaluator.errors import EvaluatorError, OutputError, Problem, UsageError
from evaluator.io.files import DEFAULT_MAX_BYTES, discover
from evaluator.messages import command_line as said
from evaluator.render import RenderOptions, i18n
from evaluator.render.problems import problem_line

# Completion options are our own (see _root): typer's print bash's script for every shell
# and fail where no shell is among the process's ancestors.
app = typer.Typer(
    name="evaluator",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Score defence-procurement proposals from partner governments against a "
    "minister's stated criteria, and compare them.",
    epilog="Start with `evaluator compare` (the samples in proposals/) and `evaluator new "
    "FILE` (a proposal to fill in); each command's --help has an example. Shell "
    "completion: evaluator --install-completion. NO_COLOR=1 turns colour off. "
    "Guides: docs/user-guide.md and docs/cli.md.",
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Input paths are checked by the reader, not by typer (readable=False): a file that cannot
# be read, or a folder where a file belongs, is an input error (exit 1), not a usage one.
PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Proposal files and folders [default: proposals/].",
        metavar="PATH",
        show_default=False,
        readable=False,
    ),
]
CriteriaOption = Annotated[
    Path | None,
    typer.Option(
        "--criteria",
        "-c",
        help="Criteria file [default: ./criteria/default.yaml, else the installed copy].",
        readable=False,
        metavar="FILE",
    ),
]
WeightsOption = Annotated[
    str | None,
    typer.Option(
        "--weights",
        "-w",
        metavar="NAME=PCT,...",
        help="What-if weights of top-level criteria, "
        "in percent of the total, e.g. pricing=40: pricing counts for 40% and the others keep "
        "their proportions (the output is marked What-if).",
    ),
]
WeightsFileOption = Annotated[
    Path | None,
    typer.Option(
        "--weights-file",
        metavar="FILE",
        help="What-if weights from a YAML file `weights: {pricing: 40, ...}` (as "
        "--weights, percent of the total; `evaluator explore` saves one).",
        readable=False,
        show_default=False,
    ),
]
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
_COMPLETE_VAR = "_EVALUATOR_COMPLETE"  # set by the completion scripts when TAB is pressed


def _choices(*values: str) -> Callable[[str], list[str]]:
    """Completion of a value: those of `values` that begin as typed."""

    def complete(incomplete: str) -> list[str]:
        return [value for value in values if value.startswith(incomplete)]

    return complete


MethodOption = Annotated[
    str | None,
    typer.Option(
        "--method",
        "-m",
        help="Aggregation method: wsm, topsis, promethee, or all to rank by "
        "each side by side [default: the criteria file's].",
        metavar="METHOD",
        autocompletion=_choices(*(m.value for m in Method)),
    ),
]
# Text, not a Path: Path("newdir/") drops the slash that says the user means a folder.
OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file (atomically) instead of standard output.",
        metavar="FILE",
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace an existing --output file.")]
BomOption = Annotated[
    bool,
    typer.Option(
        "--bom",
        help="With --format csv: begin with a UTF-8 byte-order mark, so that Excel reads "
        "accented names (Türkiye) right.",
    ),
]
PanelOption = Annotated[
    Path | None,
    typer.Option(
        "--panel",
        "-p",
        metavar="DIR",
        help="Folder of panel members' rating files, one per "
        "member, for the criteria's panel.* judgements "
        "(see docs/panels.md).",
        readable=False,
    ),
]
ClassificationOption = Annotated[
    str | None,
    typer.Option(
        "--classification",
        metavar="LEVEL",
        help="Mark the report with this security classification (TERHAD, SULIT, RAHSIA, "
        "RAHSIA BESAR; or RESTRICTED, CONFIDENTIAL, SECRET, TOP SECRET), instead of the "
        "criteria file's `classification`.",
        show_default=False,
    ),
]
MaxBytesOption = Annotated[
    int,
    typer.Option(
        "--max-bytes", min=1, metavar="BYTES", help="Largest input file accepted, in bytes."
    ),
]
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        metavar="N",
        show_default=False,
        help="Processes that read a large batch (with --format json, score and write it "
        "too) [default: one per core]; 1 does it all in order. The result is the same "
        "either way.",
    ),
]


def _format_option(choices: Sequence[Format]) -> Any:
    return typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="Output format: " + ", ".join(choices) + ".",
        autocompletion=_choices(*choices),
    )


def _version(value: bool) -> None:
    if value:
        typer.echo(f"evaluator {__version__}")
        raise typer.Exit()


def _shell(option: str, value: str) -> str:
    """The shell named, or else the one evaluator runs in: the nearest shell among its
    ancestors if it has completion, else $SHELL's, else bash. Never fails: a run
    detached from any shell (nohup, setsid, CI) has none among its ancestors."""
    if value:
        return check_choice(option, value, SHELLS)
    from typer._completion_shared import _get_shell_name  # shellingham's answer, or None

    try:
        name = _get_shell_name() or ""
    except Exception:  # shellingham could not even look (no /proc, a process gone)
        name = ""
    if name not in SHELLS:  # none, or one without completion (sh, under make)
        name = os.path.basename(os.environ.get("SHELL", "")).lower()
    return name if name in SHELLS else "bash"


def _show_completion(ctx: typer.Context, value: str | None) -> None:
    if value is None or ctx.resilient_parsing:
        return
    from typer._completion_shared import get_completion_script

    shell = _shell("--show-completion", value)
    _write_stdout(
        get_completion_script(prog_name="evaluator", complete_var=_COMPLETE_VAR, shell=shell) + "\n"
    )
    raise typer.Exit()


def _install_completion(ctx: typer.Context, value: str | None) -> None:
    if value is None or ctx.resilient_parsing:
        return
    from typer._completion_shared import install as install_script

    from evaluator.errors import OutputError

    shell = _shell("--install-completion", value)
    try:
        _, path = install_script(shell=shell, prog_name="evaluator", complete_var=_COMPLETE_VAR)
    except OSError as exc:
        raise OutputError.at(
            "--install-completion",
            said.CANNOT_INSTALL_COMPLETION(shell=shell, reason=str(exc.strerror or exc)),
        ) from None
    sys.stderr.write(
        i18n.gettext(
            "{shell} completion installed in {path}; it works in shells started from now on"
        ).format(shell=shell, path=path)
        + "\n"
    )
    raise typer.Exit()


def _shell_value(args: list[str]) -> list[str]:
    """`--show-completion` and `--install-completion` take an optional SHELL, which typer
    cannot express: given none (nothing, or an option, follows), pass "" (the current)."""
    for i, arg in enumerate(args):
        if arg in ("--show-completion", "--install-completion"):
            if i + 1 == len(args) or args[i + 1].startswith("-"):
                return [*args[: i + 1], "", *args[i + 1 :]]
            return args
        if not arg.startswith("-"):
            break  # the command: what follows is its own (--lang is taken out before)
    return args


class _Session:
    """What the root options said of this run, for `_run` to act on when the run is over."""

    debug = False  # --debug: an internal error shows its traceback


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback for internal errors.")
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="LANG",
            expose_value=False,
            autocompletion=_choices("en", "ms"),
            help="The language of the output: en or ms (Bahasa Malaysia); also after the "
            "command [default: EVALUATOR_LANG, else the locale's, else en].",
        ),
    ] = None,
    install_completion: Annotated[
        str | None,
        typer.Option(
            "--install-completion",
            metavar="[SHELL]",
            is_eager=True,
            expose_value=False,
            callback=_install_completion,
            autocompletion=_choices(*SHELLS),
            help="Install completion for SHELL (bash, zsh, fish, powershell, pwsh) "
            "[default: the current shell].",
        ),
    ] = None,
    show_completion: Annotated[
        str | None,
        typer.Option(
            "--show-completion",
            metavar="[SHELL]",
            is_eager=True,
            expose_value=False,
            callback=_show_completion,
            autocompletion=_choices(*SHELLS),
            help="Print the completion script for SHELL, to install it by hand "
            "[default: the current shell].",
        ),
    ] = None,
) -> None:
    """Score defence-procurement proposals against stated criteria, and compare them."""
    _Session.debug = debug


# A ranking longer than this shows its top rows (`--all`: every row). On a terminal: its
# lines less room for the headings and the sentences under the table; else a fixed count.
SCREEN_MARGIN, SCREEN_ROWS_MIN, ROWS_OFF_TERMINAL = 15, 20, 40


def _render_options(
    all_rows: bool = True, files: tuple[tuple[str, str, str], ...] = ()
) -> RenderOptions:
    color = (
        sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    )
    if "COLUMNS" in os.environ or sys.stdout.isatty():
        width = shutil.get_terminal_size((100, 24)).columns
    else:
        width = 120
    rows = None
    if not all_rows:
        rows = ROWS_OFF_TERMINAL
        if "LINES" in os.environ or sys.stdout.isatty():
            rows = max(SCREEN_ROWS_MIN, shutil.get_terminal_size((100, 24)).lines - SCREEN_MARGIN)
    return RenderOptions(
        color=bool(color),
        width=max(60, width),
        rows=rows,
        command=tuple(_COMMAND),
        files=files,
        lang=_language(),
    )


def _language() -> str:
    """The language of the report's titles: the run's (`--lang`, EVALUATOR_LANG, the
    locale), as every word of it (evaluator.render.i18n)."""
    from evaluator.render.i18n import language

    return language()


def _renderer(fmt: Format, card: bool = False) -> Callable[..., str]:
    module = importlib.import_module(f"evaluator.render.{fmt}")
    function: Callable[..., str] = getattr(
        module, "render_card" if card and hasattr(module, "render_card") else "render"
    )
    return function


def _emit(
    text: str | bytes,
    options: RunOptions,
    inputs: Sequence[Path],
    classification: str | None = None,
) -> None:
    """Write the result (as text, or already in UTF-8) to stdout or to the --output file,
    which must be none of the `inputs`; a table or Markdown marked with the
    `classification` first and last (render.marking)."""
    output, fmt = options.output, options.format
    if classification and isinstance(text, str):
        from evaluator.render.marking import marked

        text = marked(text, classification, fmt.value)
    if options.bom and isinstance(text, str):  # --bom, with CSV only (_check_spreadsheet)
        text = "\ufeff" + text
    if output is None:
        _write_stdout(text, fmt)
        return
    from evaluator.cli.output import write_output

    if fmt is Format.TABLE and isinstance(text, str):  # a file gets no terminal colour codes
        text = _strip_ansi(text)
    # Folders as given (a YAML output inside one would be read next time) and every file.
    write_output(output, text, inputs=[*inputs, *discover(inputs)], force=options.force)
    sys.stderr.write(i18n.gettext("wrote {file}").format(file=Path(output)) + "\n")


def _check_spreadsheet(chosen: Format, output: str | None, bom: bool) -> None:
    """`--bom` goes with CSV; a workbook (xlsx, binary) goes to --output or to a standard
    output that is not a terminal (a file or a pipe), never onto a screen."""
    if bom and chosen is not Format.CSV:
        raise UsageError.at("--bom", said.BOM_WITHOUT_CSV)
    if chosen is Format.XLSX and output is None and sys.stdout.isatty():
        raise UsageError.at("--format", said.XLSX_ON_TERMINAL)


def _write_stdout(text: str | bytes, fmt: Format = Format.TABLE) -> None:
    """A result on stdout. A data format (JSON, CSV, Markdown, HTML, YAML) goes out in
    UTF-8, as it would to a file, whatever the terminal's encoding; text for a person (the
    table) in the terminal's encoding, with `?` for what it cannot show, rather than an
    error."""
    try:
        binary = getattr(sys.stdout, "buffer", None)  # none in a stream of text only
        if fmt is not Format.TABLE and binary is not None:
            sys.stdout.flush()  # what was written as text goes first
            binary.write(text.encode("utf-8") if isinstance(text, str) else text)
            return
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        try:
            sys.stdout.write(text)
        except UnicodeEncodeError:  # the whole text is encoded before any of it is written
            encoding = sys.stdout.encoding
            sys.stdout.write(text.encode(encoding, "replace").decode(encoding))
    except BrokenPipeError:
        raise  # the reader went away: see _run
    except OSError as exc:
        raise _stdout_failure(exc) from None


class _StdoutClosed(OSError):
    """A write to a standard output that the process was started without."""


class _ClosedStdout(io.TextIOBase):
    """Standard output when the process started without one (`>&-`): writing says so."""

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise _StdoutClosed(errno.EBADF, "it is closed")


def _stdout_failure(exc: OSError) -> OutputError:
    """Standard output cannot be written (a full disk, a closed stdout): an ordinary error,
    exit status 1. What it still holds is dropped, so that the exit does not fail again."""
    _drop_stdout()
    closed = i18n.gettext("it is closed")
    reason = closed if isinstance(exc, _StdoutClosed) else exc.strerror or str(exc)
    return OutputError([Problem("evaluator", said.CANNOT_WRITE_STDOUT(reason=reason))])


def _flush_stdout() -> None:
    """Write out what standard output holds, so that a failure is reported, not lost at exit."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _stdout_failure(exc) from None


def _echo_failed(exc: OSError) -> bool:
    """Whether `exc` was raised writing typer's own text (help, version) to standard output."""
    trace = exc.__traceback__
    while trace is not None and trace.tb_next is not None:
        trace = trace.tb_next
    return (
        trace is not None
        and trace.tb_frame.f_code.co_name == "echo"
        and not trace.tb_frame.f_locals.get("err")
    )


def _drop_stdout() -> None:
    """Point standard output at the null device: what is left in its buffer goes nowhere."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, sys.stdout.fileno())
        finally:
            os.close(null)
    except (OSError, ValueError, AttributeError):  # no file underneath (closed, in tests)
        pass


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def _report(problems: Sequence[Problem]) -> None:
    for problem in problems:
        sys.stderr.write(f"{problem_line(problem)}\n")


# The bars' labels (`_progress(label)` words them in the run's language).
PROGRESS_LABELS = (i18n.N_("reading proposals"), i18n.N_("checking files"))


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """An `on_file` callback drawing a bar on stderr for long batches, if it is a terminal
    (`label`: one of PROGRESS_LABELS)."""
    if not sys.stderr.isatty() or os.environ.get("TERM") == "dumb":
        yield None  # never in pipes, logs or tests, and rich is not even imported
        return
    from evaluator.render.progress import ProgressBar

    with ProgressBar(i18n.gettext(label), sys.stderr) as bar:
        yield bar


@contextmanager
def _draw_progress(samples: int, values: bool) -> Iterator[Callable[[int, int], None]]:
    """The sampling's progress on stderr: a bar on a terminal, else a plain line now and
    then (render/progress.py); a quick run shows neither."""
    from evaluator.render.progress import ProgressBar, ProgressLines

    if sys.stderr.isatty() and os.environ.get("TERM") != "dumb":
        label = (
            i18n.gettext("drawing, then replaying for confidence")
            if values
            else i18n.gettext("drawing weightings")
        )
        with ProgressBar(label, sys.stderr) as bar:
            yield bar
        return
    what = (
        i18n.gettext("{samples:,} draws (drawn, then replayed for the confidence factors)")
        if values
        else i18n.gettext("{samples:,} draws")
    ).format(samples=samples)
    yield ProgressLines("sensitivity", what, sys.stderr)


def _interactive() -> bool:
    """Whether a person can answer a question: standard input and error are terminals."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def _ask(question: str) -> bool:
    """A yes-or-no question on stderr, no unless answered yes. (typer.confirm would write
    a space to stdout, where the result goes.)"""
    sys.stderr.write(i18n.gettext("{question} [y/N]: ").format(question=question))
    sys.stderr.flush()
    # The Malay yes (ya) too; y and yes in every language.
    return sys.stdin.readline().strip().lower() in ("y", "yes", i18n.gettext("yes"))


def _confirm_long_run(reason: str | None, yes: bool) -> None:
    """A long analysis runs with --yes, or when the person at the terminal says so."""
    if reason is None or yes:
        return
    if _interactive() and _ask(
        i18n.gettext("{reason} (it may take minutes). Run it?").format(reason=reason)
    ):
        return
    raise UsageError.at("--samples", said.TOO_MANY_DRAWS(reason=reason))


def _check_weighted_sum(method: str) -> None:
    """The robustness analysis works on weighted-sum totals only."""
    if method != Method.WSM:
        raise UsageError.at("--sensitivity", said.SENSITIVITY_NEEDS_WSM(method=method))


def _load_criteria(options: RunOptions, classification: str | None = None) -> Any:
    """The criteria file; its classification replaced by `--classification`'s, if given."""
    from evaluator.api import load_criteria

    framework = load_criteria(options.criteria, max_bytes=options.max_bytes)
    if classification is not None:
        framework = replace(framework, classification=classification)
    return framework


def _classification(value: str | None) -> str | None:
    """`--classification`'s level as its Malay marking (English names accepted); a usage
    error for anything else."""
    if value is None:
        return None
    from evaluator.model.classification import LEVELS, level

    found = level(value)
    if found is None:
        raise UsageError.at(
            "--classification", said.NOT_A_CLASSIFICATION(value=value, levels=", ".join(LEVELS))
        )
    return found


@app.command()
def compare(
    paths: PathsArgument = None,
    criteria: CriteriaOption = None,
    panel: PanelOption = None,
    weights: WeightsOption = None,
    weights_file: WeightsFileOption = None,
    method: MethodOption = None,
    fmt: Annotated[str, _format_option(RESULT_FORMATS)] = Format.TABLE.value,
    sensitivity: Annotated[
        bool,
        typer.Option(
            "--sensitivity",
            help="With --format html: add the robustness analysis (as "
            "`evaluator sensitivity` gives it, with its defaults).",
        ),
    ] = False,
    all_rows: Annotated[
        bool,
        typer.Option(
            "--all",
            help="With --format table: show every proposal. Without it, a ranking "
            "longer than the screen shows its top rows and says how many "
            "more.",
        ),
    ] = False,
    output: OutputOption = None,
    force: ForceOption = False,
    bom: BomOption = False,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    jobs: JobsOption = None,
    stage: Annotated[
        str | None,
        typer.Option(
            "--stage",
            metavar="ID",
            help="With a criteria file that has stages: evaluate the stages up to and "
            "including this one, and stop there (no recommendation). A stage before the "
            "financial one never opens a financial envelope.",
            show_default=False,
        ),
    ] = None,
    record: RecordOption = False,
    register: RegisterOption = None,
    by: ByOption = None,
    programme: ProgrammeOption = None,
    classification: ClassificationOption = None,
) -> None:
    """Rank proposals from files and folders against the criteria.

    Examples:

    \b
      evaluator compare
      evaluator compare proposals/ --weights pricing=40 --format markdown
      evaluator compare proposals/ --panel panel/
      evaluator compare --format html --sensitivity --output report.html
      evaluator compare --format xlsx --output evaluation.xlsx
    """

    def html_only(chosen: Format) -> None:
        if sensitivity and chosen is not Format.HTML:
            raise UsageError.at("--sensitivity", said.SENSITIVITY_HTML_ONLY)
        _check_spreadsheet(chosen, output, bom)

    options = run_options(
        fmt,
        RESULT_FORMATS,
        method=method,
        weights=weights,
        weights_file=weights_file,
        criteria=criteria,
        panel=panel,
        output=output,
        force=force,
        max_bytes=max_bytes,
        jobs=jobs,
        check=html_only,
    )
    options = replace(options, bom=bom)
    level = _classification(classification)
    with Recorder(record, register, by, programme) as recorder:
        _compare(options, recorder, paths, sensitivity, all_rows, stage, level)


def _compare(
    options: RunOptions,
    recorder: Recorder,
    paths: list[Path] | None,
    sensitivity: bool,
    all_rows: bool,
    stage: str | None,
    classification: str | None = None,
) -> None:
    from evaluator import api

    framework = _load_criteria(options, classification)
    recorder.criteria_read(framework)
    options = replace(options, jobs=recorder.jobs(options.jobs))
    way = options.method or framework.method  # "all": totals and ranks of the file's method
    if sensitivity:
        _check_weighted_sum(framework.method if way is Method.ALL else way)
    inputs = paths or [Path("proposals")]
    sources = [*inputs, Path(framework.file), *options.panel_inputs]
    if framework.stages or stage is not None:
        _compare_stages(framework, options, inputs, sources, stage, sensitivity, recorder, all_rows)
        return
    # JSON needs no ranked objects here: large batches go from file to JSON line in
    # worker processes (evaluator/scoring/parallel.py). Not when the register takes part:
    # its caveat and its record need the ranked objects.
    encoded = options.format is Format.JSON and way == Method.WSM and not recorder.active
    text: str | bytes
    with _progress("reading proposals") as on_file:
        if encoded:
            text, errors = api.compare_json(
                inputs,
                criteria=framework,
                weights=options.weights,
                panel=options.panel,
                max_bytes=options.max_bytes,
                jobs=options.jobs,
                on_file=on_file,
            )
        else:
            comparison = api.compare(
                inputs,
                criteria=framework,
                weights=options.weights,
                method=options.method,
                panel=options.panel,
                max_bytes=options.max_bytes,
                jobs=options.jobs,
                on_file=on_file,
            )
            errors = comparison.errors
    _report(errors)
    if not encoded:
        details = comparison.details
        offers = [e.proposal for e in details.evaluations]
        recorder.mark(details.caveats, offers, details.weights)
        render = _renderer(options.format)
        if sensitivity:  # numpy is imported for the analysis only
            from evaluator.analysis.sensitivity import DEFAULT_SAMPLES

            with _draw_progress(DEFAULT_SAMPLES, False) as progress:
                analysis = api.sensitivity(comparison, progress=progress)
            text = render(details, _render_options(files=recorder.files(offers)), analysis)
        else:
            text = render(details, _render_options(all_rows, recorder.files(offers)))
        result = text if options.format is Format.JSON else None
        recorder.store(
            kind="compare",
            command=_COMMAND,
            options=_recorded_options(options),
            criteria=framework,
            proposals=offers,
            result=lambda: (
                str(result)
                if result is not None
                else _renderer(Format.JSON)(details, _render_options())
            ),
            weights=details.weights,
            caveats=details.caveats,
        )
    _emit(text, options, sources, framework.classification)
    if errors:
        raise typer.Exit(1)


def _recorded_options(options: RunOptions, **more: Any) -> dict[str, Any]:
    """A run's options as the register keeps them (the command line is kept as typed too)."""
    return {
        "format": options.format.value,
        "criteria": None if options.criteria is None else str(options.criteria),
        "panel": None if options.panel is None else str(options.panel),
        "weights": options.weights,
        "method": None if options.method is None else str(options.method),
        "output": options.output,
        **more,
    }


def _compare_stages(
    framework: Any,
    options: RunOptions,
    inputs: Sequence[Path],
    sources: Sequence[Path],
    stage: str | None,
    sensitivity: bool = False,
    recorder: Recorder | None = None,
    all_rows: bool = True,
) -> None:
    """`compare` on a criteria file with stages: each stage, then the recommendation (and
    with `sensitivity`, the robustness of that recommendation, in the HTML report). In the
    table, without `all_rows`, each list of offers and the ranking show a screenful."""
    from evaluator import api

    known = [s.id for s in framework.stages]
    if stage is not None and not known:
        raise UsageError.at("--stage", said.NO_STAGES(file=str(framework.file)))
    if stage is not None and stage not in known:
        raise UsageError.at(
            "--stage",
            said.NO_SUCH_STAGE(stage=stage, file=str(framework.file), stages=", ".join(known)),
        )
    recorder = recorder or Recorder()
    if (
        options.format is Format.JSON
        and (options.method or framework.method) == Method.WSM
        and options.panel is None
        and stage is None
        and not recorder.active
    ):
        # As without stages: large batches go from file to JSON line in worker processes.
        with _progress("reading proposals") as on_file:
            lines, errors = api.compare_stages_json(
                inputs,
                framework,
                weights=options.weights,
                max_bytes=options.max_bytes,
                jobs=options.jobs,
                on_file=on_file,
            )
        _report(errors)
        _emit(lines, options, sources, framework.classification)
        if errors:
            raise typer.Exit(1)
        return
    with _progress("reading proposals") as on_file:
        staged = api.compare_stages(
            inputs,
            framework,
            weights=options.weights,
            method=options.method,
            max_bytes=options.max_bytes,
            panel=options.panel,
            until=stage,
            jobs=options.jobs,
            on_file=on_file,
        )
    _report(staged.errors)
    from evaluator.render import stages as staged_render

    final = staged.final
    weights = final.weights if final is not None else framework.weights(options.weights)
    recorder.mark(final.caveats if final is not None else staged.caveats, staged.proposals, weights)
    fmt = options.format
    text: str | bytes
    if fmt is Format.JSON:
        text = staged_render.render_json(staged)
    elif fmt is Format.XLSX:
        from evaluator.render.xlsx import render_staged

        text = render_staged(staged, _render_options(True, recorder.files(staged.proposals)))
    elif fmt is Format.HTML:
        analysis = None
        if sensitivity and final is not None and final.evaluations:
            from evaluator.analysis.sensitivity import DEFAULT_SAMPLES

            with _draw_progress(DEFAULT_SAMPLES, False) as progress:
                analysis = api.sensitivity(final, progress=progress)
        text = staged_render.render_html(
            staged, _render_options(True, recorder.files(staged.proposals)), analysis
        )
    elif final is not None:
        inner = _renderer(fmt)(final, _render_options(all_rows))
        text = staged_render.render_text(staged, fmt.value, _render_options(all_rows), inner)
    else:
        text = staged_render.render_text(staged, fmt.value, _render_options(all_rows), "")
    recorder.store(
        kind="compare",
        command=_COMMAND,
        options=_recorded_options(options, stage=stage),
        criteria=framework,
        proposals=staged.proposals,
        result=lambda: str(text) if fmt is Format.JSON else staged_render.render_json(staged),
        weights=weights,
        caveats=[*staged.caveats, *(final.caveats if final is not None else [])],
    )
    _emit(text, options, sources, framework.classification)
    if staged.errors:
        raise typer.Exit(1)


@app.command()
def score(
    file: Annotated[
        Path,
        typer.Argument(
            help="A proposal file, or an offer's folder of two envelopes.",
            metavar="FILE",
            show_default=False,
            readable=False,
        ),
    ],
    criteria: CriteriaOption = None,
    panel: PanelOption = None,
    weights: WeightsOption = None,
    weights_file: WeightsFileOption = None,
    method: MethodOption = None,
    fmt: Annotated[str, _format_option(RESULT_FORMATS)] = Format.TABLE.value,
    output: OutputOption = None,
    force: ForceOption = False,
    bom: BomOption = False,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    record: RecordOption = False,
    register: RegisterOption = None,
    by: ByOption = None,
    programme: ProgrammeOption = None,
    classification: ClassificationOption = None,
) -> None:
    """Show one proposal's score card, with the evidence behind it.

    Every number, the rule that made it, the gates and the warnings.

    Examples:

    \b
      evaluator score proposals/italy.yaml
      evaluator score proposals/italy.yaml --format json --output italy.json
      evaluator score proposals/italy.yaml --format html --output italy.html
    """
    from evaluator import api

    options = run_options(
        fmt,
        RESULT_FORMATS,
        method=method,
        weights=weights,
        weights_file=weights_file,
        criteria=criteria,
        panel=panel,
        output=output,
        force=force,
        max_bytes=max_bytes,
        check=lambda chosen: _check_spreadsheet(chosen, output, bom),
    )
    options = replace(options, bom=bom)
    level = _classification(classification)
    with Recorder(record, register, by, programme) as recorder:
        framework = _load_criteria(options, level)
        recorder.criteria_read(framework)
        comparison = api.score(
            file,
            criteria=framework,
            weights=options.weights,
            method=options.method,
            panel=options.panel,
            max_bytes=options.max_bytes,
        )
        _report(comparison.errors)
        details = comparison.details
        offers = [e.proposal for e in details.evaluations]
        recorder.mark(details.caveats, offers, details.weights)
        text = _renderer(options.format, card=True)(
            details, _render_options(files=recorder.files(offers))
        )
        recorder.store(
            kind="score",
            command=_COMMAND,
            options=_recorded_options(options, file=str(file)),
            criteria=framework,
            proposals=offers,
            result=lambda: (
                str(text)
                if options.format is Format.JSON
                else _renderer(Format.JSON, card=True)(details, _render_options())
            ),
            weights=details.weights,
            caveats=details.caveats,
        )
    _emit(
        text, options, [file, Path(framework.file), *options.panel_inputs], framework.classification
    )
    if comparison.errors:  # a bad panel file: the proposal is scored without its ratings
        raise typer.Exit(1)


@app.command()
def explore(
    paths: PathsArgument = None,
    criteria: CriteriaOption = None,
    panel: PanelOption = None,
    weights: WeightsOption = None,
    weights_file: WeightsFileOption = None,
    method: MethodOption = None,
    save: Annotated[
        Path,
        typer.Option(
            "--save",
            metavar="FILE",
            help="Where `s` saves the weights in use, for `compare --weights-file`.",
        ),
    ] = Path("what-if.yaml"),
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    jobs: JobsOption = None,
    record: RecordOption = False,
    register: RegisterOption = None,
    by: ByOption = None,
    programme: ProgrammeOption = None,
) -> None:
    """Walk the weights and watch the ranking move, in the terminal.

    One slider per top-level weight (←/→ one point, shift five; Tab to the next):
    the others keep their proportions, as --weights moves them, and the ranking,
    totals and bars follow. Each slider shows where today's winner holds and its
    tipping points; crossing one is announced. m switches the method, Enter shows
    a proposal's score card, s saves the weights (--save; with --record, the run
    is stored at them too), q quits and prints them as --weights.

    Examples:

    \b
      evaluator explore
      evaluator explore proposals/ --weights pricing=40 --save committee.yaml
    """
    options = run_options(
        Format.TABLE.value,
        RESULT_FORMATS,
        method=method,
        weights=weights,
        weights_file=weights_file,
        criteria=criteria,
        panel=panel,
        max_bytes=max_bytes,
        jobs=jobs,
    )
    if options.method is Method.ALL:
        raise UsageError.at("--method", said.ONE_METHOD_AT_A_TIME)
    if not _terminal():
        raise UsageError.at("explore", said.NEEDS_A_TERMINAL)
    with Recorder(record, register, by, programme) as recorder:
        _explore(options, recorder, paths, save)


def _terminal() -> bool:
    """Whether explore can run: standard input and output are terminals."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _explore(options: RunOptions, recorder: Recorder, paths: list[Path] | None, save: Path) -> None:
    from evaluator import api
    from evaluator.analysis.explore import normalised

    framework = _load_criteria(options)
    recorder.criteria_read(framework)
    options = replace(options, jobs=recorder.jobs(options.jobs))
    inputs = paths or [Path("proposals")]
    # As `compare` ranks them: with stages, among the offers that passed every stage.
    with _progress("reading proposals") as on_file:
        comparison = api.compare(
            inputs,
            criteria=framework,
            weights=options.weights,
            method=Method.WSM,
            panel=options.panel,
            max_bytes=options.max_bytes,
            jobs=options.jobs,
            on_file=on_file,
        )
    errors, final, staged = comparison.errors, comparison.details, comparison.stages
    _report(errors)
    from evaluator.cli.explore import explore_app, session_of, weights_argument

    session = session_of(final, options.method or framework.method, save, staged)
    if session.method not in session.explorer.methods:
        session.method = session.explorer.methods[0]
    read = staged.proposals if staged is not None else [e.proposal for e in final.evaluations]
    session.opening = recorder.opening(read)
    explore_app(session).run()
    explorer = session.explorer
    sys.stdout.write(weights_argument(explorer.criteria, session.weights) + "\n")
    if session.saved is not None and recorder.record:
        saved = session.saved
        again = replace(options, weights=saved)
        what = normalised(explorer.criteria, saved)
        result: str
        offers: list[Any]
        if staged is not None:
            from evaluator.render import stages as staged_render

            rerun = api.compare_stages(
                inputs,
                framework,
                weights=saved,
                max_bytes=options.max_bytes,
                panel=options.panel,
                jobs=options.jobs,
            )
            result, offers = staged_render.render_json(rerun), rerun.proposals
            caveats = [*rerun.caveats, *(rerun.final.caveats if rerun.final else [])]
        else:
            redone = api.compare(
                inputs,
                criteria=framework,
                weights=saved,
                panel=options.panel,
                max_bytes=options.max_bytes,
                jobs=options.jobs,
            ).details
            result = _renderer(Format.JSON)(redone, _render_options())
            offers, caveats = [e.proposal for e in redone.evaluations], redone.caveats
        recorder.store(
            kind="compare",
            command=_COMMAND,
            options=_recorded_options(again, explore=str(save)),
            criteria=framework,
            proposals=offers,
            result=result,
            weights=dict(zip(explorer.criteria, what, strict=True)),
            caveats=caveats,
        )
    if errors:
        raise typer.Exit(1)


@app.command()
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Proposal or criteria files and folders.",
            metavar="PATH",
            show_default=False,
            readable=False,
        ),
    ],
    criteria: CriteriaOption = None,
    panel: PanelOption = None,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
) -> None:
    """Check proposal (and criteria) files without scoring them.

    Each proposal is checked against the criteria in effect, including that its
    currency has an exchange rate. A file with a top-level `criteria:` list is
    checked as a criteria file. With --panel, the panel members' files are checked
    against the criteria's judgements and the proposals given.

    Examples:

    \b
      evaluator validate proposals/ criteria/default.yaml
      evaluator validate proposals/ --panel panel/
    """
    from evaluator.api import validate_paths

    framework = _load_criteria(RunOptions(criteria=criteria, max_bytes=max_bytes))
    with _progress("checking files") as on_file:
        checked, problems, gaps = validate_paths(paths, framework, max_bytes, on_file, panel)
    _report(problems)
    if gaps:
        from evaluator.render.run import gap_warnings

        for warning in gap_warnings(gaps, str(panel)):
            sys.stderr.write(f"{warning}\n")
    bad = {p.file for p in problems}
    for name in checked:
        if name not in bad:
            _write_stdout(f"ok {name}\n")  # a status word, as scripts read it
    if problems:
        raise typer.Exit(1)


@app.command("criteria")
def show_criteria(
    criteria: CriteriaOption = None,
    weights: WeightsOption = None,
    fmt: Annotated[str, _format_option(REPORT_FORMATS)] = Format.TABLE.value,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Show the framework: criteria, weights, rules and gates.

    Each with the words it rests on (`source:` in the criteria file).

    Example:

    \b
      evaluator criteria --weights pricing=40
    """
    from evaluator.api import criteria_weights
    from evaluator.render import criteria as render_criteria

    options = run_options(
        fmt, REPORT_FORMATS, weights=weights, criteria=criteria, output=output, force=force
    )
    framework = _load_criteria(options)
    used, what_if = criteria_weights(framework, weights=options.weights)
    text = render_criteria.render(framework, used, options.format, _render_options(), what_if)
    _emit(text, options, [Path(framework.file)])


@app.command("weights")
def ahp_weights(
    file: Annotated[
        Path,
        typer.Argument(
            help="A file of pairwise judgements.",
            metavar="FILE",
            show_default=False,
            readable=False,
        ),
    ],
    fmt: Annotated[str, _format_option(WEIGHTS_FORMATS)] = Format.TABLE.value,
    output: OutputOption = None,
    force: ForceOption = False,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
) -> None:
    """Derive criterion weights from pairwise judgements (AHP).

    The file lists the criteria and, for each pair, how much more important the
    first is than the second on Saaty's scale (1 to 9, or 1/2 to 1/9). Prints the
    weights (the principal eigenvector), lambda max, CI and CR; a CR above 0.10 is a
    warning that names the judgement to revisit. --format yaml prints weights to
    paste into a criteria file (or point it at the judgements with `weights_from:`).

    Example:

    \b
      evaluator weights weights/minister-ahp.yaml --format yaml
    """
    from evaluator.api import derive_weights
    from evaluator.render import weights as render_weights

    options = run_options(fmt, WEIGHTS_FORMATS, output=output, force=force, max_bytes=max_bytes)
    result = derive_weights(file, max_bytes=options.max_bytes)
    _report(result.warnings())
    text = render_weights.render(result, options.format, _render_options())
    _emit(text, options, [file])


@app.command()
def sensitivity(
    paths: PathsArgument = None,
    criteria: CriteriaOption = None,
    panel: PanelOption = None,
    weights: WeightsOption = None,
    weights_file: WeightsFileOption = None,
    method: Annotated[
        str | None,
        typer.Option(
            "--method",
            "-m",
            help="Only wsm: the analysis works on weighted-sum totals, "
            "whatever the criteria file's method.",
            metavar="METHOD",
            autocompletion=_choices(Method.WSM.value),
        ),
    ] = None,
    samples: Annotated[
        int,
        typer.Option(
            "--samples",
            min=1,
            max=10_000_000,
            metavar="N",
            help="Weightings drawn for rank acceptability.",
        ),
    ] = 10_000,
    seed: Annotated[
        int,
        typer.Option(
            "--seed", min=0, metavar="N", help="Random seed: the same seed gives the same output."
        ),
    ] = 0,
    spread: Annotated[
        str,
        typer.Option(
            "--spread",
            help="Each weight drawn within ±spread of today's (0 to 1), or `full` "
            "for every possible weighting.",
            metavar="SPREAD",
            autocompletion=_choices("full"),
        ),
    ] = "0.25",
    values: Annotated[
        bool,
        typer.Option(
            "--values",
            help="Also draw the figures given as ranges (triangular with a likely "
            "value, else uniform) in every draw, and give each proposal's "
            "confidence factor (see docs/uncertainty.md).",
        ),
    ] = False,
    ranks: Annotated[
        int | None,
        typer.Option(
            "--ranks",
            min=1,
            max=100,
            metavar="N",
            show_default=False,
            help="Rank acceptability lists ranks 1 to N, and the share of any worse rank as one "
            "figure [default: every rank up to 100 eligible proposals, else 10].",
        ),
    ] = None,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            "-y",
            help="Run a long analysis without asking: more than 500 million "
            "proposal-draws (--samples × eligible proposals), or 100 million "
            "with --values.",
        ),
    ] = False,
    fmt: Annotated[str, _format_option(REPORT_FORMATS)] = Format.TABLE.value,
    output: OutputOption = None,
    force: ForceOption = False,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    record: RecordOption = False,
    register: RegisterOption = None,
    by: ByOption = None,
    programme: ProgrammeOption = None,
    classification: ClassificationOption = None,
) -> None:
    """How far the weights can move before the winner changes.

    For each criterion, the range of its weight in which the winner (and the whole
    ranking) stays the same, the smallest single change that tips the winner, and
    how often each proposal takes each rank when the weights are sampled. With
    --values, the figures offers give as ranges are drawn too, and each proposal's
    confidence factor says how often it stays first as they vary.

    Example:

    \b
      evaluator sensitivity proposals/ --spread full --samples 100000
      evaluator sensitivity proposals/ --values
    """
    from evaluator import api
    from evaluator.analysis.sensitivity import long_run
    from evaluator.render.sensitivity import long_run_text, render

    def weighted_sum_and_spread(chosen: Format) -> None:
        if method is not None and method != Method.WSM:
            raise UsageError.at("--method", said.ONLY_WSM(method=method))
        api.parse_spread(spread)  # refused before any file is read

    options = run_options(
        fmt,
        REPORT_FORMATS,
        weights=weights,
        weights_file=weights_file,
        criteria=criteria,
        panel=panel,
        output=output,
        force=force,
        max_bytes=max_bytes,
        check=weighted_sum_and_spread,
    )
    level = _classification(classification)
    inputs = paths or [Path("proposals")]
    with Recorder(record, register, by, programme) as recorder:
        framework = _load_criteria(options, level)
        recorder.criteria_read(framework)
        if framework.stages and not framework.stages[-1].recommend:
            raise UsageError.at("--criteria", said.NO_RECOMMENDATION(file=str(framework.file)))
        # With stages, the weighted evaluation among the offers that passed every stage
        # (sealed envelopes unopened), as `compare` recommends among them.
        with _progress("reading proposals") as on_file:
            comparison = api.compare(
                inputs,
                criteria=framework,
                weights=options.weights,
                method=Method.WSM,
                panel=options.panel,
                max_bytes=options.max_bytes,
                on_file=on_file,
                jobs=recorder.jobs(None),
            )
        errors, details = comparison.errors, comparison.details
        staged = comparison.stages
        offers = (
            staged.proposals if staged is not None else [e.proposal for e in details.evaluations]
        )
        _report(errors)
        recorder.mark(details.caveats, offers, details.weights)
        run = long_run(details, samples, values)
        _confirm_long_run(None if run is None else long_run_text(run), yes)
        with _draw_progress(samples, values) as progress:
            result = api.sensitivity(
                comparison,
                samples=samples,
                seed=seed,
                spread=spread,
                values=values,
                ranks=ranks,
                progress=progress,
            )
        text = render(result, options.format, _render_options())
        recorder.store(
            kind="sensitivity",
            command=_COMMAND,
            options=_recorded_options(
                options, samples=samples, seed=seed, spread=spread, values=values, ranks=ranks
            ),
            criteria=framework,
            proposals=offers,
            result=lambda: (
                text
                if options.format is Format.JSON
                else render(result, Format.JSON, _render_options())
            ),
            weights=details.weights,
            caveats=details.caveats,
        )
    _emit(
        text,
        options,
        [*inputs, Path(framework.file), *options.panel_inputs],
        framework.classification,
    )
    if errors:
        raise typer.Exit(1)


# --- the register of runs (docs/register.md) -------------------------------------------------

register_app = typer.Typer(
    help="The register of runs: open a programme, verify the record.\n\n"
    "Where it is: --register PATH|URL, else $EVALUATOR_REGISTER, else evaluations.db "
    "beside the criteria file (docs/register.md).\n\n"
    "Examples:\n\n\b\n"
    "  evaluator register open --programme CSS-26\n"
    "  evaluator register verify --head 2aa1b7bc4fc5dab9",
    short_help="The register of runs: open a programme, verify the record.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["--help", "-h"]},
)
app.add_typer(register_app, name="register")

ProgrammeFilter = Annotated[
    str | None,
    typer.Option("--programme", metavar="NAME", help="Only this programme's runs."),
]


def _location(register: str | None, criteria: Path | None) -> str:
    from evaluator.api import register_location

    return register_location(criteria, register)


@register_app.command("open")
def register_open(
    programme: Annotated[
        str,
        typer.Option("--programme", metavar="NAME", help="The programme whose bids are opened."),
    ],
    criteria: CriteriaOption = None,
    register: RegisterOption = None,
    by: ByOption = None,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
) -> None:
    """Record a programme's bid opening: its approved criteria, frozen.

    Every later run of the programme whose criteria or weights differ is marked
    "criteria changed after bid opening", in every format and in the register.

    Example:

    \b
      evaluator register open --programme CSS-26 --criteria criteria/default.yaml
    """
    from evaluator import api
    from evaluator.register import shown

    with Recorder(True, register, by, programme) as recorder:
        framework = _load_criteria(RunOptions(criteria=criteria, max_bytes=max_bytes))
        recorder.criteria_read(framework)
    assert recorder.location is not None
    run = api.open_programme(
        recorder.location,
        framework,
        recorder.criteria_files,
        programme,
        by=by,
        command=_COMMAND,
    )
    files = ", ".join(run.record["criteria"]["files"])
    _write_stdout(
        i18n.gettext(
            "Programme {programme}: bids opened at run {run} ({at}Z), in {register}; "
            "criteria frozen: {files} (fingerprint {fingerprint})."
        ).format(
            programme=programme,
            run=run.seq,
            at=run.at[:19],
            register=shown(recorder.location),
            files=files,
            fingerprint=run.record["criteria"]["fingerprint"][:16],
        )
        + "\n"
    )


@register_app.command("verify")
def register_verify(
    register: RegisterOption = None,
    criteria: CriteriaOption = None,
    head: Annotated[
        str | None,
        typer.Option(
            "--head",
            metavar="HASH",
            help="A run's hash kept from an earlier verify: check it is still in the chain "
            "(runs removed from the end leave no other trace).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check the register: no run changed, removed, inserted or moved.

    Walks the chain of hashes from the first run; exit status 1 if anything is wrong.

    Example:

    \b
      evaluator register verify --register evaluations.db
    """
    from evaluator import api
    from evaluator.register import shown
    from evaluator.render.register import verify_text

    where = _location(register, criteria)
    result = api.register_verify(where, head)
    _write_stdout(verify_text(shown(where), result, head))
    if result.findings or result.head_found is False:
        raise typer.Exit(1)


@app.command("history")
def history(
    register: RegisterOption = None,
    criteria: CriteriaOption = None,
    programme: ProgrammeFilter = None,
    proposal: Annotated[
        str | None,
        typer.Option(
            "--proposal",
            metavar="ID",
            help="One proposal's runs, with its round (R1, R2, ...: each version of the "
            "offer), total and rank.",
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", metavar="DATE", help="Runs on or after this date (UTC, YYYY-MM-DD)."
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", metavar="DATE", help="Runs before this date (UTC, YYYY-MM-DD)."),
    ] = None,
    fmt: Annotated[str, _format_option(REPORT_FORMATS)] = Format.TABLE.value,
) -> None:
    """List the runs in the register, oldest first.

    Examples:

    \b
      evaluator history --programme CSS-26
      evaluator history --proposal italy
    """
    from evaluator import api
    from evaluator.register import shown
    from evaluator.render import register as words

    chosen = Format(check_choice("--format", fmt, REPORT_FORMATS))
    for name, value in (("--since", since), ("--until", until)):
        if value is not None:
            _check_date(name, value)
    where = _location(register, criteria)
    if proposal is not None:
        rounds = api.register_rounds(where, proposal)
        rounds = [
            r
            for r in rounds
            if (programme is None or r[0].programme == programme)
            and (since is None or r[0].at >= since)
            and (until is None or r[0].at < until)
        ]
        title = i18n.gettext("{proposal}: runs and rounds in {register}").format(
            proposal=proposal, register=shown(where)
        )
        text = words.render_rounds(rounds, chosen.value, _render_options(), title)
    else:
        runs = api.register_history(where, programme=programme, since=since, until=until)
        title = i18n.gettext("Runs in {register}").format(register=shown(where))
        text = words.render_runs(runs, chosen.value, _render_options(), title)
    _write_stdout(text, chosen)


def _check_date(option: str, value: str) -> None:
    from datetime import date

    try:
        date.fromisoformat(value[:10])
    except ValueError:
        raise UsageError.at(option, said.NOT_A_DATE(value=value)) from None


@app.command("show")
def show(
    run: Annotated[
        str,
        typer.Argument(help="A run: its number, or the start of its hash.", metavar="RUN"),
    ],
    register: RegisterOption = None,
    criteria: CriteriaOption = None,
    fmt: Annotated[str, _format_option(SHOW_FORMATS)] = Format.TABLE.value,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Show a stored run's result, in any format.

    JSON is the result as it was stored; another format is made again from the run's
    stored inputs (by this evaluator: `evaluator replay` says whether it computes the
    same result).

    Example:

    \b
      evaluator show 3 --format markdown
    """
    from evaluator import __version__, api
    from evaluator.cli.recording import run_again

    options = run_options(fmt, SHOW_FORMATS, output=output, force=force)
    where = _location(register, criteria)
    stored, contents = api.stored_run(where, run)
    if stored.result is None:  # a bid opening: its record is what there is
        import json  # here only: a plain run writes no JSON of its own

        text = json.dumps(stored.record, indent=2, ensure_ascii=False) + "\n"
    elif options.format is Format.JSON:
        text = stored.result
    else:
        then = str((stored.record.get("tool") or {}).get("version", "?"))
        if then != __version__:
            sys.stderr.write(
                i18n.gettext(
                    "warning: run {run} was recorded by evaluator {then}; this is {now}, "
                    "which made this {format} again from the stored inputs (`evaluator "
                    "replay {run}` compares the results)"
                ).format(run=stored.seq, then=then, now=__version__, format=options.format.value)
                + "\n"
            )
        code, text, errors = run_again(stored, contents.get, options.format.value, where)
        if code not in (0, 1):
            sys.stderr.write(errors)
            raise typer.Exit(code)
    _emit(text, options, [])


@app.command("replay")
def replay(
    run: Annotated[
        str,
        typer.Argument(help="A run: its number, or the start of its hash.", metavar="RUN"),
    ],
    register: RegisterOption = None,
    criteria: CriteriaOption = None,
) -> None:
    """Recompute a stored run and compare it with the stored result.

    Exit status 0 when the result is identical to the one stored, 1 when it differs
    (the differences are listed).

    Example:

    \b
      evaluator replay 3
    """
    from evaluator import __version__, api
    from evaluator.cli.recording import json_differences, run_again
    from evaluator.render.register import replay_text

    where = _location(register, criteria)
    stored, contents = api.stored_run(where, run)
    if stored.result is None:
        raise UsageError.at("RUN", said.OPENING_HAS_NO_RESULT(run=stored.seq))
    _code, text, errors = run_again(stored, contents.get, "json", where)
    identical = text == stored.result
    differences = [] if identical else json_differences(stored.result, text)
    if not identical and not differences:
        whole = i18n.gettext("(the whole result)")
        differences = [(whole, stored.result[:60], (text or errors)[:60])]
    _write_stdout(replay_text(stored, __version__, identical, differences))
    if not identical:
        raise typer.Exit(1)


@app.command()
def diff(
    old: Annotated[
        Path,
        typer.Argument(
            help="The offer as it was: a proposal file, or a folder of two envelopes.",
            metavar="OLD",
            show_default=False,
            readable=False,
        ),
    ],
    new: Annotated[
        Path,
        typer.Argument(
            help="The same offer revised (the next round), likewise.",
            metavar="NEW",
            show_default=False,
            readable=False,
        ),
    ],
    against: Annotated[
        list[Path] | None,
        typer.Option(
            "--against",
            "-a",
            metavar="PATH",
            help="The other offers (files and folders; repeat the option): the field OLD and "
            "NEW are ranked in and proportional rules compare with. An offer with OLD's or "
            "NEW's id is left out of it. [default: none]",
            show_default=False,
            readable=False,
        ),
    ] = None,
    criteria: CriteriaOption = None,
    panel: PanelOption = None,
    weights: WeightsOption = None,
    method: MethodOption = None,
    samples: Annotated[
        int,
        typer.Option(
            "--samples",
            min=1,
            max=1_000_000,
            metavar="N",
            help="Beyond 12 changed fields: random orders of the changes drawn to estimate "
            "each one's share (up to 12, every combination is scored: exact).",
        ),
    ] = 200,
    seed: Annotated[
        int,
        typer.Option(
            "--seed", min=0, metavar="N", help="Random seed: the same seed gives the same output."
        ),
    ] = 0,
    fmt: Annotated[str, _format_option(DIFF_FORMATS)] = Format.TABLE.value,
    output: OutputOption = None,
    force: ForceOption = False,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
) -> None:
    """What each change to an offer did to its score.

    Each changed field (old → new) and the points of the total it moved, the total
    change, and the rank among the --against offers before and after. The fields'
    points add up to the total change: they are Shapley values over the changed
    fields (each change's average effect over every order of making the changes).

    Examples:

    \b
      evaluator diff proposals/italy.yaml italy-r2.yaml --against proposals/
      evaluator diff proposals/italy.yaml italy-r2.yaml --format json
    """
    from evaluator import api
    from evaluator.render.diff import render

    options = run_options(
        fmt,
        DIFF_FORMATS,
        method=method,
        weights=weights,
        criteria=criteria,
        panel=panel,
        output=output,
        force=force,
        max_bytes=max_bytes,
    )
    framework = _load_criteria(options)
    field = against or []
    result = api.diff(
        old,
        new,
        criteria=framework,
        against=field,
        weights=options.weights,
        method=options.method,
        panel=options.panel,
        samples=samples,
        seed=seed,
        max_bytes=options.max_bytes,
    )
    _report(result.errors)
    text = render(result, options.format, _render_options())
    _emit(text, options, [old, new, *field, Path(framework.file), *options.panel_inputs])
    if result.errors:
        raise typer.Exit(1)


def _kinds(incomplete: str) -> list[str]:
    from evaluator.model.schema import KINDS

    return _choices(*KINDS)(incomplete)


@app.command("schema")
def show_schema(
    kind: Annotated[
        str,
        typer.Argument(
            help="The file kind: proposal, criteria or panel (a panel member's file).",
            metavar="KIND",
            show_default=False,
            autocompletion=_kinds,
        ),
    ],
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Print the JSON Schema of a proposal, criteria or panel file.

    For editors and other tools: the files in schema/ are this output. A file whose
    first line names the schema gets completion and checking in editors that read
    yaml-language-server comments:

    \b
      # yaml-language-server: $schema=../schema/proposal.schema.json

    Example:

    \b
      evaluator schema proposal --output schema/proposal.schema.json --force
    """
    from evaluator.model.schema import KINDS, schema_text

    check_choice("KIND", kind, KINDS)
    _emit(schema_text(kind), RunOptions(Format.JSON, output=output, force=force), [])


@app.command("new")
def new_proposal(
    file: Annotated[
        Path,
        typer.Argument(
            help="The proposal file to create (.yaml or .yml); it must not exist yet.",
            metavar="FILE",
            show_default=False,
            dir_okay=False,
        ),
    ],
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            metavar="NAME",
            help="The partner country: fills proposal.country "
            "(and proposal.id from the file name).",
        ),
    ] = None,
    criteria: CriteriaOption = None,
) -> None:
    """Write a proposal template to fill in.

    Every field, blank, with what it takes. A blank field is missing, not zero;
    fill in what the offer states, then check the file with `evaluator validate
    FILE`. A field the criteria do not score is marked as information only. An
    existing file is never overwritten.

    Example:

    \b
      evaluator new proposals/france.yaml --country France
    """
    from evaluator.cli.output import write_output
    from evaluator.errors import OutputError
    from evaluator.io.files import YAML_SUFFIXES
    from evaluator.model.template import id_from_file_name, proposal_template

    if file.suffix.lower() not in YAML_SUFFIXES:
        raise UsageError.at(str(file), said.NOT_A_YAML_NAME)
    if country is not None and not country.strip():
        raise UsageError.at("--country", said.NO_COUNTRY)
    if file.exists() or file.is_symlink():
        raise OutputError.at(str(file), said.NEW_NEVER_OVERWRITES)
    from evaluator.scoring.derive import used_fields

    framework = _load_criteria(RunOptions(criteria=criteria))
    ident = id_from_file_name(file.stem) if country is not None else None
    text = proposal_template(
        str(file),
        country=country and country.strip(),
        ident=ident,
        schema_path=_schema_reference(file),
        used=used_fields(framework),
        criteria=framework.file,
        requirements=framework.requirements,
        gettext=i18n.gettext,
    )
    write_output(file, text, inputs=[], force=False)
    sys.stderr.write(i18n.gettext("wrote {file}").format(file=file) + "\n")


def _schema_reference(file: Path) -> str:
    """Where ./schema/proposal.schema.json is, seen from the new file's folder."""
    target = Path("schema", "proposal.schema.json").resolve()
    try:
        return Path(os.path.relpath(target, file.parent.resolve())).as_posix()
    except ValueError:  # another drive (Windows): no relative path exists
        return target.as_uri()
    except (OSError, RuntimeError):  # a loop of links in the folder: name it plainly
        return "schema/proposal.schema.json"


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the app, turning every error into a message and an exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    # A run is short and builds many small objects that live to its end: the cyclic
    # collector would walk them again and again for nothing (a fifth of a large batch).
    # Reference counting still frees everything that is dropped.
    collecting = gc.isenabled()
    gc.disable()
    previous = _catch_stop_signals()
    try:
        _run(args)
    finally:
        if collecting:  # main() called in-process (tests, embedding) leaves gc as it was
            gc.enable()
        for number, handler in previous.items():  # and the signal handlers too
            signal.signal(number, handler)


# Signals that ask a run to stop (`kill`, a closed terminal). By default they end the
# process at once, leaving a half-written --output's temporary file behind; raised as an
# exception instead, they unwind the run so that every `finally` cleans up.
STOP_SIGNALS = ("SIGTERM", "SIGHUP")


class _Stopped(BaseException):
    """A stop signal arrived; not an Exception, so that nothing on the way swallows it."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


def _stop(number: int, frame: object) -> None:
    if os.getpid() != _HANDLER_PID[0]:
        # A forked worker, stopped before it put its own handlers in place: it ends as
        # any process does on the signal, quietly (an exception here would print the
        # worker's traceback on the user's terminal).
        os._exit(128 + number)
    raise _Stopped(number)


_HANDLER_PID = [os.getpid()]  # the process whose handlers turn a signal into _Stopped


def _catch_stop_signals() -> dict[int, Any]:
    """Turn the stop signals into `_Stopped`; the handlers they had, to put back."""
    previous: dict[int, Any] = {}
    _HANDLER_PID[0] = os.getpid()
    for name in STOP_SIGNALS:
        number = getattr(signal, name, None)
        if number is None:  # pragma: no cover - not on Windows
            continue
        with contextlib.suppress(ValueError):  # not the main thread (embedded): leave them
            previous[number] = signal.signal(number, _stop)
    return previous


# The command line of this run, for the audit trail of a report.
_COMMAND: list[str] = []


def _only_what_runs(args: list[str]) -> typer.Typer:
    """The app with only the command this command line runs, when it names one (after
    --debug, if given), with the root's options; else the whole app (help, a mistyped
    command, completion, the register's group). Typer builds every command's options
    before it runs one: a dozen commands' were a twentieth of a small run's time."""
    rest = args[1:] if args[:1] == ["--debug"] else args
    if not rest or os.environ.get(_COMPLETE_VAR):
        return app
    if rest == ["--version"]:  # said by the root's option before any command is looked up
        only = copy.copy(app)
        only.registered_commands, only.registered_groups = [], []
        return only
    found = [
        info
        for info in app.registered_commands
        if (info.name or typer.main.get_command_name(info.callback.__name__))  # type: ignore[union-attr]
        == rest[0]
    ]
    if len(found) != 1:
        return app
    only = copy.copy(app)
    only.registered_commands = found
    only.registered_groups = []
    return only


def _run(args: list[str]) -> None:
    _COMMAND[:] = ["evaluator", *args]
    _Session.debug = False  # until the root callback reads --debug
    completing = bool(os.environ.get(_COMPLETE_VAR))
    if completing:  # TAB was pressed: answer in typer's scripts' terms
        from typer._completion_classes import completion_init

        completion_init()
    started_without_stdout = sys.stdout is None
    if started_without_stdout:  # `>&-`: a result to print says so; --output works as ever
        sys.stdout = _ClosedStdout()
    try:
        try:
            args = take_language(args)  # --lang anywhere: the words' language from here on
            if not completing:
                args = _shell_value(args)
            # As app(...) does, with values converted without pydantic where typer's own
            # conversion would give the same (evaluator/cli/coercion.py).
            command = install(typer.main.get_command(_only_what_runs(args)))
            if i18n.language() == "en":
                command(args=args, prog_name="evaluator")
            else:  # --help and usage errors in the run's language (cli/localise.py)
                from evaluator.cli.localise import localised

                with localised(command):
                    command(args=args, prog_name="evaluator")
        finally:
            _flush_stdout()
    except EvaluatorError as exc:
        _report(on_command_line(exc))
        sys.exit(exc.exit_code)
    except _StdoutClosed as exc:  # written by typer itself (help, version)
        _report(_stdout_failure(exc).problems)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.stderr.write(i18n.gettext("interrupted") + "\n")
        sys.exit(130)
    except _Stopped as stop:  # the run unwound: no temporary file is left
        with contextlib.suppress(OSError, ValueError):  # after SIGHUP, no terminal perhaps
            name = signal.Signals(stop.number).name
            sys.stderr.write(i18n.gettext("evaluator: stopped by {signal}").format(signal=name))
            sys.stderr.write("\n")
            sys.stderr.flush()
        sys.exit(128 + stop.number)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error of ours.
        _drop_stdout()
        sys.stderr.close()
        sys.exit(0)
    except Exception as exc:
        if isinstance(exc, OSError) and _echo_failed(exc):  # typer's own writes (--help)
            _report(_stdout_failure(exc).problems)
            sys.exit(1)
        if _Session.debug:
            raise
        what = " ".join(f"{type(exc).__name__}: {exc}".split())  # one line, always
        sys.stderr.write(
            i18n.gettext(
                "evaluator: internal error ({what}). This is a bug: please report it with "
                "the command and the output of --debug (evaluator --debug COMMAND ...)."
            ).format(what=what)
            + "\n"
        )
        sys.exit(3)
    finally:
        if started_without_stdout:  # main() called in-process leaves sys.stdout as it was
            sys.stdout = None
