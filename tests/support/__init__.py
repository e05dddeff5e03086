"""Test helpers: fakes at the Telegram boundary, update factories, data factories."""
