"""Placeholder: filled by the demo step."""


def register() -> None:
    pass
