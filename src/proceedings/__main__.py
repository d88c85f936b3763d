"""`python -m proceedings` runs the command line."""

from proceedings.cli import main

main()
