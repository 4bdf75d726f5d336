"""What is said of a criteria file beyond its values' types: the tree of criteria, rules,
preferences, gates, credibility, the ICP multipliers and AHP weights it names
(evaluator.model.criteria, the parse errors of .rules, the criteria side of .icp)."""

from evaluator.messages import Template

EXPECTED_CURRENCY_CODE = Template("expected a three-letter ISO 4217 code such as MYR")
RATE_OF_ITS_OWN_CURRENCY = Template(
    "`{currency}` is the criteria currency: its rate is 1 by definition"
)
NOT_A_CURRENCY_CODE = Template("`{code}` is not a three-letter currency code")

CRITERION_DEFINED_TWICE = Template("criterion `{id}` is defined twice")
SUB_CRITERION_DEFINED_TWICE = Template("sub-criterion `{id}` is defined twice")
GATE_DEFINED_TWICE = Template("gate `{id}` is defined twice")
NO_SUCH_FIELD = Template("no proposal field `{name}`{hint}")

NO_CRITERIA = Template("list at least one criterion")
WEIGHT_AND_WEIGHTS_FROM = Template(
    "the top-level weights come from `weights_from`: remove this `weight` (or `weights_from`)"
)
SUBCRITERIA_AND_RULE = Template(
    "a criterion has either `subcriteria` or its own `field` and `rule`, not both"
)
PREFERENCE_ABOVE_SUBCRITERIA = Template(
    "`preference` goes on each sub-criterion (or on a criterion with its own `field` and `rule`)"
)
NEITHER_SUBCRITERIA_NOR_RULE = Template(
    "a criterion needs `subcriteria`, or a `field` and a `rule`"
)
NO_SUBCRITERIA = Template("list at least one sub-criterion")

USUAL_WITH_THRESHOLDS = Template(
    "the usual preference takes no thresholds; for thresholds use `type: linear`"
)
LINEAR_WITHOUT_Q = Template("the linear preference needs `q` (the indifference threshold)")
LINEAR_WITHOUT_P = Template("the linear preference needs `p` (the preference threshold)")
P_NOT_ABOVE_Q = Template(
    "`p` (preference threshold) must be more than `q` (indifference "
    "threshold); got q {q:g} and p {p:g}"
)

JUDGEMENTS_OUTSIDE = Template(
    "`{name}` is outside the criteria file's folder: `weights_from` "
    "names a judgements file beside the criteria file or in a folder "
    "below it"
)
IN_JUDGEMENTS_FILE = Template("{file}: {problem}")  # a problem of the file as a whole
JUDGEMENTS_MISS_CRITERIA = Template(
    "{file} does not fit these criteria: it has no judgements for {absent}"
)
JUDGEMENTS_WEIGH_OTHERS = Template(
    "{file} does not fit these criteria: it weighs {unknown}, not a criterion here"
)
JUDGEMENTS_DO_NOT_FIT = Template(
    "{file} does not fit these criteria: it has no judgements for "
    "{absent}; it weighs {unknown}, not a criterion here"
)
# An id in a list of them (the `absent` and `unknown` above).
NAMED = Template("`{name}`")
NAMED_WITH_HINT = Template("`{name}`{hint}")

CREDIBILITY_NEEDS_CHOICES = Template(
    "credibility needs a field with fixed values; `{field}` is a {kind} field"
)
FACTORS_MISSING = Template("`{field}` may also be {values}: give each a factor")
APPLIES_TO_EMPTY = Template(
    "list at least one sub-criterion: `applies_to: []` discounts nothing (to discount "
    "nothing, remove `credibility`)"
)
NOT_A_SUB_CRITERION = Template(
    "`{name}` is not a sub-criterion of `{criterion}`{hint}; its sub-criteria are: {leaves}"
)
LISTED_TWICE_IN_APPLIES_TO = Template("`{name}` is listed twice in `applies_to`")

GATE_ON_JUDGEMENT = Template(
    "a gate cannot test `{field}`: a panel judgement is consolidated "
    "into a score; score it in a sub-criterion"
)
ONE_TEST = Template("give exactly one of: {tests}")
TEST_AND_ANY_OF = Template("a gate has either `field` and `require`, or `any_of`, not both")
NEITHER_TEST_NOR_ANY_OF = Template("a gate needs `field` and `require`, or `any_of`")
ANY_OF_TOO_FEW = Template("list at least two alternatives in `any_of`")
BOUND_ON_OTHER_KIND = Template("`{test}` needs a numeric field; `{field}` is a {kind} field")
EMPTY_IN = Template("list at least one value: `in: []` passes no proposal")
EMPTY_NOT_IN = Template("list at least one value: `not_in: []` excludes nothing")
EXPECTED_SINGLE_VALUE = Template("expected a single value, got {value}")

RULE_NEEDS = Template("the {kind} rule needs `{name}`")
RULE_NEEDS_DIRECTION = Template("the {kind} rule needs `direction: min` or `direction: max`")
BEST_IS_WORST = Template("`best` and `worst` must differ")
JUDGEMENT_WITHOUT_LEVELS = Template(
    "`{field}` is a panel judgement: score it with a levels rule "
    "(a score for each rating), not {kind}"
)
RULE_CANNOT_SCORE = Template("a {kind} rule cannot score `{field}` ({field_kind} field)")
LEVELS_NEEDED = Template("the levels rule needs `levels: {{value: score, ...}}`")
NO_LEVELS = Template("list at least one level")
LEVELS_MISSING = Template("`{field}` may also be {values}: give each a score")
STEPS_NEEDED = Template("the steps rule needs `steps: [[threshold, score], ...]`")
STEP_SHAPE = Template("each step is [threshold, score], got {value}")
STEPS_NOT_INCREASING = Template("thresholds must be listed in increasing order")
NO_STEPS = Template("list at least one [threshold, score]")

NO_ACTIVITY_TYPES = Template("list at least one activity type with its multiplier")
EXPECTED_MULTIPLIER = Template(
    "expected a number or {{direct: x, indirect: y}} (a multiplier for each kind), got {value}"
)
NO_KINDS = Template("give `direct`, `indirect` or both, each with its multiplier")
ACTIVITY_TYPE_NAME = Template(
    "an activity type uses lower-case letters, digits and _, and starts with a letter"
)

NO_LANGUAGE_GIVEN = Template("give the text in one language at least: {languages}")
