"""Facts in the core, words in the renderers (#16): no module outside `evaluator/render/` and
`evaluator/cli/` composes a sentence for people about a result.

The core gives facts (values, units, rules and the case that applied, codes with their
data: evaluator.model.notes); every sentence about a result comes from the render layer's
message tables (evaluator.render.text), so that another language is one more table. The
check below reads the core's source (ast) and finds every string, plain or f-string, whose
own text holds a phrase of three words or more. What may hold one, and why:

- docstrings, and comments (which ast does not see);
- error messages: anything inside a `raise`, or in the arguments of a call that makes or
  reports a problem (`Problem`, `.problem`, `.report`, `.at`, an error class), and the
  names such a call is given (`message = ...`, `parts.append(...)`, a module constant);
  the `what=` a checker names in its messages ("unknown rule parameter"); they are
  converted to templates separately, not here (a module that then holds their table of
  templates joins `ALLOWED_FILES`);
- `Parameter(...)`: the description of a rule's parameter, for the JSON Schema;
- `ALLOWED_FILES`: the input formats described for people (the JSON Schema's descriptions,
  the field vocabulary they come from, the `new` template's comments): words about the
  files a person writes, not about a result;
- `ALLOWED_FUNCTIONS`: what a rule needs of a value, in words, for its refusal (an error
  message: see `Rule.refusal`), and the core's error-message helpers.

A pragmatic check, not a parser of English: a phrase is three words of letters separated
by spaces (or `, ; : ( ) -`), which every sentence has and no key, code or format spec
does.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from evaluator.model import notes
from evaluator.model.rules import RULES
from evaluator.render.text import evidence, rules
from evaluator.render.text import notes as words
from tests.conftest import ROOT

PACKAGE = ROOT / "evaluator"
# The layers that word things for people: everything else is the core. `messages` is the
# problems' message tables (templates the core names, worded by render/problems.py): it is
# the bottom layer only so that the core can name a template, and holds nothing else.
WORDING = ("render", "cli", "messages")
# A word, or what an f-string puts in (`_SLOT`); words separated by a space, with
# punctuation around it or not.
_SLOT = "\ufffc"
_WORD = rf"(?:[A-Za-z][A-Za-z']*|{_SLOT})"
PHRASE = re.compile(rf"{_WORD}(?:[,;:()]* [ ,;:()]*{_WORD}){{2,}}")
# Calls that make or report an error: their arguments are error messages.
ERROR_CALLS = frozenset(
    {
        "Problem",
        "problem",
        "report",
        "at",
        "EvaluatorError",
        "InputError",
        "CriteriaError",
        "UsageError",
        "SettingError",
        "OutputError",
        "ValueError",
        "TypeError",
        "RuntimeError",
        "NotImplementedError",
        "WorkerError",
        "_whole",
    }
)  # api's check of a setting: `what` it expects, for its error message
# A rule parameter's description, for the JSON Schema.
SCHEMA_CALLS = frozenset({"Parameter"})
ALLOWED_FILES = {
    "io/files.py": "error messages of reading a file (not a result's)",
    "register/store.py": "SQL: the register's schema, queries and the triggers' refusal, "
    "which the database says (never a result's words)",
    "io/strict_yaml.py": "error messages of reading YAML, libyaml's slips explained",
    "model/checks.py": "the core's error-message helpers (a value described, a hint)",
    "model/schema.py": "the JSON Schemas' descriptions of the input files",
    "model/fields.py": "the proposal vocabulary's descriptions (the schema's and template's)",
    "model/template.py": "the comments of the `new` proposal template",
}
ALLOWED_FUNCTIONS = {
    # (file, function or class attribute): why
    ("model/rules.py", "needs"): "what a rule needs of a value: its refusal's words",
    ("model/rules.py", "refusal"): "the refusal's template (an error message)",
    ("model/proposal.py", "_other_kind"): "what a file that is no proposal is, for its error",
}


def _core_modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.split("/")[0] not in WORDING:
            yield relative, path


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _inside(node: ast.AST) -> set[int]:
    return {id(child) for child in ast.walk(node)}


def _functions(tree: ast.Module) -> Iterator[ast.AST]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _error_text(tree: ast.Module) -> set[int]:
    """The nodes of error messages: raises, error calls' arguments, and what those are given."""
    exempt = _constants(tree)
    for scope in [tree, *_functions(tree)]:
        given: set[str] = set()
        for node in ast.walk(scope):
            if isinstance(node, ast.Raise):
                exempt |= _inside(node)
                given |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            elif isinstance(node, ast.Call):
                called = _name(node.func) in ERROR_CALLS | SCHEMA_CALLS
                for argument in [
                    *(node.args if called else ()),
                    *(k.value for k in node.keywords if called or k.arg == "what"),
                ]:
                    exempt |= _inside(argument)
                    given |= {n.id for n in ast.walk(argument) if isinstance(n, ast.Name)}
        if not given or scope is tree:  # the module's own: `_constants`
            continue
        # What those calls are given: `message = ...`, `parts.append(...)`, a constant, and
        # in turn what that is made of (`reason` in `message = f"... ({reason})"`).
        while True:
            more: set[str] = set()
            for node in ast.walk(scope):
                if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    if not any(isinstance(t, ast.Name) and t.id in given for t in targets):
                        continue
                elif not (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("append", "extend")
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id in given
                ):
                    continue
                exempt |= _inside(node)
                more |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            if more <= given:
                break
            given |= more
    return exempt


