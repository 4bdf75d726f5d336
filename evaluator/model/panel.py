"""Evaluation panels: the members' files and the criteria file's `panel:` settings.

Some things are judged, not measured: a partner's sincerity, the realism of a schedule.
Each panel member writes one file rating the proposals; a criteria sub-criterion scores a
judgement with `field: panel.<name>` and a `levels` rule. Here: reading the criteria's
`panel:` settings and the members' files, with located problems. Consolidating the
members' ratings into one score is evaluator.scoring.consensus. See docs/panels.md.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evaluator.errors import InputError, Problem
from evaluator.io.files import DEFAULT_MAX_BYTES, discover, display_path, load_document
from evaluator.io.strict_yaml import PathKey
from evaluator.messages import Message
from evaluator.messages.panel import (
    EXPECTED_LEVEL,
    LABEL_TAKEN,
    NO_PANEL_FILES,
    NO_SUCH_FOLDER,
    NO_SUCH_PROPOSAL,
    NO_SUCH_PROPOSAL_NONE_READ,
    UNKNOWN_JUDGEMENT,
    UNKNOWN_JUDGEMENT_NONE_SCORED,
    UNKNOWN_LEVEL,
)
from evaluator.messages.values import JUDGEMENT, KEY, PANEL_SETTING, PROPOSAL
from evaluator.model.checks import Checker, describe, shorten, suggestion
from evaluator.model.rules import Levels

if TYPE_CHECKING:
    from evaluator.model.criteria import Criteria

SECTION = "panel"
PREFIX = f"{SECTION}."
AGGREGATES = ("median", "mean")
DEFAULT_AGGREGATE = "median"
# Two steps apart on a five-level scale 25 points apart (good against marginal): one step
# is the ordinary difference between careful readers, two is a real disagreement.
DEFAULT_DISAGREEMENT = 50.0
_JUDGEMENT_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_FILE_KEYS = ("member", "ratings", "name", "role", "declaration")
_REQUIRED_KEYS = ("member", "ratings")
_DECLARATION_KEYS = ("date", "text")
# A member's place on the committee, in the order a sign-off lists them; the Malay names
# (glossary: Pengerusi, Ahli, Setiausaha) are read as these.
ROLES = ("chair", "member", "secretary")
_MALAY_ROLES = {"pengerusi": "chair", "ahli": "member", "setiausaha": "secretary"}
_SETTINGS_KEYS = ("aggregate", "disagreement")


def is_judgement(name: str) -> bool:
    """Whether a field name is a panel judgement (`panel.sincerity`)."""
    return name.startswith(PREFIX) and bool(_JUDGEMENT_NAME.match(name[len(PREFIX) :]))


def judgement_name(name: str) -> str:
    """`sincerity` for `panel.sincerity`."""
    return name[len(PREFIX) :]


@dataclass(frozen=True, slots=True)
class PanelSettings:
    """How the criteria file consolidates members' scores, and when they disagree."""

    aggregate: str = DEFAULT_AGGREGATE  # median | mean
    disagreement: float = DEFAULT_DISAGREEMENT  # points between highest and lowest score


def read_settings(check: Checker, raw: Any) -> PanelSettings:
    """The `panel` section of a criteria file; the defaults when it has none."""
    if raw is None:
        return PanelSettings()
    body = check.mapping((SECTION,), raw, _SETTINGS_KEYS, what=PANEL_SETTING)
    if body is None:
        return PanelSettings()
    how = DEFAULT_AGGREGATE
    if body.get("aggregate") is not None:
        how = check.choice((SECTION, "aggregate"), body["aggregate"], AGGREGATES) or how
    threshold = DEFAULT_DISAGREEMENT
    if body.get("disagreement") is not None:
        number = check.number((SECTION, "disagreement"), body["disagreement"], above=0, maximum=100)
        threshold = threshold if number is None else float(number)
    return PanelSettings(how, threshold)


@dataclass(frozen=True, slots=True)
class Declaration:
    """A member's declaration of no conflict of interest: when, and in their words."""

    date: date
    text: str


@dataclass(frozen=True, slots=True)
class Member:
    """One panel member's file: their label and their ratings; for the sign-off, their
    name, role and declaration of no conflict of interest (each None when not given)."""

    label: str
    file: str
    sha256: str
    ratings: Mapping[str, Mapping[str, str]]  # proposal id -> judgement -> level
    name: str | None = None
    role: str | None = None  # one of ROLES
    declaration: Declaration | None = None

    @property
    def order(self) -> tuple[int, str]:
        """Where the member signs: the chair first, the secretary last, then by label."""
        rank = ROLES.index(self.role) if self.role in ROLES else ROLES.index("member")
        return rank, self.label


