"""What is said of a value that is not what its place takes: the wrong type, out of
bounds, an unknown name, a missing one (evaluator.model.checks, and ids: model.fields)."""

from evaluator.messages import Template

# A value as a message shows it (`describe`); true and false are shown as YAML writes them.
NOTHING = Template("nothing (null)")
THE_TEXT = Template("the text {text!r}")
THE_NUMBER = Template("the number {number}")
A_LIST = Template("a list")
A_MAPPING = Template("a mapping")

# What the names of a mapping are (the `what` of the messages below).
FIELD = Template("field")
SECTION = Template("section")
KEY = Template("key")
VALUE = Template("value")
CURRENCY = Template("currency")
CRITERION_KEY = Template("criterion key")
SUB_CRITERION_KEY = Template("sub-criterion key")
PREFERENCE_KEY = Template("preference key")
GATE_KEY = Template("gate key")
CONDITION_KEY = Template("condition key")
REQUIREMENT = Template("requirement")
RULE_PARAMETER = Template("rule parameter")
KIND_RULE_PARAMETER = Template("{kind} rule parameter")
LEVEL = Template("level")
ACTIVITY_TYPE = Template("activity type")
ACTIVITY_KIND = Template("activity kind")
PANEL_SETTING = Template("panel setting")
PROPOSAL = Template("proposal")
JUDGEMENT = Template("judgement")
CRITERION_ID = Template("criterion id")

EXPECTED_MAPPING = Template("expected a mapping of {what}s, got {value}")
UNKNOWN_NAME = Template("unknown {what} `{name}`{hint}")
MISSING_REQUIRED = Template("missing required {what} `{name}`")
MISSING_REQUIRED_IN = Template("missing required {what} `{name}` in `{path}`")
DID_YOU_MEAN = Template(" (did you mean `{name}`?)")
# A word of an earlier version: the hint names the word that replaced it, and why.
RENAMED_LOA = Template(
    " (renamed `{new}`: LOA is read in Malaysian procurement as the Letter of Acceptance, "
    "not the US Letter of Offer and Acceptance)"
)

MUST_NOT_BE_EMPTY = Template("must not be empty")
EXPECTED_TEXT = Template("expected text, got {value}")
EXPECTED_TEXT_NOT_QUOTED = Template(
    "expected text, got {value} (put it in quotes to keep it as text)"
)

EXPECTED_NUMBER = Template("expected a number, got {value}{hint}")
WITHOUT_QUOTES = Template(" (write it without quotes)")
THOUSANDS = Template(" (separate thousands with `_`, as in 120_000_000, or not at all)")
WITHOUT_PERCENT = Template(" (write the number without '%': {number})")
FIGURE_IN_FULL = Template(" (write the figure in full, as in {figure})")
FIGURE_ALONE = Template(
    " (write the figure alone, as in {figure}; the currency goes in `pricing.currency`)"
)
FIGURE_ALONE_IN_FULL = Template(
    " (write the figure alone and in full, as in {figure}; the currency goes in `pricing.currency`)"
)
EXPECTED_FINITE = Template("expected a finite number, got {value}")
EXPECTED_WHOLE = Template("expected a whole number, got {value}")
AT_LEAST = Template("must be at least {minimum}, got {value}")
AT_MOST = Template("must be at most {maximum}, got {value}")
MORE_THAN = Template("must be more than {bound}, got {value}")

EXPECTED_BOOLEAN = Template("expected true or false, got {value}{hint}")
ONLY_TRUE_AND_FALSE = Template(" (only true and false are booleans)")
YAML_11_BOOLEAN = Template(" (write true or false: {value} is read as text)")

UNKNOWN_VALUE = Template("unknown value {value!r}{hint}; expected one of: {allowed}")
EXPECTED_ONE_OF = Template("expected one of: {allowed}; got {value}")
INVALID_DATE = Template("not a valid date: {value!r} ({reason})")  # Python's words for why
EXPECTED_DATE = Template("expected a date as YYYY-MM-DD, got {value}")
EXPECTED_LIST = Template("expected a list, got {value}")

ID_START = Template(
    "an id starts with a letter or _, not {character!r} (then letters, digits, _ and -)"
)
ID_CHARACTERS = Template("an id uses letters, digits, _ and - only, not {character!r}")

MORE_PROBLEMS = Template("… and {count:,} more problems (fix those above first)")