def _error_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """The error calls and raises in `node`, at any depth."""
    for child in ast.walk(node):
        if isinstance(child, ast.Raise) or (
            isinstance(child, ast.Call) and _name(child.func) in ERROR_CALLS
        ):
            yield child


def _constants(tree: ast.Module) -> set[int]:
    """The module's constants that some error message of it is given (`NO_PROPOSALS`)."""
    given = {
        n.id for error in _error_nodes(tree) for n in ast.walk(error) if isinstance(n, ast.Name)
    }
    exempt: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id in given for t in targets):
                exempt |= _inside(node)
    return exempt


def _allowed_functions(relative: str, tree: ast.Module) -> set[int]:
    exempt: set[int] = set()
    names = {name for file, name in ALLOWED_FUNCTIONS if file == relative}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name in names:
            exempt |= _inside(node)
        elif isinstance(node, ast.AnnAssign | ast.Assign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id in names for t in targets):
                exempt |= _inside(node)
    return exempt


def sentences(source: str, relative: str = "") -> list[tuple[int, str]]:
    """The strings of a module that hold a phrase for people, and are not exempt."""
    tree = ast.parse(source)
    exempt = _docstrings(tree) | _error_text(tree) | _allowed_functions(relative, tree)
    parts = {
        id(value)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for value in node.values
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in exempt or id(node) in parts:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else _SLOT for v in node.values)
        else:
            continue
        # Three words, two of them words (not all put in by the f-string).
        if any(len(re.findall(r"[A-Za-z]+", m.group())) >= 2 for m in PHRASE.finditer(text)):
            found.append((node.lineno, text))
    return found


def test_the_core_composes_no_sentence_for_people() -> None:
    found = [
        f"evaluator/{relative}:{line}: {text!r}"
        for relative, path in _core_modules()
        if relative not in ALLOWED_FILES
        for line, text in sentences(path.read_text(encoding="utf-8"), relative)
    ]
    assert found == [], "words for people belong in evaluator/render/text:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        # A note worded in the core, plain or formatted, is found...
        ('notes.append(f"{name} is missing: {leaf} scores 0")', True),
        ('NOTE = "scores are relative to the proposals compared"', True),
        ('def f(x):\n    return "steps: below every threshold"', True),
        # ...but not a docstring, a key, a code, or an error message and what it is given.
        ('def f():\n    """Score one proposal, given the others."""', False),
        ('data = {"credit_ratio_pct": 1, "missing_value": 2}', False),
        ('key = f"{criterion.id}.{leaf.id}"; shown = f"{value} {unit} {estimate}"', False),
        ('PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")', False),
        ('raise InputError([Problem(file, f"no exchange rate for {code} in {file}")])', False),
        ('check.report(path, "list at least one criterion")', False),
        (
            'def f():\n    message = f"`{field}` is missing (the criteria file says so)"\n'
            "    raise InputError([problem(field, message)])",
            False,
        ),
        (
            'NO_FILES = "no proposal files in this folder"\n'
            "problems.append(Problem(path, NO_FILES))",
            False,
        ),
    ],
)
def test_the_check_finds_a_sentence_and_only_a_sentence(source: str, flagged: bool) -> None:
    assert bool(sentences(source)) is flagged


# --- every fact has its words -------------------------------------------------------------


def test_every_note_warning_and_derivation_code_has_words() -> None:
    assert set(words.NOTES) == {*notes.RUN_NOTES, *notes.WARNINGS}
    assert set(evidence.DERIVATIONS) == set(notes.DERIVATIONS)
    assert set(evidence.ABSENCES) == set(notes.ABSENCES)


def test_every_rule_type_has_words() -> None:
    for name in RULES:
        assert name in rules.DESCRIPTIONS, f"render/text/rules.py has no description of {name}"
        assert name in rules.REASONS, f"render/text/rules.py has no reason of {name}"