@dataclass(frozen=True, slots=True)
class DroppedRating:
    """A rating in a member's file that could not be read: left out, the rest kept."""

    member: str
    file: str
    line: int | None
    proposal: str
    judgement: str | None  # None: every rating of the proposal (its entry is unusable)


@dataclass(frozen=True, slots=True)
class Panel:
    """The members whose files could be read, ordered by label, and the ratings in them
    that could not (each is also a problem of the run)."""

    folder: str
    members: tuple[Member, ...] = ()
    dropped: tuple[DroppedRating, ...] = ()

    def ratings(self, proposal: str, judgement: str) -> list[tuple[str, str]]:
        """(member, level) for each member who rated this judgement of this proposal."""
        return [
            (m.label, m.ratings[proposal][judgement])
            for m in self.members
            if judgement in m.ratings.get(proposal, {})
        ]


def judgements(criteria: Criteria) -> dict[str, list[tuple[str, Levels]]]:
    """Each judgement the criteria score, with the sub-criteria (and levels) scoring it."""
    found: dict[str, list[tuple[str, Levels]]] = {}
    for criterion, leaf in criteria.leaves():
        if is_judgement(leaf.field) and isinstance(leaf.rule, Levels):
            found.setdefault(judgement_name(leaf.field), []).append(
                (f"{criterion.id}.{leaf.id}", leaf.rule)
            )
    return found


# --- reading the members' files -----------------------------------------------------------


