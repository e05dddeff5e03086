"""Keyboards shown to people; their labels come from the templates."""

from __future__ import annotations

from telegram import KeyboardButton, ReplyKeyboardMarkup

from bot.render import Renderer


def share_contact(renderer: Renderer, language: str) -> ReplyKeyboardMarkup:
    """One big button that shares the person's own phone number with the bot."""
    button = KeyboardButton(renderer.label(language, "share_contact"), request_contact=True)
    return ReplyKeyboardMarkup(
        [[button]],
        resize_keyboard=True,
        one_time_keyboard=True,
        input_field_placeholder=renderer.label(language, "share_contact_hint"),
    )
