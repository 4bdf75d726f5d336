"""Input and output: strict YAML from disk with the place of every value, file discovery
and its limits, and results written atomically. Knows files, not proposals."""
