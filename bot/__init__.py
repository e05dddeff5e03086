"""Kinerja Bot: the Telegram front end and everything with I/O."""
