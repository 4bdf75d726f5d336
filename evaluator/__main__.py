"""`python -m evaluator` runs the command line."""

from evaluator.cli import main

main()
