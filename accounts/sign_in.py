"""The sign-in page's answer when the username is locked out (API.md "Operating"). A module of its own: the
sign-in page itself is Django's LoginView (accounts/urls.py), and django-axes calls this in its place."""

from django.shortcuts import render

from .forms import SignInForm, locked_out_message


def sign_in_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a sign-in refused for repeated failures (AXES_LOCKOUT_CALLABLE): the sign-in
    page again, saying why and for how long, with 429. The admin's sign-in gets it too."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = SignInForm(request, initial={"username": username})
    context = {"form": form, "locked_out": locked_out_message(), "next": request.POST.get("next", "")}
    return render(request, "accounts/login.html", context, status=429)
