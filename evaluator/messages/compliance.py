"""What is said of requirements (in a criteria file) and of a proposal's answers to them
(its `compliance` section): evaluator.model.compliance."""

from evaluator.messages import Template

REQUIREMENT_TWICE = Template("requirement `{id}` is defined twice")
NO_SUCH_REQUIREMENT = Template(
    "no requirement `{id}` in the criteria file{hint}: it lists {requirements}"
)
NO_REQUIREMENTS = Template(
    "`{field}` reads an answer to a requirement, but the criteria file lists no `requirements`"
)
UNANSWERED = Template(
    "no answer to requirement `{id}` ({need}): every requirement of {file} is answered "
    "`compliant`, `partial` or `non_compliant`, with a reference into the offer"
)
ANSWER_TO_NO_REQUIREMENT = Template("an answer to `{id}`, which {file} does not list{hint}")
REFERENCE_NEEDED = Template(
    "a reference into the offer is needed: give at least one of `volume`, `section`, `page`"
)
REQUIREMENTS_OUTSIDE = Template(
    "`requirements` names {name!r}, which is not in the criteria file's folder: "
    "requirements files are read from there only"
)

# --- tender stages (evaluator.model.stages) --------------------------------------------------
STAGE_TWICE = Template("stage `{id}` is defined twice")
NO_SUCH_CRITERION_IN_STAGE = Template(
    "stage `{stage}` names criterion `{name}`, which the criteria file does not define{hint}"
)
NO_SUCH_GATE_IN_STAGE = Template(
    "stage `{stage}` names gate `{name}`, which the criteria file does not define{hint}"
)
CRITERION_READS_PRICE = Template(
    "stage `{stage}` reads the technical envelope, but its criterion `{name}` reads "
    "what the financial envelope holds, or a figure made from it ({fields}): score it "
    "in a financial stage (`envelope: financial`), so that no price is seen before the "
    "financial envelope is opened"
)
GATE_READS_PRICE = Template(
    "stage `{stage}` reads the technical envelope, but its gate `{name}` reads what the "
    "financial envelope holds, or a figure made from it ({fields}): check it in a financial stage "
    "(`envelope: financial`), so that no price is seen before the financial envelope is "
    "opened"
)
PASS_MARK_WITHOUT_CRITERIA = Template(
    "stage `{stage}` has a `pass_mark` but scores no criterion: give its `criteria`, or "
    "pass it on its gates alone (leave `pass_mark` out)"
)
RECOMMEND_NOT_LAST = Template(
    "only the last stage may be followed by the weighted evaluation (`recommend: true`); "
    "stage `{stage}` is not the last"
)
FINANCIAL_BEFORE_TECHNICAL = Template(
    "stage `{stage}` reads the technical envelope after a stage that opened the financial "
    "one: the financial envelope is opened last"
)

# --- two envelopes (evaluator.model.envelopes) -----------------------------------------------
PRICE_IN_TECHNICAL = Template(
    "the price goes in the financial envelope (financial.yaml beside this file), not in "
    "the technical one: a committee reading technical.yaml must not see it (the technical "
    "envelope may give `pricing.currency` only, the currency of its own money figures)"
)
OTHER_CURRENCY = Template(
    "this financial envelope is in {given}, but its technical envelope gives `pricing.currency`"
    " {technical}: one offer, one currency"
)
NO_FINANCIAL_ENVELOPE = Template(
    "no financial.yaml beside technical.yaml: the financial envelope holds `pricing`"
)
NOT_THIS_OFFER = Template(
    "this financial envelope says it is `{given}`'s, but its technical envelope is `{id}`'s"
)
