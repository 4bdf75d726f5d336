"""What is said of a proposal file: its fields beyond their types, figures given as ranges,
industrial-collaboration activities (evaluator.model.proposal, .ranges, .icp)."""

from evaluator.messages import Template

NOT_A_PROPOSAL = Template("not a proposal: this is {other}")
# What else the file is (the `other` above), by its top-level keys.
A_JUDGEMENTS_FILE = Template("a judgements file (see `evaluator weights`)")
A_CRITERIA_FILE = Template("a criteria file (use it with --criteria)")
A_PANEL_FILE = Template("a panel member's ratings (give their folder with --panel)")

FILE_NAME_NOT_AN_ID = Template(
    "the file name {stem!r} cannot serve as an id: {rule}; give `proposal.id`"
)
EXPECTED_CURRENCY_CODE = Template("expected a three-letter ISO 4217 code such as EUR, got {value}")
LISTED_TWICE = Template("{value!r} is listed twice")
FREE_FORM_NAME = Template("a {section} name uses letters, digits and _")
FREE_FORM_VALUE = Template(
    "a {section} value is a single number, text, true/false or a range "
    "{{low, high, likely}}, not {value}"
)
CAP_WITHOUT_CAPPED_ESCALATION = Template(
    "`escalation_cap_pct` goes only with `price_basis: capped_escalation`"
)
AGENT_NAME_NEEDED = Template(
    "`intermediaries: disclosed` needs the agent's name: give `agent_name`"
)
AGENT_FEE_NEEDED = Template(
    "`intermediaries: disclosed` needs the agent's fee: give `agent_fee_pct` (% of the "
    "contract value) or `agent_fee` (the amount), preferably both"
)
AGENT_REGISTRATION_NEEDED = Template(
    "`intermediaries: disclosed` needs the agent's registration: give `agent_registration` "
    "(the registration the agent holds, e.g. with the Ministry of Finance)"
)
AGENT_WITHOUT_AGENT = Template(
    "`{field}` describes an agent, but `intermediaries` is `none`: remove it, or declare "
    "the agent with `intermediaries: disclosed`"
)
AGENT_WITHOUT_INTERMEDIARIES = Template(
    "`{field}` describes an agent: state `intermediaries: disclosed` too"
)
CURRENCY_NEEDED = Template("`pricing.currency` is needed to read `{field}`")
CURRENCY_NEEDED_FOR_ACTIVITIES = Template(
    "`pricing.currency` is needed to read the activities' values"
)
EXPECTED_ACTIVITY_TYPE = Template(
    "expected an activity type such as technology_transfer, got {value}"
)

UNKNOWN_RANGE_KEY = Template("unknown range key `{key}`{hint}")
WHAT_A_RANGE_TAKES = Template(" (a range takes `low`, `high` and, optionally, `likely`)")
RANGE_WITHOUT_BOUNDS = Template("a range needs `low` and `high`: both are missing")
RANGE_WITHOUT_BOUND = Template("a range needs `low` and `high`: `{key}` is missing")
HIGH_BELOW_LOW = Template("`high` must not be below `low` ({low}), got {high}")
LIKELY_OUTSIDE_RANGE = Template("`likely` must lie within the range {low}–{high}, got {likely}")
