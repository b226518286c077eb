"""Placeholder: filled by the duties step."""


def register() -> None:
    pass
