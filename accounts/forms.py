from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The username or password is not correct. Both are case-sensitive."),
        "inactive": _("This account is disabled. Ask the office's administrator."),
    }


def locked_out_message() -> str:
    """What the sign-in page and the API say to a username locked out (settings: AXES_*)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return ngettext(
        "Too many failed sign-ins for this username: signing in is refused for %(minutes)d minute. "
        "Try again later, or ask the office's administrator.",
        "Too many failed sign-ins for this username: signing in is refused for %(minutes)d minutes. "
        "Try again later, or ask the office's administrator.",
        minutes,
    ) % {"minutes": minutes}
