from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TransactionsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Transactions (CSV)"),
        help_text=_(
            "Columns customer_id,date,amount and optionally channel; dates as YYYY-MM-DD. "
            "Pseudonymous customer ids only: no names, no email addresses."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    as_of = forms.DateField(
        label=_("Analysis date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Recency is counted to this date; later transactions are left out."),
    )
    k = forms.DecimalField(
        label=_("Defection trigger (k)"),
        initial=2,
        min_value=1,
        max_value=10,
        decimal_places=2,
        help_text=_("A customer is at risk when their silence exceeds k × their usual gap."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["as_of"].initial = timezone.localdate()


class LifetimeInputsForm(forms.Form):
    k = forms.DecimalField(label=_("Defection trigger (k)"), min_value=1, max_value=10)
    lifetime_years = forms.DecimalField(
        label=_("Expected lifetime (years)"), min_value=0.1, max_value=50
    )
    margin = forms.DecimalField(
        label=_("Margin"), min_value=0, max_value=1, help_text=_("Share of revenue kept, 0 to 1.")
    )
    cost = forms.DecimalField(label=_("Cost to acquire and serve (per customer)"), min_value=0)
    currency = forms.CharField(label=_("Currency"), max_length=3)


class ListeningUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Social listening export (CSV)"),
        help_text=_(
            "Columns date,brand,source,mentions,positive,negative,shares,reviews,rating: one "
            "row per brand, source and day or month, for the client and its competitors."
        ),
    )
    client_brand = forms.CharField(
        label=_("The client's brand, as named in the file"), max_length=120
    )
    mapping = forms.CharField(
        label=_("Column mapping (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For another tool's export, one line per column: mentions = Volume."),
    )
