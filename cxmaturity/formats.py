"""How numbers, money and dates read: in the active language (the reader's on pages, the
client's in its documents, which render inside `translation.override(client.language)`)
as it is written in the client's region (an ISO 3166 country code).

Dates and numbers come from Django's locale formats for `<language>-<region>` (falling
back to the language's own), currencies from Babel (CLDR): no format is built by hand
here. Plain functions, no models: `workspaces.models.Client` takes its region choices
from here, the `formats` template tag library wraps the rest for pages and PDFs, and
Python that writes sentences (finding texts) calls them directly, so every place reads
alike."""

from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, get_territory_currencies
from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

DEFAULT_REGION = "GB"

# code → name; the countries consultancies using this work in.
REGIONS: dict[str, str] = {
    "AT": _("Austria"),
    "AU": _("Australia"),
    "BE": _("Belgium"),
    "CA": _("Canada"),
    "CH": _("Switzerland"),
    "CZ": _("Czechia"),
    "DE": _("Germany"),
    "DK": _("Denmark"),
    "ES": _("Spain"),
    "FI": _("Finland"),
    "FR": _("France"),
    "GB": _("United Kingdom"),
    "IE": _("Ireland"),
    "IT": _("Italy"),
    "LU": _("Luxembourg"),
    "NL": _("Netherlands"),
    "NO": _("Norway"),
    "NZ": _("New Zealand"),
    "PL": _("Poland"),
    "PT": _("Portugal"),
    "SE": _("Sweden"),
    "US": _("United States"),
}
REGION_CHOICES = sorted(REGIONS.items(), key=lambda c: str(c[1]))

# The filters' kinds → Django's locale format names.
DATE_FORMATS = {"date": "DATE_FORMAT", "long": "DATE_FORMAT", "datetime": "DATETIME_FORMAT"}


def region_of(value: object) -> str:
    """The region code of a client (anything with `.region`) or of a code; the default
    for anything else, so a page without a client still reads one way."""
    code = getattr(value, "region", value)
    return code if isinstance(code, str) and code in REGIONS else DEFAULT_REGION


def date_format(value: object, kind: str = "date") -> str:
    """The `date` filter's format for the active language as written in the region of
    `value` (a client or a code): "j M Y" in English in the UK, "j. F Y" in German."""
    language = translation.get_language() or "en"
    return get_format(DATE_FORMATS[kind], lang=f"{language}-{region_of(value).lower()}")


def currency_for(value: object) -> str:
    """The currency a client in this region pays in (CLDR's current tender)."""
    return get_territory_currencies(region_of(value))[0]


def percent(ratio: float | Decimal | None, digits: int = 1) -> str:
    """A ratio (0.306) as people read it: "30.6 %" (a no-break space keeps the sign on
    the number's line); "—" for no value."""
    if ratio is None or ratio == "":
        return "—"
    return f"{floatformat(Decimal(str(ratio)) * 100, f'{digits}g')}\u00a0%"


def babel_locale(region: object = None) -> str:
    """The active language as written in a region (de_CH), or the language alone where
    CLDR has no such pair."""
    language = (translation.get_language() or "en").split("-")[0]
    pair = f"{language}_{region_of(region)}" if region is not None else language
    try:
        return str(Locale.parse(pair))
    except (UnknownLocaleError, ValueError):
        return language


def money(amount: float | Decimal | None, currency: str, region: object = None) -> str:
    """An amount with its currency as the active language writes it (in the client's
    region, given one): "£1,200.00", "1.234,50 €", "1 234,50 €"; "—" for none."""
    if amount is None or amount == "":
        return "—"
    return format_currency(Decimal(str(amount)), currency, locale=babel_locale(region))
