"""The technical compliance matrix in words: an answer ('compliant', 'partial',
'non-compliant'), its reference into the offer ('vol. 2, § 3.1, p. 14'), a requirement's
need and how it is verified, and what failed ('TR-01 (mandatory) non-compliant, vol. 1,
§ 2, p. 3')."""

from __future__ import annotations

from evaluator.model.compliance import Reference, Row
from evaluator.render.i18n import N_
from evaluator.render.i18n import gettext as _

# Each answer in words (translated where it is shown: `answer_word`).
ANSWERS = {
    "compliant": N_("compliant"),
    "partial": N_("partial"),
    "non_compliant": N_("non-compliant"),
}
# A requirement's need and how it is verified, in words (the criteria file's words).
NEEDS = {"mandatory": N_("mandatory"), "desirable": N_("desirable")}
VERIFICATIONS = {
    "document": N_("document"),
    "demonstration": N_("demonstration"),
    "test": N_("test"),
}


def answer_word(answer: str) -> str:
    """An answer (`compliant`, `partial`, `non_compliant`) in words."""
    return _(ANSWERS[answer])


def need_word(need: str) -> str:
    """A requirement's need (`mandatory`, `desirable`) in words."""
    return _(NEEDS[need]) if need in NEEDS else need


# A mark before the answer: met, half met, not met.
MARKS = {"compliant": "✓", "partial": "◐", "non_compliant": "✗"}


def reference_text(reference: Reference) -> str:
    """Where the offer shows it: 'vol. 2, § 3.1, p. 14' (the parts given)."""
    parts = []
    if reference.volume is not None:
        parts.append(_("vol. {volume}").format(volume=reference.volume))
    if reference.section is not None:
        parts.append(f"§ {reference.section}")
    if reference.page is not None:
        parts.append(_("p. {page}").format(page=reference.page))
    return ", ".join(parts)


def answer_text(row: Row) -> str:
    """A cell of the matrix: '✓ compliant (vol. 2, § 3.1, p. 14)'."""
    answer = row.answer.answer
    return f"{MARKS[answer]} {answer_word(answer)} ({reference_text(row.answer.reference)})"


def failure_text(row: Row) -> str:
    """A mandatory requirement not met, as a reason an offer fails: 'TR-01 (mandatory):
    non-compliant, vol. 1, § 2, p. 3'."""
    return _("{id} (mandatory): {answer}, {reference}").format(
        id=row.requirement.id,
        answer=answer_word(row.answer.answer),
        reference=reference_text(row.answer.reference),
    )


def requirement_heading(row_requirement_id: str, need: str, verified_by: str) -> str:
    """A requirement's line of the matrix: 'TR-01 (mandatory, by document)'."""
    return _("{id} ({need}, by {verified_by})").format(
        id=row_requirement_id,
        need=need_word(need),
        verified_by=_(VERIFICATIONS[verified_by]) if verified_by in VERIFICATIONS else verified_by,
    )
