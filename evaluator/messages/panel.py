"""What is said of a panel's folder and its members' files: the folder, a member's label,
a rating of an unknown proposal, judgement or level (evaluator.model.panel)."""

from evaluator.messages import Template

NO_SUCH_FOLDER = Template("no such folder (--panel names the folder of the panel members' files)")
NO_PANEL_FILES = Template("no panel files (*.yaml) in this folder")
LABEL_TAKEN = Template(
    "the member label `{label}` is already used by {file}; each member "
    "writes one file, under a label of their own"
)
NO_SUCH_PROPOSAL = Template("no proposal `{id}` in this run{hint}; the proposals are: {ids}")
NO_SUCH_PROPOSAL_NONE_READ = Template(
    "no proposal `{id}` in this run{hint}; the proposals are: none"
)
UNKNOWN_JUDGEMENT = Template("unknown judgement `{name}`{hint}; the criteria score: {judgements}")
UNKNOWN_JUDGEMENT_NONE_SCORED = Template(
    "unknown judgement `{name}`: the criteria in effect "
    "score no panel judgement (no `field: panel.<name>`)"
)
EXPECTED_LEVEL = Template("expected a level such as {level}, got {value}")
UNKNOWN_LEVEL = Template("unknown level {level!r} for {name}{hint}; `{leaf}` scores: {levels}")
