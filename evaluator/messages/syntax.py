"""What is said of a file that is not YAML as evaluator reads it: the syntax, the
characters, the keys, the values written (evaluator.io.strict_yaml)."""

from evaluator.messages import Template

EMPTY = Template("the file is empty")
STRAY_BYTE_ORDER_MARK = Template(
    "a byte-order mark (U+FEFF) inside the file: were two files pasted together? Remove it"
)
CONTROL_CHARACTER_IN_FILE = Template(
    "a control character (U+{code:04X}) is not allowed in a YAML file"
)
TOO_DEEP = Template("nested more than {depth} levels deep")
# libyaml's own words for what it found (`problem`), and where (`context`).
NOT_VALID_YAML = Template("not valid YAML: {problem}")
NOT_VALID_YAML_IN = Template("not valid YAML: {problem} ({context})")

# libyaml's words for the usual slips, said as what the user most likely did.
MISPLACED_COLON = Template(
    "not valid YAML: a ':' where none can be: check the indentation, "
    "and put text holding ': ' in quotes"
)
MISALIGNED = Template("not valid YAML: the indentation does not line up with the keys above")
KEY_WITHOUT_COLON = Template(
    "not valid YAML: a key without ':' (or text running on to the next line: put it in quotes)"
)
UNCLOSED = Template(
    "not valid YAML: the file ends inside a quoted text or a [list] or {{mapping}}: close it"
)
UNCLOSED_LIST = Template("not valid YAML: a [list] is not closed with ']' (or an item lacks a ',')")
UNCLOSED_MAPPING = Template(
    "not valid YAML: a {{mapping}} is not closed with '}}' (or an entry lacks a ',')"
)

KEY_TOO_LONG = Template(
    "not valid YAML: a key longer than {limit:,} characters, YAML's limit: shorten it"
)
KEY_INDENTED_LESS = Template(
    "not valid YAML: this key is indented less than the keys after "
    "it (line {line}): the keys of one mapping start in the same "
    "column"
)
KEY_INDENTED_MORE = Template(
    "not valid YAML: this key is indented more than the keys after "
    "it (line {line}): the keys of one mapping start in the same "
    "column"
)
FIRST_KEY_INDENTED = Template(
    "not valid YAML: the first key is indented: top-level keys start in column 1"
)
TAB = Template("a tab character: YAML indents with spaces only")
DUPLICATE_ANCHOR = Template(
    "the anchor &{name} is defined twice (first at line {line}): give each anchor a name of its own"
)
DUPLICATE_ANCHOR_SOMEWHERE = Template(
    "the anchor &{name} is defined twice: give each anchor a name of its own"
)
ITEM_MISALIGNED = Template(
    "not valid YAML: this list item does not line up with the first one "
    "(line {line}): each `-` of a list starts in the same column"
)
KEY_MISALIGNED = Template(
    "not valid YAML: this key does not line up with the one above it "
    "(line {line}): the keys of one mapping start in the same column"
)
SECOND_DOCUMENT = Template("a file holds one document; found a second one (remove the '---')")
UNDEFINED_ALIAS = Template("an alias (*name) with no anchor (&name) before it")
COLON_WITHOUT_KEY_YAML = Template("not valid YAML: a ':' with no key before it")
CANNOT_START_A_VALUE = Template(
    "not valid YAML: {character!r} cannot start a value: put the text in quotes"
)

# Composed, but not plain data.
TOO_MANY_VALUES = Template(
    "the document expands to far more values than it has characters: "
    "aliases (*name) repeat too much"
)
TAG_NOT_ALLOWED = Template(
    "the tag {tag} is not allowed (only plain YAML values: text, "
    "numbers, true/false, lists and mappings)"
)
RECURSIVE_ALIAS = Template("a recursive alias (a value that contains itself)")
UNSUPPORTED_NODE = Template("unsupported YAML node")
COLON_WITHOUT_KEY = Template("a ':' with no key before it")
KEY_NOT_TEXT = Template("a key must be text, not {key!r}; put it in quotes if you mean text")
KEY_NOT_TEXT_BUT_COLLECTION = Template(
    "a key must be text, not 'a list or mapping'; put it in quotes if you mean text"
)
DUPLICATE_KEY = Template("duplicate key '{key}' (first at line {line})")
MERGE_NOT_A_MAPPING = Template(
    "`<<` merges a mapping into this one: give it an alias of a "
    "mapping (<<: *defaults) or a list of them"
)
MERGE_INTO_ITSELF = Template(
    "`<<` merges a mapping into itself (the alias names a mapping this one is part of): remove it"
)
INVISIBLE_CHARACTER = Template("an invisible character (U+{code:04X}) in text: remove it")
INVISIBLE_CHARACTER_NAMED = Template(
    "an invisible character (U+{code:04X} {name}) in text: remove it"
)
CONTROL_CHARACTER = Template("a control character (U+{code:04X}) in text: remove it")
NOT_NULL = Template("{value!r} is not null")
NOT_TRUE_OR_FALSE = Template("{value!r} is not true or false (only true and false are booleans)")
UNDERSCORE_MISPLACED = Template(
    "{value!r} is not a number as written: `_` goes only between "
    "digits, as in 1_000_000 (put it in quotes if you mean text)"
)
NOT_A_WHOLE_NUMBER = Template("{value!r} is not a whole number")
NOT_A_NUMBER = Template("{value!r} is not a number")
TOO_SMALL = Template("the number {value} is too small to tell from 0")
TOO_LARGE = Template("the number {value} is too large (the limit is 10^18)")
