"""A proposal template to fill in: every field of the field table, blank, with what it takes.

A blank field is null, and null means missing: so the template reads as a proposal
that states nothing yet, and `evaluator validate` names only the required fields
still to fill in (`proposal.country`, `pricing.currency`).
"""

from __future__ import annotations

import json
import re
import textwrap
import unicodedata
from collections.abc import Callable, Collection, Sequence

from evaluator.model import fields, icp
from evaluator.model.compliance import ANSWERS, SECTION, Requirement
from evaluator.model.fields import N_, FieldSpec
from evaluator.model.schema import SECTION_DESCRIPTIONS, field_help

DEFAULT_SCHEMA_PATH = "../schema/proposal.schema.json"
_WIDTH = 88
_ID_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
# Plain YAML words a country name must not be taken for (our reader and others').
_YAML_WORDS = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"})

# The header's words (English, the msgids; the `new` template shows them in the run's
# language: `proposal_template(gettext=...)`), then the two commands, their labels aligned.
_HEADER = N_("""\
A proposal for evaluator: one offer from one partner government.

Fill in what the offer states and leave the rest blank: a blank field is missing,
not zero, and the criteria file decides how a missing value scores (`missing:`).
`proposal.country` and `pricing.currency` are required; a section you do not need
may be deleted, except `proposal`. Numbers may group digits with _ (120_000_000).
An estimate may be a range: {low: 110_000_000, high: 140_000_000, likely: 120_000_000}.""")
_CHECK = N_("Check the file:")
_SCORE = N_("Score it:")

# Example values for the commented-out ICP activity, by key of evaluator.model.icp.ACTIVITY_KEYS.
_ACTIVITY_EXAMPLE = {
    "type": "technology_transfer",
    "description": N_("Hull-module production know-how for a local yard"),
    "value": "40_000_000",
    "local": "true",
    "kind": "direct",
    "beneficiary": N_("the Malaysian company or institution that receives it"),
    "uplift": "false",
}
# The examples that are words (the others are a name, a number or true/false).
_TRANSLATED_EXAMPLES = frozenset({"description", "beneficiary"})


def id_from_file_name(stem: str) -> str | None:
    """An id for a proposal file named `stem`: lower case, accents dropped, the rest as -."""
    letters = unicodedata.normalize("NFKD", stem.lower())
    letters = "".join(c for c in letters if not unicodedata.combining(c))
    ident = re.sub(r"[^a-z0-9_-]+", "-", letters).strip("-")
    return ident if _ID_PATTERN.match(ident) else None


def yaml_text(value: str) -> str:
    """`value` as a YAML scalar that every reader takes for this exact text."""
    plain = re.fullmatch(r"[^\W\d_][\w .'()-]*", value) is not None
    if plain and value == value.strip() and value.lower() not in _YAML_WORDS:
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def _comment(text: str, indent: str) -> list[str]:
    return textwrap.wrap(
        text,
        _WIDTH - len(indent) - 2,
        initial_indent=f"{indent}# ",
        subsequent_indent=f"{indent}#   ",
        break_on_hyphens=False,
    )


Words = Callable[[str], str]  # an English phrase (a msgid) in the run's language


def _same(text: str) -> str:
    return text


# Said of a field that the criteria in effect do not read.
UNSCORED_NOTE = N_("not scored by {criteria}: information only")
# The criteria's name when they have none (the defaults read from no file).
THE_CRITERIA = N_("the criteria")


def _field_lines(spec: FieldSpec, value: str | None, note: str, gettext: Words) -> list[str]:
    text = field_help(spec, gettext=gettext)
    if note:
        text = gettext("{help}; {note}").format(help=text, note=note)
    lines = _comment(text, "  ")
    lines.append(f"  {spec.key}:" + (f" {value}" if value is not None else ""))
    return lines


# Said above the compliance section, when the criteria in effect list requirements.
COMPLIANCE_NOTE = N_(
    "Required by {criteria}: an answer to each of its requirements ({answers}) and "
    "where the offer shows it (at least one of volume, section, page)."
)


# A requirement's need and how it is verified, in words (as the compliance matrix says them).
_NEEDS = {"mandatory": N_("mandatory"), "desirable": N_("desirable")}
_VERIFICATIONS = {
    "document": N_("document"),
    "demonstration": N_("demonstration"),
    "test": N_("test"),
}


def _word(words: dict[str, str], value: str, gettext: Words) -> str:
    return gettext(words[value]) if value in words else value


