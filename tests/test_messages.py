"""Facts in the core, words in the renderers (#16): every problem the core reports is a
template of a message table (evaluator/messages/) with its arguments, each template is
given exactly the arguments it names, and people read a problem through the render layer,
so that a second language is one more table."""

from __future__ import annotations

import ast
import importlib
import json
import pickle
import pkgutil
import re
import string
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import evaluator.messages
from evaluator.errors import InputError, Problem
from evaluator.messages import Arg, Message, Template
from evaluator.messages.files import NO_SUCH_FILE
from evaluator.messages.values import DID_YOU_MEAN, FIELD, THE_TEXT, UNKNOWN_NAME
from evaluator.model.rules import RULES
from evaluator.render import problems as render_problems
from tests.conftest import ROOT, Run

RunCli = Callable[..., Run]
PACKAGE = ROOT / "evaluator"
TABLES = {
    info.name: importlib.import_module(f"evaluator.messages.{info.name}")
    for info in pkgutil.iter_modules(evaluator.messages.__path__)
}
TEMPLATES = {
    (table, name): value
    for table, module in TABLES.items()
    for name, value in vars(module).items()
    if isinstance(value, Template)
}
TEXTS = {template.template for template in TEMPLATES.values()}
SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if p.parent.name != "messages")
# The core: every module but the command line's and the renderers'.
CORE = [p for p in SOURCES if p.relative_to(PACKAGE).parts[0] not in ("cli", "render")]
# Templates named somewhere without being called there, and the arguments of the call that
# formats them: a rule type's `refusal` (scoring.engine), the `twice` of checks.read_id.
REFUSAL = {"field", "value", "leaf", "where", "type", "needs"}
PASSED_ON = {
    ("scoring", "CANNOT_SCORE"): REFUSAL,
    ("scoring", "NOT_IN_THE_LEVELS"): REFUSAL,
    ("criteria", "CRITERION_DEFINED_TWICE"): {"id"},
    ("criteria", "SUB_CRITERION_DEFINED_TWICE"): {"id"},
    ("criteria", "GATE_DEFINED_TWICE"): {"id"},
    ("compliance", "REQUIREMENT_TWICE"): {"id"},
    ("compliance", "STAGE_TWICE"): {"id"},
}


def fields(text: str) -> set[str]:
    """The names of the arguments a template formats (`{size:,}` is `size`)."""
    names: set[str] = set()
    for _, name, spec, _ in string.Formatter().parse(text):
        if name is not None:
            names.add(re.split(r"[.\[]", name, maxsplit=1)[0])
            names |= fields(spec or "")
    return names


# --- where the tables' templates are used ------------------------------------------------

Key = tuple[str, str]  # (table, template name)


class Uses:
    """The templates one source file calls (with the names of the arguments it gives, None
    when it gives them by position or by `**`) and names without calling them."""

    def __init__(self, source: str) -> None:
        tree = ast.parse(source)
        self.names: dict[str, Key] = {}  # a template imported by name
        self.tables: dict[str, str] = {}  # a table imported as a module
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "evaluator.messages":
                self.tables.update(
                    {a.asname or a.name: a.name for a in node.names if a.name in TABLES}
                )
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "evaluator.messages."
            ):
                table = (node.module or "").rsplit(".", 1)[1]
                self.names.update(
                    {
                        a.asname or a.name: (table, a.name)
                        for a in node.names
                        if (table, a.name) in TEMPLATES
                    }
                )
        self.calls: list[tuple[Key, set[str] | None, ast.Call]] = []
        called: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                for branch in (func.body, func.orelse) if isinstance(func, ast.IfExp) else (func,):
                    key = self.template(branch)
                    if key is not None:
                        called.add(id(branch))
                        given = (
                            None
                            if node.args or any(k.arg is None for k in node.keywords)
                            else {k.arg for k in node.keywords if k.arg is not None}
                        )
                        self.calls.append((key, given, node))
        self.named = [
            (key, node.lineno)
            for node in ast.walk(tree)
            if isinstance(node, ast.Name | ast.Attribute)
            and id(node) not in called
            and (key := self.template(node)) is not None
        ]

    def template(self, node: ast.AST) -> Key | None:
        if isinstance(node, ast.Name):
            return self.names.get(node.id)
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in self.tables
        ):
            key = (self.tables[node.value.id], node.attr)
            return key if key in TEMPLATES else None
        return None


