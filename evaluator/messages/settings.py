"""What is said of a setting of the run that cannot be used: what-if weights, the method,
the spread and the counts of an analysis (`SettingError`s of evaluator.model.criteria and
evaluator.api; the command line names the option that gave the setting)."""

from evaluator.messages import Template

NO_SUCH_CRITERION = Template("no criterion `{name}`{hint}; criteria: {criteria}")
NO_SUCH_CRITERION_QUOTED = Template("no criterion {name!r}{hint}; criteria: {criteria}")
WEIGHT_OUT_OF_RANGE = Template(
    "`{name}` is {weight:g}%: a weight is a percentage of the total, from 0 to 100"
)
WEIGHTS_OVER_THE_WHOLE = Template(
    "the weights given add up to {total:g}%, more than the whole (100%)"
)
WEIGHTS_NOT_THE_WHOLE = Template(
    "with every criterion named, the weights must add up to 100% (they add up to {total:g}%)"
)

UNKNOWN_METHOD = Template("{method!r} is not one of: {methods}")
ANALYSIS_NEEDS_WEIGHTED_SUM = Template(
    "the analysis works on weighted-sum totals: compare with method wsm (or all), not {method!r}"
)
SPREAD = Template("expected a number from 0 to 1 or `full`, got {value!r}")
TOO_FEW = Template("expected {what}, at least {least}, got {value}")
# What the setting is (the `what` above).
A_NUMBER_OF_DRAWS = Template("a whole number of draws")
A_WHOLE_NUMBER = Template("a whole number")
A_NUMBER_OF_RANKS = Template("a whole number of ranks")