def _compliance_lines(
    requirements: Sequence[Requirement], criteria: str, gettext: Words
) -> list[str]:
    """The `compliance` section: each requirement of the criteria, blank, to answer."""
    lines = _comment(
        gettext(COMPLIANCE_NOTE).format(
            criteria=criteria or gettext(THE_CRITERIA), answers=", ".join(ANSWERS)
        ),
        "",
    )
    lines.append(f"{SECTION}:")
    for requirement in requirements:
        lines += _comment(
            gettext("{id} ({need}, verified by {verified_by}): {text}").format(
                id=requirement.id,
                need=_word(_NEEDS, requirement.need, gettext),
                verified_by=_word(_VERIFICATIONS, requirement.verified_by, gettext),
                text=requirement.text,
            ),
            "  ",
        )
        lines += [
            f"  {yaml_text(requirement.id)}:",
            "    answer:",
            "    reference: {volume: , section: , page: }",
        ]
    return lines


def _section_description(section: str, gettext: Words) -> str:
    description = SECTION_DESCRIPTIONS.get(section)
    return section if description is None else gettext(description)


def _activities_lines(section: str, gettext: Words) -> list[str]:
    lines = _comment(
        gettext("{description} Uncomment the section to list the activities offered.").format(
            description=_section_description(section, gettext)
        ),
        "",
    )
    lines += [f"# {section}:", "#   activities:"]
    for i, key in enumerate(icp.ACTIVITY_KEYS):
        lead = "#     - " if i == 0 else "#       "
        example = _ACTIVITY_EXAMPLE.get(key, "")
        if key in _TRANSLATED_EXAMPLES:
            example = gettext(example)
        lines.append(f"{lead}{key}: {example}".rstrip())
    return lines


def _technical_lines(section: str, gettext: Words) -> list[str]:
    lines = _comment(
        gettext("{description} Uncomment to use.").format(
            description=_section_description(section, gettext)
        ),
        "",
    )
    return [*lines, f"# {section}:", "#   range_nm: 3500"]


def _header(file: str, gettext: Words) -> list[str]:
    """The header's lines: what the file is, then the commands that check and score it."""
    labels = (gettext(_CHECK), gettext(_SCORE))
    width = max(len(label) for label in labels) + 2
    commands = (f"evaluator validate {file}", f"evaluator score {file}")
    return [
        *gettext(_HEADER).splitlines(),
        "",
        *(f"{label:<{width}}{command}" for label, command in zip(labels, commands, strict=True)),
    ]


def proposal_template(
    file: str,
    *,
    country: str | None = None,
    ident: str | None = None,
    schema_path: str = DEFAULT_SCHEMA_PATH,
    used: Collection[str] | None = None,
    criteria: str = "",
    requirements: Sequence[Requirement] = (),
    gettext: Words = _same,
) -> str:
    """The text of a new proposal file named `file`: every field blank but those given.

    With `used` (the fields the criteria file `criteria` reads), each other field is
    marked as information only, so that nobody fills it in thinking it counts. With the
    criteria's `requirements`, a `compliance` section lists each, its answer and
    reference blank (the criteria require them). The comments are English, or in the
    words `gettext` gives for each English phrase (the CLI passes the run's language);
    names, keys, values and commands stay as they are.
    """
    given = {"proposal.id": ident, "proposal.country": country}
    note = gettext(UNSCORED_NOTE).format(criteria=criteria or gettext(THE_CRITERIA))
    lines = [f"# yaml-language-server: $schema={schema_path}"]
    for line in _header(file, gettext):
        lines.append(f"# {line}".rstrip())
    for section, specs in fields.SECTIONS.items():
        lines += ["", f"{section}:"]
        for spec in specs.values():
            value = given.get(spec.name)
            unscored = (
                used is not None
                and spec.name not in used
                and section != "proposal"
                and spec.name != "pricing.currency"
            )
            lines += _field_lines(
                spec,
                None if value is None else yaml_text(value),
                note if unscored else "",
                gettext,
            )
    if requirements:
        lines += ["", *_compliance_lines(requirements, criteria, gettext)]
    for section in fields.ACTIVITY_SECTIONS:
        lines += ["", *_activities_lines(section, gettext)]
    for section in fields.FREE_FORM_SECTIONS:
        lines += ["", *_technical_lines(section, gettext)]
    return "\n".join(lines) + "\n"
