"""Obligations per State Party, extensions, completions and alerts (see the app README)."""
