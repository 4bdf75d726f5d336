"""`python -m evaluator` runs the command line."""

from evaluator.cli.app import main

main()
