"""The error summary at the top of a form shown again with its errors (templates/_error_summary.html)."""

from django import template

register = template.Library()


@register.filter
def error_items(source) -> list[dict]:
    """Each error once, in the form's order: {"field": the bound field to link to, or None, "message"}.

    `source` is a form, or a list already in that shape (corrections.forms.RegistrationForm's
    error_summary, which the registration page passes). An error of a hidden field has nothing to link
    to, so it is listed without a link, like the form's own (non-field) errors."""
    if not source:
        return []
    if isinstance(source, list | tuple):
        return list(source)
    if not getattr(source, "is_bound", False) or not source.errors:
        return []
    items = [{"field": None, "message": message} for message in source.non_field_errors()]
    for field in source:
        for message in field.errors:
            items.append({"field": None if field.is_hidden else field, "message": message})
    return items
