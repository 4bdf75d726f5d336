"""What is said of the files and folders a user names: found, readable, within limits,
UTF-8 text (evaluator.io.files; the folders of a batch, evaluator.scoring.batch)."""

from evaluator.messages import Template

IS_A_FOLDER = Template("is a folder, not a file")
NOT_A_REGULAR_FILE = Template("is {what}, not a regular file; only regular files are read")
# What a path that is not a regular file is (the `what` above).
A_NAMED_PIPE = Template("a named pipe (FIFO)")
A_SOCKET = Template("a socket")
A_DEVICE = Template("a device")
SOMETHING_ELSE = Template("not a file")

NO_SUCH_FILE = Template("no such file")
PERMISSION_DENIED = Template("permission denied")
CANNOT_READ = Template("cannot read: {reason}")  # the system's words for why
OVER_THE_LIMIT = Template(
    "file is {size:,} bytes, over the limit of {limit:,} (--max-bytes changes it)"
)
GREW_OVER_THE_LIMIT = Template("file is over the limit of {limit:,} bytes")

UTF_32 = Template("file is UTF-32; save it as UTF-8")
UTF_16 = Template("file is UTF-16; save it as UTF-8")
WIDE_WITHOUT_A_MARK = Template("file is {encoding} (without a byte-order mark); save it as UTF-8")
NOT_UTF_8 = Template("not valid UTF-8 (byte 0x{byte:02x}); save the file as UTF-8")
TWO_BYTE_ORDER_MARKS = Template(
    "two byte-order marks (U+FEFF) at the start of the file: save it as UTF-8 with one at most"
)
BINARY = Template("binary content (a NUL byte): not a YAML text file")

CANNOT_LIST_FOLDER = Template("cannot list the folder: {reason}")
NO_PROPOSAL_FILES = Template("no proposal files (*.yaml, *.yml) in this folder")
IN_DEFAULT_CRITERIA = Template(
    "{problem} (the default criteria file, read when no --criteria "
    "is given: fix it, remove it to use the installed copy, or give "
    "--criteria FILE)"
)
