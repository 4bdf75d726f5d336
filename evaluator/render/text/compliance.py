"""The technical compliance matrix in words: an answer ('compliant', 'partial',
'non-compliant'), its reference into the offer ('vol. 2, § 3.1, p. 14'), a requirement's
need and how it is verified, and what failed ('TR-01 (mandatory) non-compliant, vol. 1,
§ 2, p. 3')."""

from __future__ import annotations

from evaluator.model.compliance import Reference, Row

ANSWERS = {"compliant": "compliant", "partial": "partial", "non_compliant": "non-compliant"}
# A mark before the answer: met, half met, not met.
MARKS = {"compliant": "✓", "partial": "◐", "non_compliant": "✗"}


def reference_text(reference: Reference) -> str:
    """Where the offer shows it: 'vol. 2, § 3.1, p. 14' (the parts given)."""
    parts = []
    if reference.volume is not None:
        parts.append(f"vol. {reference.volume}")
    if reference.section is not None:
        parts.append(f"§ {reference.section}")
    if reference.page is not None:
        parts.append(f"p. {reference.page}")
    return ", ".join(parts)


def answer_text(row: Row) -> str:
    """A cell of the matrix: '✓ compliant (vol. 2, § 3.1, p. 14)'."""
    answer = row.answer.answer
    return f"{MARKS[answer]} {ANSWERS[answer]} ({reference_text(row.answer.reference)})"


def failure_text(row: Row) -> str:
    """A mandatory requirement not met, as a reason an offer fails: 'TR-01 (mandatory):
    non-compliant, vol. 1, § 2, p. 3'."""
    answer = ANSWERS[row.answer.answer]
    return f"{row.requirement.id} (mandatory): {answer}, {reference_text(row.answer.reference)}"


def requirement_heading(row_requirement_id: str, need: str, verified_by: str) -> str:
    """A requirement's line of the matrix: 'TR-01 (mandatory, by document)'."""
    return f"{row_requirement_id} ({need}, by {verified_by})"