def load_panel(
    folder: Path,
    criteria: Criteria,
    proposals: Collection[str],
    *,
    unreadable: Collection[str] = (),
    other_proposals: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[Panel, list[Problem]]:
    """Read every panel file in `folder`; a file with any problem counts for nothing.

    `proposals` are the ids of the run: a rating for any other id is an error, unless
    the id is among `unreadable` (proposals whose files failed, already reported) or
    `other_proposals` is true (`score FILE` scores one proposal of a panel's set).
    """
    shown = display_path(folder)
    if not folder.exists():
        return Panel(shown), [Problem(shown, NO_SUCH_FOLDER)]
    files = list(discover([folder]))
    if not files:
        return Panel(shown), [Problem(shown, NO_PANEL_FILES)]
    scored = judgements(criteria)
    problems: list[Problem] = []
    members: dict[str, Member] = {}
    dropped: list[DroppedRating] = []
    for path in files:
        try:
            member, bad = _read_member(
                load_document(path, max_bytes),
                scored,
                proposals,
                unreadable,
                other_proposals,
                members,
            )
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        members[member.label] = member
        problems.extend(problem for problem, _ in bad)
        dropped.extend(rating for _, rating in bad)
    ordered = tuple(sorted(members.values(), key=lambda m: m.label))
    return Panel(shown, ordered, tuple(dropped)), problems


# A rating that could not be read: its problem, and what was left out.
_Bad = tuple[Problem, DroppedRating]


def _read_member(
    document: Any,
    scored: Mapping[str, list[tuple[str, Levels]]],
    proposals: Collection[str],
    unreadable: Collection[str],
    other_proposals: bool,
    earlier: Mapping[str, Member],
) -> tuple[Member, list[_Bad]]:
    """A member's file and the ratings in it that could not be read. A problem with the
    file itself (its shape, the label) loses the whole file: InputError. A problem with one
    rating (a mistyped level, an unknown proposal or judgement) loses that rating only."""
    check = Checker(document)
    top = check.mapping((), document.data, _FILE_KEYS, required=_REQUIRED_KEYS, what=KEY)
    label = None
    if top is not None and top.get("member") is not None:
        label = _label(check, top["member"], earlier)
    name, role, declaration = _sign_off(check, top or {})
    ratings: dict[str, dict[str, str]] = {}
    rating_check = _RatingChecker(document)  # problems of single ratings: lose only them
    if top is not None and top.get("ratings") is not None:
        body = check.mapping(("ratings",), top["ratings"], None, what=PROPOSAL)
        if body is not None:
            ratings = _read_ratings(
                rating_check, body, scored, proposals, unreadable, other_proposals
            )
    if check.problems:
        check.problems.extend(rating_check.problems)
        check.raise_if_any()
    assert label is not None  # required, and a bad one was reported
    bad = [
        (problem, DroppedRating(label, document.file, problem.line, *where))
        for problem, where in zip(rating_check.problems, rating_check.subjects, strict=True)
    ]
    member = Member(label, document.file, document.sha256, ratings, name, role, declaration)
    return member, bad


def _sign_off(
    check: Checker, top: Mapping[str, Any]
) -> tuple[str | None, str | None, Declaration | None]:
    """A member's `name`, `role` and `declaration` (each optional)."""
    name = role = None
    if top.get("name") is not None:
        name = check.text(("name",), top["name"])
        name = name.strip() if name else None
    if top.get("role") is not None:
        raw = top["role"]
        written = " ".join(raw.split()).lower() if isinstance(raw, str) else raw
        role = check.choice(("role",), _MALAY_ROLES.get(written, written), ROLES)
    declaration = None
    if top.get("declaration") is not None:
        body = check.mapping(
            ("declaration",),
            top["declaration"],
            _DECLARATION_KEYS,
            required=_DECLARATION_KEYS,
            what=KEY,
        )
        if body is not None and body.get("date") is not None and body.get("text") is not None:
            day = check.day(("declaration", "date"), body["date"])
            text = check.text(("declaration", "text"), body["text"])
            if day is not None and text:
                declaration = Declaration(day, " ".join(text.split()))
    return name, role, declaration


def _label(check: Checker, raw: Any, earlier: Mapping[str, Member]) -> str | None:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = str(raw)  # `member: 3` is a label like any other
    label = check.text(("member",), raw)
    if label is None:
        return None
    label = label.strip()
    if label in earlier:
        check.report(("member",), LABEL_TAKEN(label=shorten(label), file=earlier[label].file))
        return None
    return label


class _RatingChecker(Checker):
    """A Checker that also notes which rating each problem is about: (proposal, judgement),
    the judgement None for a proposal's whole entry."""

    def __init__(self, document: Any) -> None:
        super().__init__(document)
        self.subjects: list[tuple[str, str | None]] = []

    def report(self, path: PathKey, message: Message, *, key: bool = False) -> None:
        """Record the problem, and the rating at `path` (`ratings.PROPOSAL[.JUDGEMENT]`)."""
        super().report(path, message, key=key)
        self.subjects.append((str(path[1]), None if len(path) < 3 else str(path[2])))


def _read_ratings(
    check: Checker,
    body: dict[str, Any],
    scored: Mapping[str, list[tuple[str, Levels]]],
    proposals: Collection[str],
    unreadable: Collection[str],
    other_proposals: bool,
) -> dict[str, dict[str, str]]:
    ratings: dict[str, dict[str, str]] = {}
    for proposal, given in body.items():
        path: PathKey = ("ratings", proposal)
        if proposal not in proposals:
            if proposal not in unreadable and not other_proposals:
                shown, hint = shorten(proposal), suggestion(proposal, proposals)
                check.report(
                    path,
                    NO_SUCH_PROPOSAL(id=shown, hint=hint, ids=tuple(sorted(proposals)))
                    if proposals
                    else NO_SUCH_PROPOSAL_NONE_READ(id=shown, hint=hint),
                    key=True,
                )
            continue
        if given is None:  # `italy:` with nothing under it: not rated
            continue
        levels = check.mapping(path, given, None, what=JUDGEMENT)
        for name, level in (levels or {}).items():
            rating = _rating(check, (*path, name), name, level, scored)
            if rating is not None:
                ratings.setdefault(proposal, {})[name] = rating
    return ratings


def _rating(
    check: Checker,
    path: PathKey,
    name: str,
    level: Any,
    scored: Mapping[str, list[tuple[str, Levels]]],
) -> str | None:
    if name not in scored:
        if scored:
            check.report(
                path,
                UNKNOWN_JUDGEMENT(
                    name=shorten(name), hint=suggestion(name, scored), judgements=tuple(scored)
                ),
                key=True,
            )
        else:
            check.report(path, UNKNOWN_JUDGEMENT_NONE_SCORED(name=shorten(name)), key=True)
        return None
    if level is None:  # `sincerity: null`: the member abstains
        return None
    if not isinstance(level, str):
        check.report(
            path, EXPECTED_LEVEL(level=scored[name][0][1].levels[0][0], value=describe(level))
        )
        return None
    for leaf, rule in scored[name]:
        if rule.lookup(level) is None:
            allowed = [lv for lv, _ in rule.levels]
            check.report(
                path,
                UNKNOWN_LEVEL(
                    level=shorten(level),
                    name=name,
                    hint=suggestion(level, allowed),
                    leaf=leaf,
                    levels=tuple(allowed),
                ),
            )
            return None
    return level
