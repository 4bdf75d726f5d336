"""Shared fixtures: the project's paths, and a way to run the CLI as a user would."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from evaluator.cli.app import main

ROOT = Path(__file__).resolve().parent.parent
PROPOSALS = ROOT / "proposals"
DEFAULT_CRITERIA = ROOT / "criteria" / "default.yaml"


@dataclass
class Run:
    """What one CLI invocation printed, and its exit status."""

    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Run]:
    """Run `evaluator ARGS` in the project root, colour off, 100 columns wide."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")

    def run(*args: str, cwd: Path | None = None) -> Run:
        if cwd is not None:
            os.chdir(cwd)
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run
