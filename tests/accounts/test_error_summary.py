"""The error summary every form starts with when shown again with errors (templates/_error_summary.html,
accounts/templatetags/form_errors.py), and the favicon the browsers ask for."""

from django import forms
from django.template.loader import render_to_string
from django.utils import translation


class _Form(forms.Form):
    name = forms.CharField(label="Name")
    day = forms.DateField(label="Day")
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Nothing fits together.")


def test_each_error_once_in_order_linking_to_its_field():
    form = _Form(data={"leave-day": "not a day"}, prefix="leave")
    with translation.override("en"):
        html = render_to_string("_error_summary.html", {"form": form})
    assert 'role="alert"' in html and 'tabindex="-1"' in html
    assert "4 things to correct: nothing was saved" in html
    # The form's own error and the hidden field's have nothing to link to; the others link to their field.
    assert "<li>Nothing fits together.</li>" in html and "<li>This field is required.</li>" in html
    assert '<a href="#id_leave-name">Name: This field is required.</a>' in html
    assert '<a href="#id_leave-day">Day: Enter a valid date.</a>' in html
    assert html.index("Nothing fits") < html.index("id_leave-name") < html.index("id_leave-day")


def test_nothing_for_a_form_without_errors_or_not_posted():
    assert render_to_string("_error_summary.html", {"form": _Form()}).strip() == ""
    valid = forms.Form(data={})
    assert valid.is_valid()
    assert render_to_string("_error_summary.html", {"form": valid}).strip() == ""
    assert render_to_string("_error_summary.html", {}).strip() == ""


def test_a_summary_in_chinese():
    with translation.override("zh-hans"):
        html = render_to_string("_error_summary.html", {"form": _Form(data={})})
    assert "未保存任何内容" in html


def test_favicon_is_a_local_static_file(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("favicon.ico")
    assert response["Location"].startswith("/static/")
