from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from cxmaturity.forms import RevisedFormMixin

from .models import WORKSPACE_ROLES, Client, ClientRole, Role, Workspace


class ClientForm(RevisedFormMixin, forms.ModelForm):
    class Meta:
        model = Client
        fields = ["name", "industry", "size_band", "region", "language", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"notes": _("Context for your team: sponsors, scope, history.")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Left out (a script's post), the service picks the workspace's usual country.
        self.fields["region"].required = False
        self.fields["language"].required = False


class ClientSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    archived = forms.BooleanField(label=_("Show archived clients"), required=False)


class WorkspaceForm(forms.Form):
    name = forms.CharField(label=_("Workspace name"), max_length=120)


class BrandingForm(forms.ModelForm):
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG or SVG, at most 1 MB. Appears on playbook PDFs."),
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg,.svg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    class Meta:
        model = Workspace
        fields = ["name", "accent_colour"]
        widgets = {"accent_colour": forms.TextInput(attrs={"type": "color"})}
        help_texts = {"accent_colour": _("Used for headings and charts on playbooks.")}


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=WORKSPACE_ROLES, initial=Role.CONSULTANT)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class ConsultantClientsForm(forms.Form):
    """An owner limits a consultant to the clients of their engagements."""

    assigned_clients_only = forms.BooleanField(
        label=_("Only the clients assigned below"),
        required=False,
        help_text=_("Unticked, the consultant reaches every client of the workspace."),
    )
    clients = forms.ModelMultipleChoiceField(
        label=_("Assigned clients"),
        queryset=Client.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, workspace: Workspace, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = Client.objects.filter(
            workspace=workspace, archived=False
        ).order_by("name")


class ClientInviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    client_role = forms.ChoiceField(
        label=_("Client role"), choices=ClientRole.choices, initial=ClientRole.VIEWER
    )


class ClientRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Client role"), choices=ClientRole.choices)


class InvitationSignUpForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict:
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            from .models import User

            try:
                password_validation.validate_password(
                    p1, User(email=self.email, name=cleaned.get("name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned
