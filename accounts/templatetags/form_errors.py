"""The error summary at the top of a form shown again with its errors (templates/_error_summary.html)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def error_summary_items(context) -> list[dict]:
    """Each error of the include's `form` once, in the form's order: {"field": the bound field to link
    to, or None, "message"}; or, without a form, the include's `errors`, a list already in that shape
    (corrections.forms.RegistrationForm.error_summary, which the registration page passes).

    An error of a hidden field has nothing to link to, so it is listed without a link, like the form's
    own (non-field) errors."""
    form = context.get("form")
    if not form:
        errors = context.get("errors")
        return list(errors) if isinstance(errors, list | tuple) else []
    if not getattr(form, "is_bound", False) or not form.errors:
        return []
    items = [{"field": None, "message": message} for message in form.non_field_errors()]
    for field in form:
        for message in field.errors:
            items.append({"field": None if field.is_hidden else field, "message": message})
    return items
