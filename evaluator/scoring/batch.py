"""A batch of proposal files: which files, each one read or the problems that stop it, and
one proposal per id. Shared by the ordinary path (`api.load_proposals`) and the worker
processes (scoring.parallel), so that both read a batch the same way."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from evaluator.errors import InputError, Problem
from evaluator.io.files import discover, display_path, load_document
from evaluator.messages.files import NO_PROPOSAL_FILES
from evaluator.messages.scoring import DUPLICATE_ID
from evaluator.model.criteria import Criteria, free_form_fields, is_free_form, unmet_field_notes
from evaluator.model.envelopes import is_envelopes, load_technical, open_financial
from evaluator.model.notes import Note
from evaluator.model.proposal import Proposal, parse_proposal

NO_PROPOSALS = NO_PROPOSAL_FILES  # said of a folder that holds none
# Told (files done, files in all) after each file, e.g. to draw a progress bar.
FileCallback = Callable[[int, int], None]


def proposal_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """The proposal files of `paths` (as `loading.discover` finds them), and a problem for
    each folder that holds none: comparing nothing there is most likely a wrong folder."""
    files: list[Path] = []
    problems: list[Problem] = []
    named: set[str] = set()
    for path in paths:
        found = _envelopes(path) or list(discover([path]))
        if not found:  # only a folder can come out empty
            problems.append(Problem(display_path(path), NO_PROPOSALS))
        for file in found:  # a file named twice (`proposals proposals/a.yaml`) is read once
            text = os.fspath(file)
            if text not in named:
                named.add(text)
                files.append(file)
    return files, problems


def _envelopes(path: Path) -> list[Path]:
    """An offer in two envelopes (a folder holding technical.yaml), or a folder's offers in
    two envelopes and its files (each a single-file offer)."""
    if is_envelopes(path):
        return [path]
    try:
        folders = sorted(p for p in path.iterdir() if is_envelopes(p)) if path.is_dir() else []
    except OSError:
        return []
    return [*folders, *discover([path])] if folders else []


def load_or_problems(
    path: Path, max_bytes: int, sealed: bool = False
) -> Proposal | tuple[Problem, ...]:
    """One proposal file read and checked, or the problems that stop it. An offer in two
    envelopes (a folder) is read whole, unless `sealed`: then its financial envelope is not
    opened (a staged run opens it when the offer reaches the financial stage)."""
    try:
        if is_envelopes(path):
            technical = load_technical(path, max_bytes)
            return technical if sealed else open_financial(technical, max_bytes)
        return parse_proposal(load_document(path, max_bytes))
    except InputError as exc:
        return exc.problems


def same_file(first: str, second: str) -> bool:
    """Whether two file names (as the problems show them) name one file on disk: given
    twice, spelt differently (`./a/../a/x.yaml`, a link), it is one proposal, read once."""
    try:
        return os.path.samefile(first, second)
    except (OSError, ValueError):
        return False


class Ids:
    """The proposals' ids in file order: the first file that gives an id keeps it."""

    def __init__(self) -> None:
        self.first: dict[str, str] = {}  # id -> the file that gave it first

    def take(self, ident: str, file: str) -> bool | str:
        """True for an id not given before (now `file`'s); False for the same file named
        again (it counts once); else the file that has the id: `file` is a duplicate."""
        first = self.first.get(ident)
        if first is None:
            self.first[ident] = file
            return True
        return False if same_file(first, file) else first


def duplicate_problem(proposal: Proposal, first: str) -> Problem:
    """A proposal whose id the proposal in file `first` already has: it is left out."""
    return proposal.problem("proposal.id", DUPLICATE_ID(id=proposal.id, first=first))


def free_form_notes(criteria: Criteria, given: Sequence[Mapping[str, Any]]) -> list[Note]:
    """`model.unmet_field_notes` for a run's proposals, each given by its values (or the
    names among them); none when there are no proposals."""
    fields = free_form_fields(criteria)
    if not fields or not given:
        return []
    return unmet_field_notes(
        fields, {name for values in given for name in values if is_free_form(name)}
    )
