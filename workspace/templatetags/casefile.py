import datetime as dt

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from supervision.duties import report_urgency

register = template.Library()


URGENCY_ICONS = {"overdue": "⚠", "due": "●", "ok": "✓"}


@register.simple_tag
def due_state(due: dt.date | None, today: dt.date) -> dict[str, str]:
    """A due date in words and with its urgency class (supervision.duties.report_urgency), so that the
    page never says it by colour alone."""
    urgency = report_urgency(due, today=today)
    if due is None:
        return {"class": "muted", "words": "—", "icon": ""}
    days = (due - today).days
    if days < 0:
        words = ngettext("overdue by %(n)d day", "overdue by %(n)d days", -days) % {"n": -days}
    elif days == 0:
        words = _("due today")
    else:
        words = ngettext("due in %(n)d day", "due in %(n)d days", days) % {"n": days}
    # An icon too (hidden from screen readers, which read the words): the urgency is never colour alone.
    return {"class": urgency, "words": words, "icon": URGENCY_ICONS[urgency]}


@register.simple_tag
def days_left(sentence, today: dt.date) -> int | None:
    return (sentence.end_date - today).days if sentence.end_date else None


@register.simple_tag
def clock_state(clock) -> dict[str, str]:
    """A commission clock (corrections.commission.Clock, CCL 20) in words, with its urgency class."""
    if clock.state == "on_time":
        return {
            "class": "ok",
            "words": _("received on %(date)s, on time") % {"date": clock.received.isoformat()},
        }
    if clock.state == "late":
        return {
            "class": "due",
            "words": ngettext(
                "received on %(date)s, %(n)d day late",
                "received on %(date)s, %(n)d days late",
                clock.days_late,
            )
            % {"date": clock.received.isoformat(), "n": clock.days_late},
        }
    if clock.state == "overdue":
        return {
            "class": "overdue",
            "words": ngettext(
                "not received, overdue by %(n)d day", "not received, overdue by %(n)d days", clock.days_late
            )
            % {"n": clock.days_late},
        }
    if clock.days_left == 0:
        return {"class": "due", "words": _("not received yet, due today")}
    return {
        "class": "muted",
        "words": ngettext(
            "not received yet, due in %(n)d day", "not received yet, due in %(n)d days", clock.days_left
        )
        % {"n": clock.days_left},
    }