USES = {path: Uses(path.read_text(encoding="utf-8")) for path in SOURCES}


def names_of(table: str, name: str) -> set[str]:
    return fields(TEMPLATES[table, name].template)


def where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


def test_every_template_is_given_exactly_the_arguments_it_names() -> None:
    wrong = [
        f"{where(path, node.lineno)}: {name} names {sorted(names_of(table, name))}, "
        f"given {sorted(given) if given is not None else 'by position or **'}"
        for path, uses in USES.items()
        for (table, name), given, node in uses.calls
        if given != names_of(table, name)
    ]
    assert wrong == []
    assert sum(len(uses.calls) for uses in USES.values()) > 120  # the test sees the calls


def test_a_template_named_without_its_arguments_is_formatted_with_them_elsewhere() -> None:
    # Named but not called: a message as it is (no argument), or one of PASSED_ON.
    wrong = [
        f"{where(path, line)}: {name} needs {sorted(names_of(table, name))}"
        for path, uses in USES.items()
        for (table, name), line in uses.named
        if not names_of(table, name) <= PASSED_ON.get((table, name), set())
    ]
    assert wrong == []
    for rule in RULES.values():  # what a refusal is formatted with (scoring.engine._leaf)
        assert fields(rule.refusal.template) <= REFUSAL, rule.type


def test_every_template_formats_and_is_used() -> None:
    used = {
        key
        for uses in USES.values()
        for key in [k for k, _, _ in uses.calls] + [k for k, _ in uses.named]
    }
    for key, template in TEMPLATES.items():
        parsed = list(string.Formatter().parse(template.template))
        assert all(name != "" and not (name or "x").isdigit() for _, name, _, _ in parsed), (
            f"{key}: arguments are named"
        )
        # A figure where the template formats one (`{size:,}`), a word elsewhere.
        args: dict[str, Arg] = {
            name: 1 if spec else "x" for _, name, spec, _ in parsed if name is not None
        }
        assert str(template(**args)), key
        assert "\n" not in template.template, key
        assert key in used, f"{key} is in a table but nothing says it"


def test_templates_are_made_only_in_the_tables() -> None:
    made = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in SOURCES
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("Template", "Message")
    ]
    assert made == []


# --- no sentence of the core's own ---------------------------------------------------------

# The calls that make a problem, and the position of their message: Problem(file, message),
# X.at(file, message), check.report(path, message), document.problem(path, message),
# builder.fail(node, message).
_MESSAGE_AT = {"Problem": 1, "at": 1, "report": 1, "problem": 1, "fail": 1}


def _sentences(node: ast.expr) -> Iterator[ast.expr]:
    """The parts of an expression that put words together rather than name a template."""
    if isinstance(node, ast.IfExp):
        yield from _sentences(node.body)
        yield from _sentences(node.orelse)
    elif isinstance(node, ast.JoinedStr | ast.BinOp) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    ):
        yield node  # an f-string, literal text, text added to text
    elif isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "join"))
        or (isinstance(node.func, ast.Name) and node.func.id in ("str", "repr", "format"))
    ):
        yield node


