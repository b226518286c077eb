"""Coded values in words on long lists."""

from django import template

register = template.Library()


@register.filter
def choice_label(value: str, labels: dict) -> str:
    """The label of a coded value as the model's `get_<field>_display()` gives it, from `labels` (a dict
    of a TextChoices' `choices`, built once for the page): Django's method rebuilds and hashes every
    choice's lazily translated label on each call, several times a row on a list of fifty."""
    return labels.get(value, value)
