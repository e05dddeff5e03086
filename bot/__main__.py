"""`python -m bot` is the `kinerja` command."""

from bot.cli import main

main()