def _wording(node: ast.expr) -> bool:
    """Whether an argument given to a template is words of the core's own: an f-string or
    text with a letter, or text added to text."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(re.search("[A-Za-z]", node.value))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return any(
            isinstance(side, ast.JoinedStr | ast.Constant)
            and isinstance(getattr(side, "value", ""), str)
            for side in (node.left, node.right)
        )
    return False


def sentences(source: str, name: str = "<source>") -> list[str]:
    """Where a source file makes a problem of words it put together itself."""
    found = []
    uses = Uses(source)
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = (
            func.id
            if isinstance(func, ast.Name)
            else func.attr
            if isinstance(func, ast.Attribute)
            else ""
        )
        position = _MESSAGE_AT.get(called)
        if position is not None:
            message = next(
                (k.value for k in node.keywords if k.arg == "message"),
                node.args[position] if len(node.args) > position else None,
            )
            if message is not None:
                found += [
                    f"{name}:{part.lineno}: {ast.unparse(part)}" for part in _sentences(message)
                ]
    for _, _, call in uses.calls:
        found += [
            f"{name}:{k.value.lineno}: {k.arg}={ast.unparse(k.value)}"
            for k in call.keywords
            if _wording(k.value)
        ]
    return found


def test_the_core_makes_no_problem_of_a_sentence_of_its_own() -> None:
    assert [
        s
        for path in CORE
        for s in sentences(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ] == []


@pytest.mark.parametrize(
    "source",
    [
        'check.report(path, f"unknown field `{name}`")',
        'raise InputError.at(name, "no such file")',
        'Problem(file, "cannot read: " + reason)',
        'Problem(file, message="expected {}".format(what))',
        'self.fail(node, HINT if hint else "not valid YAML")',
        "from evaluator.messages.values import UNKNOWN_NAME\n"
        'check.report(path, UNKNOWN_NAME(what="field", name=name, hint=""))',
        "from evaluator.messages import values as says\n"
        'check.report(path, says.UNKNOWN_NAME(what=FIELD, name=name, hint=f" ({name}?)"))',
    ],
)
def test_the_check_finds_a_sentence_put_together(source: str) -> None:
    assert len(sentences(source)) == 1


def test_the_check_lets_a_template_and_its_facts_pass() -> None:
    assert (
        sentences(
            "from evaluator.messages.values import UNKNOWN_NAME, FIELD\n"
            'check.report(path, UNKNOWN_NAME(what=FIELD, name=shorten(name), hint=""))\n'
            "raise InputError.at(name, NO_SUCH_FILE)\n"
        )
        == []
    )


# --- the corpus: every problem it reports, from a table ----------------------------------

CORPUS = ROOT / "tests" / "corpus"


def _from_tables(words: Message | str | Arg) -> list[str]:
    """What in a problem's words is not a template of the tables (or an argument's value)."""
    if isinstance(words, Message):
        wrong = [] if words.template in TEXTS else [words.template]
        return wrong + [w for value in words.args.values() for w in _from_tables(value)]
    if isinstance(words, tuple):
        return [w for value in words for w in _from_tables(value)]
    return []


def test_every_problem_of_the_corpus_is_a_template_of_the_tables(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Message | str] = []

    def recording(message: Message | str) -> str:
        seen.append(message)
        return str(message)

    monkeypatch.setattr(render_problems, "message_text", recording)
    lines = 0
    for path in sorted((CORPUS / "proposals").iterdir()):
        lines += len(run_cli("validate", str(path.relative_to(ROOT))).err.splitlines())
    for path in sorted((CORPUS / "criteria").iterdir()):
        lines += len(
            run_cli(
                "compare", "--criteria", str(path.relative_to(ROOT)), "proposals"
            ).err.splitlines()
        )
    assert len(seen) == lines > 150  # every line said went through the render layer
    assert [w for w in seen if not isinstance(w, Message)] == []
    assert [t for w in seen for t in _from_tables(w)] == []


# --- the mechanism --------------------------------------------------------------------------


def test_a_message_is_its_template_formatted_with_its_arguments() -> None:
    hint = DID_YOU_MEAN(name="local_content_pct")
    message = UNKNOWN_NAME(what=FIELD, name="lcoal_content_pct", hint=hint)
    assert str(message) == ("unknown field `lcoal_content_pct` (did you mean `local_content_pct`?)")
    assert message.template == "unknown {what} `{name}`{hint}"
    assert message.args == {"what": FIELD, "name": "lcoal_content_pct", "hint": hint}
    assert str(THE_TEXT(text="it's")) == 'the text "it\'s"'  # repr quoting, as before
    listed = Message("one of: {values}", {"values": ("a", THE_TEXT(text="b"), 3)})
    assert str(listed) == "one of: a, the text 'b', 3"
    assert str(NO_SUCH_FILE) == "no such file" and NO_SUCH_FILE() == NO_SUCH_FILE


def test_a_problem_says_its_message_in_english_as_before() -> None:
    problem = Problem("a.yaml", UNKNOWN_NAME(what=FIELD, name="x", hint=""), 5, 3)
    assert problem.message == "unknown field `x`"
    assert str(problem) == "a.yaml:5:3: unknown field `x`"
    assert problem.as_dict() == {
        "file": "a.yaml",
        "line": 5,
        "column": 3,
        "message": "unknown field `x`",
    }
    assert repr(problem) == (
        "Problem(file='a.yaml', message='unknown field `x`', line=5, column=3)"
    )
    plain = Problem("a.yaml", "unknown field `x`", 5, 3)  # plain text still makes one
    assert plain == problem and hash(plain) == hash(problem)
    assert str(Problem("b.yaml", NO_SUCH_FILE)) == "b.yaml: no such file"
    with pytest.raises(AttributeError):
        problem.file = "b.yaml"  # type: ignore[misc]


def test_a_problem_crosses_to_another_process_with_its_facts() -> None:
    problem = Problem(
        "a.yaml", UNKNOWN_NAME(what=FIELD, name="x", hint=DID_YOU_MEAN(name="y")), 5, 3
    )
    again = pickle.loads(pickle.dumps(InputError([problem]))).problems[0]
    assert again == problem and isinstance(again.words, Message)
    assert again.words == problem.words and again.message == problem.message


# --- a second language is one more table ------------------------------------------------------

# Bahasa Malaysia for a few templates, as #20's gettext catalogue would give them.
MALAY = {
    UNKNOWN_NAME.template: "{what} `{name}` tidak dikenali{hint}",
    FIELD.template: "medan",
    DID_YOU_MEAN.template: " (adakah maksud anda `{name}`?)",
    NO_SUCH_FILE.template: "tiada fail sedemikian",
}


def malay(message: Message | str | Arg) -> str:
    if isinstance(message, Message):
        args = {
            name: malay(value) if isinstance(value, Message | tuple) else value
            for name, value in message.args.items()
        }
        return MALAY.get(message.template, message.template).format_map(args)
    if isinstance(message, tuple):
        return ", ".join(malay(item) for item in message)
    return str(message)


def test_a_second_language_is_one_more_table(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render_problems, "message_text", malay)
    bad = "tests/corpus/proposals/unknown-field.yaml"
    assert run_cli("validate", bad).err == (
        f"{bad}:5:3: medan `lcoal_content_pct` tidak dikenali (adakah maksud anda "
        "`local_content_pct`?)\n"
    )
    assert run_cli("validate", "nowhere.yaml").err == "nowhere.yaml: tiada fail sedemikian\n"
    # The reports' lists of files not evaluated are worded the same way.
    assert "tidak dikenali" in run_cli("compare", bad, "--format", "markdown").out
    assert "tidak dikenali" in run_cli("compare", bad, "--format", "html").out
    # The JSON is the contract: its messages stay in English.
    result = run_cli("compare", bad, "--format", "json")
    errors = json.loads(result.out)["errors"]
    assert [e["message"] for e in errors] == [
        "unknown field `lcoal_content_pct` (did you mean `local_content_pct`?)"
    ]
