from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template import loader
from django.utils.translation import gettext_lazy as _

from cxmaturity.revisions import StaleRevision


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


# --- Errors from services, and edits that started from an older revision ----------------


def form_error(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form. Services name fields; one the form does
    not have becomes a message above the form. A stale revision also keeps what the
    colleague saved beside the user's input, and moves the form on to the current revision
    so saving again replaces it deliberately."""
    if isinstance(exc, StaleRevision):
        form.add_error(None, exc.messages[0])
        form.stale_rows = form_stale_rows(form, exc.current)
        form.stale_by = exc.current
        data = form.data.copy()
        data[form.add_prefix("revision")] = str(exc.current.revision)
        form.data = data
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def form_status(form: forms.BaseForm) -> int:
    """The status of a form page: 409 when a colleague's change got in first, 400 for
    other errors."""
    if getattr(form, "stale_rows", None) is not None:
        return 409
    return 400 if form.errors else 200


def _shown(field: forms.Field, value: Any) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(_shown(field, v) for v in value) or "—"
    if isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
        return str(value)
    choices = dict(getattr(field, "choices", ()) or ())
    if choices:
        return str(choices.get(value, choices.get(str(value), value)))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    return str(value)


def form_stale_rows(form: forms.BaseForm, current: Any) -> list[dict]:
    """Each visible field whose saved value differs from the user's: label, theirs, yours.
    A form may offer `current_values(current)` when its fields are not the row's."""
    values = (
        form.current_values(current)
        if hasattr(form, "current_values")
        else {name: getattr(current, name) for name in form.fields if hasattr(current, name)}
    )
    cleaned = getattr(form, "cleaned_data", {})
    rows = []
    for name, field in form.fields.items():
        if name == "revision" or name not in values or field.widget.is_hidden:
            continue
        theirs = _shown(field, values[name])
        yours = _shown(field, cleaned.get(name))
        if theirs != yours:
            rows.append({"label": field.label or name, "theirs": theirs, "yours": yours})
    return rows


class RevisionField(forms.IntegerField):
    """The revision an edit form was opened at (hidden)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, min_value=1, max_value=2**31 - 1, **kwargs)


class RevisedFormMixin:
    """For model forms of a Revised row: an edit (not an add) carries the revision it
    started from."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and not instance._state.adding:
            self.fields["revision"] = RevisionField(initial=instance.revision)
