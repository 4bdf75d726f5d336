"""The command line: typer commands that parse options, call the API and pick a renderer."""
