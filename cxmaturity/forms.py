from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.http import HttpRequest
from django.template import loader
from django.utils.translation import gettext_lazy as _


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The sign-in name as axes counts failures: case-insensitive, like the login itself."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(username).strip().lower()


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose email goes out through the worker, like every other email."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict,
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from workspaces.tasks import email_send

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        email_send.delay_on_commit(subject=subject, body=body, to=[to_email])
