from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Membership


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What uses it, e.g. “Nightly KPI import”."),
    )
    days = forms.IntegerField(
        label=_("Expires after (days)"),
        min_value=1,
    )
    workspace = forms.ChoiceField(label=_("Workspaces it reaches"), required=False)
    read_only = forms.BooleanField(label=_("Read-only: it may not change anything"), required=False)

    def __init__(self, *args, memberships: list[Membership], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].widget.attrs["max"] = settings.API_TOKEN_MAX_DAYS
        # Formatted per request: formatting at import would freeze the text in English.
        self.fields["days"].help_text = _("At most %(max)d days.") % {
            "max": settings.API_TOKEN_MAX_DAYS
        }
        self.fields["days"].initial = settings.API_TOKEN_DEFAULT_DAYS
        self.fields["workspace"].choices = [
            ("", _("All my workspaces")),
            *[(str(m.workspace_id), m.workspace.name) for m in memberships],
        ]


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6 digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )
