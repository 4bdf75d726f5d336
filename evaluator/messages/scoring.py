"""What is said of a proposal that cannot be scored, or not in this batch: a value its rule
cannot score, a missing value the criteria make an error, money without an exchange rate,
an activity without a multiplier, an id already used (evaluator.scoring.engine, .derive,
.batch; what a rule type needs, evaluator.model.rules)."""

from evaluator.messages import Template

# Why a rule cannot score a value: a rule type's `refusal`, given every argument below
# (`field`, `value` as shown, the sub-criterion `leaf` and `where`: criterion.leaf, the
# rule's `type`, and what it `needs`), which it may use or not.
CANNOT_SCORE = Template("`{field}` is {value}, but the {type} rule of `{leaf}` needs {needs}")
NOT_IN_THE_LEVELS = Template("{value} has no score in the levels of `{where}`")
# What a rule type needs (the `needs` above).
A_NUMBER = Template("a number")
A_NUMBER_NOT_BELOW_0 = Template("a number of at least 0")
A_LISTED_VALUE = Template("a listed value")
TRUE_OR_FALSE = Template("true or false")
A_LIST = Template("a list")

MISSING_FOR_RAW = Template(
    "`{field}` is missing; the {type} rule of `{where}` cannot score a missing value"
)
MISSING_IS_AN_ERROR = Template("`{field}` is missing (the criteria file says `missing: error`)")
NO_PANEL_IS_AN_ERROR = Template(
    "`{field}` is missing (no --panel given; the criteria file says `missing: error`)"
)
UNRATED_IS_AN_ERROR = Template(
    "`{field}` is missing (no panel member rated it; the criteria file says `missing: error`)"
)
RAW_IN_A_WEIGHTED_SUM = Template(
    "`{leaf}` uses a {type} rule, which the weighted sum (wsm) "
    "cannot add to scores; use --method topsis or promethee"
)

NO_EXCHANGE_RATE = Template("no exchange rate for {currency} in {file} (it has {known})")
NO_MULTIPLIER = Template(
    "no ICP multiplier for activity type `{type}` in {file}{hint}; it has {types}"
)
NO_MULTIPLIER_FOR_KIND = Template(
    "no ICP multiplier for {kind} activities of type `{type}` in {file}; it has one for {kinds}"
)

DUPLICATE_ID = Template("the id `{id}` is already used by {first}; ids must be unique")

# `diff`: a hybrid of two rounds of an offer (OLD with some of NEW's changes) the engine
# cannot score: the `fields` it takes from NEW, and the `problem`.
HYBRID_UNSCORABLE = Template("OLD with {fields} from NEW cannot be scored: {problem}")
