"""Who may take an action at all: the role alone, checked before anything else (docs/roles.md principle 2).

A `RoleRule` names the roles that may take one action on some case (record a check-in, decide a
measure, answer a referral...). It is declared beside the service that carries the rest of that rule
(e.g. `supervision/services/measures.py` `DECIDE_MEASURES`) and read twice, from the same object:

- by the API, through `role_permission(rule)`, a DRF permission class on the view: DRF checks
  permissions in `APIView.initial()`, before the handler parses the body or looks up a record;
- by the pages, through the `role_required(rule)` decorator on the view that takes the form's POST.

Any other role gets 403 whatever the request says, before its body is validated and before the record it
names is looked up: the refusal follows from the role alone, so it reveals nothing about any case (a 404
there would be no safer, and a 400 would make the caller fix a body it may never send). A role in the rule
goes on as before: 404 for a record outside its scope, 403 for a visible record it may not change (the
service says why), 400 for bad input, 409 for a state that forbids it.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission


# Compared and hashed by identity (eq=False): each rule is one module-level object, and its lazy message
# must not be translated to be hashed.
@dataclass(frozen=True, eq=False)
class RoleRule:
    roles: frozenset[str]
    # What the refused caller reads (translated): it names the action, never a case.
    refusal: str | Promise
    # A city bureau's account is refused every write by default; True for an action on the user's own
    # things (their reminder settings), which changes no district's record.
    city_level: bool = False

    def allows(self, user) -> bool:
        return (
            bool(getattr(user, "is_authenticated", False))
            and getattr(user, "role", None) in self.roles
            and (self.city_level or not getattr(user, "is_city_level", False))
        )

    def refusal_for(self, user) -> str | Promise:
        if getattr(user, "is_authenticated", False) and getattr(user, "is_city_level", False):
            return CITY_LEVEL_REFUSAL
        return self.refusal

    def check(self, user) -> None:
        if not self.allows(user):
            raise PermissionDenied(self.refusal_for(user))


# A city bureau's supervisor reads every district of the city and its statistics, and changes nothing:
# each case is the district's, whose offices and bureau act on it (docs/roles.md#the-city-level). Every
# write names its roles with a RoleRule, so refusing here refuses every write, before the body is read.
CITY_LEVEL_REFUSAL = _(
    "A city bureau's account reads the districts' cases and statistics; changes are made in the district."
)


@functools.cache
def role_permission(rule: RoleRule) -> type[BasePermission]:
    """A DRF permission class for a view whose writes follow `rule`; its reads (GET, HEAD, OPTIONS) are left
    to scoping. Put it after `IsAuthenticated`, so that a missing credential is still 401."""

    class RoleMayWrite(BasePermission):
        message = rule.refusal

        def has_permission(self, request, view) -> bool:
            if request.method in SAFE_METHODS or rule.allows(request.user):
                return True
            self.message = rule.refusal_for(request.user)
            return False

    RoleMayWrite.rule = rule  # read by tests/test_permission_matrix.py: every write endpoint has one
    return RoleMayWrite


def role_required(rule: RoleRule) -> Callable:
    """For a page's POST view, under `login_required` and `require_POST`: 403 before the form is read or
    the record looked up."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            rule.check(request.user)
            return view(request, *args, **kwargs)

        wrapper.role_rule = rule
        return wrapper

    return decorator
