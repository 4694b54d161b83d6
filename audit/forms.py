from django import forms
from django.utils.translation import gettext_lazy as _

from workspaces.models import Workspace

from . import selectors
from .models import AuditAction


class AuditFilterForm(forms.Form):
    client = forms.ChoiceField(label=_("Client"), required=False)
    member = forms.ChoiceField(label=_("Member"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any action")), *AuditAction.choices]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, workspace: Workspace, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = [
            ("", _("Any client")),
            *selectors.audit_client_choices(workspace=workspace),
        ]
        self.fields["member"].choices = [
            ("", _("Anyone")),
            *selectors.audit_member_choices(workspace=workspace),
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Choose a date on or after the start date."))
        return cleaned

    def filters(self) -> dict:
        """The selector's keyword arguments, once the form is valid."""
        return {
            "client_id": self.cleaned_data["client"] or None,
            "member_id": self.cleaned_data["member"] or None,
            "action": self.cleaned_data["action"] or None,
            "date_from": self.cleaned_data["date_from"],
            "date_to": self.cleaned_data["date_to"],
        }
