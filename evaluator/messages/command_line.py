"""What the command line says of its own options and outputs: an option that does not go
with another, an output that cannot be written, a command that needs a terminal
(evaluator.cli; the option or file named is the problem's place)."""

from evaluator.messages import Template

# Options.
BOTH_WEIGHTS = Template("give --weights or --weights-file, not both")
NOT_ONE_OF = Template("{value!r} is not one of: {choices}")
WEIGHT_SYNTAX = Template(
    "expected NAME=PERCENT (a criterion id and a percentage from 0 to 100), got {part}"
)
WEIGHT_TWICE = Template("`{name}` is given twice")
WEIGHT_RANGE = Template("{part}: a weight is a percentage of the total, from 0 to 100")
WEIGHT_FRACTION = Template(
    "{part} reads like a fraction of 1, but weights are percentages of the total: for "
    "{percent}% write {name}={percent} (or {name}={number}% if you mean {mean}%)"
)
WEIGHTS_FILE_SHAPE = Template(
    "expected one key, `weights`, a mapping of criterion ids to percentages of the total "
    "(weights: {{pricing: 40}})"
)
NOT_A_CRITERION_ID = Template("`{name}` is not a criterion id")
WEIGHT_FILE_RANGE = Template(
    "`{name}`: expected a percentage of the total, from 0 to 100, got {value!r}"
)
BOM_WITHOUT_CSV = Template("goes with --format csv (a byte-order mark for Excel)")
XLSX_ON_TERMINAL = Template(
    "xlsx is a binary workbook, not for a terminal: give --output FILE "
    "(or redirect standard output to a file)"
)
TOO_MANY_DRAWS = Template(
    "{reason}: add --yes to run it anyway (it may take minutes), or draw fewer --samples"
)
SENSITIVITY_NEEDS_WSM = Template(
    "the analysis works on weighted-sum totals, not {method}: add --method wsm (or all)"
)
NOT_A_CLASSIFICATION = Template(
    "{value!r} is not a classification level: one of {levels} "
    "(or RESTRICTED, CONFIDENTIAL, SECRET, TOP SECRET)"
)
SENSITIVITY_HTML_ONLY = Template(
    "goes with --format html; for the terminal, run `evaluator sensitivity`"
)
NO_STAGES = Template("{file} has no stages")
NO_SUCH_STAGE = Template("no stage `{stage}` in {file}: its stages are {stages}")
ONE_METHOD_AT_A_TIME = Template(
    "explore shows one method at a time: wsm, topsis or promethee (m switches)"
)
NEEDS_A_TERMINAL = Template(
    "needs a terminal (standard input and output): for the ranking at some weights, "
    "run `evaluator compare --weights ...`"
)
ONLY_WSM = Template(
    "sensitivity works on weighted-sum totals, so only wsm is accepted, not {method!r}"
)
NO_RECOMMENDATION = Template(
    "the last stage of {file} has no `recommend: true`: there is no weighted evaluation to analyse"
)
NOT_A_DATE = Template("{value!r} is not a date (YYYY-MM-DD)")
OPENING_HAS_NO_RESULT = Template("run {run} is a bid opening: there is no result")
NOT_A_YAML_NAME = Template("a proposal file name ends in .yaml or .yml")
NO_COUNTRY = Template("give the country's name")
NEW_NEVER_OVERWRITES = Template(
    "already exists; `evaluator new` never overwrites a file (choose another name)"
)

# Outputs.
CANNOT_INSTALL_COMPLETION = Template("cannot install the {shell} script: {reason}")
CANNOT_WRITE_STDOUT = Template("cannot write to standard output: {reason}")
OUTPUT_NAMES_A_FOLDER = Template(
    "names a folder (it ends in '/'); give --output a file name, such as {example}"
)
CANNOT_WRITE = Template("cannot write: {reason}")
OUTPUT_IS_AN_INPUT = Template(
    "is an input file of this run; it is never overwritten (choose another --output)"
)
OUTPUT_IN_INPUT_FOLDER = Template(
    "is in the input folder {folder}, where it would be read as a proposal "
    "(choose another --output)"
)
OUTPUT_IS_A_FOLDER = Template("is a folder; give a file name to --output")
ALREADY_EXISTS = Template("already exists; add --force to replace it")
ALREADY_EXISTS_DANGLING = Template("already exists (a link to nowhere); add --force to replace it")
NO_SUCH_FOLDER = Template("the folder {folder} does not exist")
