import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag
def days_since_contact(supervisee, today: dt.date) -> int | None:
    """Days since the last check-in, or since intake when there has been none yet."""
    if supervisee.last_contact_at:
        return (today - timezone.localtime(supervisee.last_contact_at).date()).days
    if supervisee.intake_date:
        return (today - supervisee.intake_date).days
    return None


@register.filter
def urgency(days: int | None, level: str) -> str:
    """A colour class for days without contact against the level's reporting interval (the defaults of
    PRODUCT.md; the supervision app makes these data)."""
    if days is None:
        return "muted"
    interval = {"strict": 7, "normal": 14, "lenient": 30}.get(level, 14)
    if days > interval:
        return "overdue"
    if days >= interval - 2:
        return "due"
    return "ok"


@register.simple_tag
def days_left(sentence, today: dt.date) -> int | None:
    return (sentence.end_date - today).days if sentence.end_date else None
