"""Use-cases: load, check who may act, apply the rules, persist, return plain data.

Services know nothing of Telegram or Jinja; handlers and the CLI call them.
"""
