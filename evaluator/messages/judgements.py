"""What is said of a file of pairwise judgements (AHP): its shape, a judgement off Saaty's
scale or contradicting another, a pair not judged, and judgements too inconsistent to
trust (evaluator.model.ahp)."""

from evaluator.messages import Template

NOT_A_JUDGEMENTS_FILE = Template(
    "not a judgements file: it has no `criteria:` list and `judgements:` (see docs/methods.md)"
)
LISTED_TWICE = Template("`{name}` is listed twice")
TOO_FEW_CRITERIA = Template("list at least two criteria to compare")
TOO_MANY_CRITERIA = Template(
    "at most {most} criteria: Saaty's random index (for the consistency ratio) stops there"
)
ITSELF_IS_1 = Template("`{row}` compared with itself is 1")
NOT_RECIPROCAL = Template(
    "`{row}` vs `{column}` is {given} here, but `{column}` vs `{row}` is "
    "{earlier}: one must be the reciprocal of the other; give the pair "
    "once"
)
NOT_RECIPROCAL_AT = Template(
    "`{row}` vs `{column}` is {given} here, but `{column}` vs `{row}` "
    "is {earlier} (line {line}): one must be the reciprocal of the "
    "other; give the pair once"
)
EXPECTED_RATIO = Template("expected a number from 1/9 to 9 (such as 3 or 1/3), got {value}")
OFF_THE_SCALE = Template(
    "{value} is off Saaty's scale: use 1 to 9, or 1/2 to 1/9 when the "
    "second criterion is the more important"
)
NOT_JUDGED = Template(
    "{count} pair(s) not judged: {pairs} (say how much more important the "
    "first is than the second, from 1/9 to 9)"
)
PAIR = Template("`{row}` vs `{column}`")  # an item of `pairs`
INCONSISTENT = Template(
    "warning: the judgements are inconsistent (CR {cr:.3f} is above "
    "{limit:.2f}); revisit `{row}` vs `{column}`: you gave {given}, the "
    "derived weights imply {implied}"
)
INCONSISTENT_ALIKE = Template(
    "warning: the judgements are inconsistent (CR {cr:.3f} is above "
    "{limit:.2f}); revisit `{row}` vs `{column}`: you gave {given}, the "
    "derived weights imply {implied} (as far off: {pairs})"
)
