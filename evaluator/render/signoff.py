"""The sign-off: each panel member's name, role, declaration of no conflict of interest,
and the lines they sign and date, in words shared by the table, Markdown and HTML.

The members sign in the order of their roles (the chair, the members, the secretary),
then by label. Without a panel there is no member to sign, and no sign-off.
"""

from __future__ import annotations

from dataclasses import dataclass

from evaluator.render.i18n import N_
from evaluator.render.i18n import gettext as _
from evaluator.scoring.results import Comparison

# Marked for translation (N_), translated where used (`_()`): in the run's language.
SIGN_OFF_TITLE = N_("Sign-off")
SIGN_OFF_INTRO = N_(
    "Each member of the committee signs and dates below, having declared no conflict of "
    "interest in any offer evaluated."
)
NAME_LABEL = N_("Name")
ROLE_LABEL = N_("Role")
DECLARATION_LABEL = N_("Declaration")
SIGNATURE_LABEL = N_("Signature")
DATE_LABEL = N_("Date")
BLANK = "_" * 28  # a line to sign on, or to write on by hand
ROLE_WORDS = {"chair": N_("Chair"), "member": N_("Member"), "secretary": N_("Secretary")}
NO_DECLARATION = N_("none: no declaration of no conflict of interest (a finding)")


@dataclass(frozen=True, slots=True)
class SignOff:
    """One member's block: who, in what role, what they declared."""

    label: str
    name: str  # the name given, else a blank line to write it on
    role: str  # the role in words, else a blank line
    declaration: str  # the declaration in words, or NO_DECLARATION
    declared_on: str | None  # the declaration's date (ISO), None: no declaration


def sign_offs(comparison: Comparison) -> list[SignOff]:
    """A block per panel member, in signing order (none without a panel)."""
    panel = comparison.panel
    if panel is None:
        return []
    blocks = []
    for member in sorted(panel.members, key=lambda m: m.order):
        declaration = member.declaration
        blocks.append(
            SignOff(
                member.label,
                member.name or BLANK,
                _(ROLE_WORDS[member.role]) if member.role in ROLE_WORDS else BLANK,
                _(NO_DECLARATION)
                if declaration is None
                else _("declared on {date}: “{text}”").format(
                    date=declaration.date.isoformat(), text=declaration.text
                ),
                None if declaration is None else declaration.date.isoformat(),
            )
        )
    return blocks


def member_heading(block: SignOff) -> str:
    """'Member A' for the label A: how a block is headed."""
    return _("Member {label}").format(label=block.label)


def declarations_line(comparison: Comparison) -> str:
    """The terminal's one sentence: each member's role and declaration date (or none)."""
    parts = []
    for block in sign_offs(comparison):
        role = "" if block.role == BLANK else f", {block.role.lower()}"
        when = (
            _("no declaration")
            if block.declared_on is None
            else _("declared {date}").format(date=block.declared_on)
        )
        parts.append(f"{block.label}{role} ({when})")
    return _("Declarations of no conflict of interest: {members}.").format(members="; ".join(parts))
