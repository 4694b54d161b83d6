"""How numbers, money and dates read, and what a client's region (an ISO 3166 country
code) decides of it: the order of day and month, and the currency.

Plain functions, no models: `workspaces.models.Client` takes its region choices from
here, the `formats` template tag library wraps the rest for pages and PDFs, and Python
that writes sentences (finding texts) calls them directly, so every place reads alike."""

from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

DEFAULT_REGION = "GB"

# code → (name, currency (ISO 4217)); the countries consultancies using this work in.
REGIONS: dict[str, tuple[str, str]] = {
    "AT": (_("Austria"), "EUR"),
    "AU": (_("Australia"), "AUD"),
    "BE": (_("Belgium"), "EUR"),
    "CA": (_("Canada"), "CAD"),
    "CH": (_("Switzerland"), "CHF"),
    "CZ": (_("Czechia"), "CZK"),
    "DE": (_("Germany"), "EUR"),
    "DK": (_("Denmark"), "DKK"),
    "ES": (_("Spain"), "EUR"),
    "FI": (_("Finland"), "EUR"),
    "FR": (_("France"), "EUR"),
    "GB": (_("United Kingdom"), "GBP"),
    "IE": (_("Ireland"), "EUR"),
    "IT": (_("Italy"), "EUR"),
    "LU": (_("Luxembourg"), "EUR"),
    "NL": (_("Netherlands"), "EUR"),
    "NO": (_("Norway"), "NOK"),
    "NZ": (_("New Zealand"), "NZD"),
    "PL": (_("Poland"), "PLN"),
    "PT": (_("Portugal"), "EUR"),
    "SE": (_("Sweden"), "SEK"),
    "US": (_("United States"), "USD"),
}
REGION_CHOICES = sorted(
    ((code, name) for code, (name, _c) in REGIONS.items()), key=lambda c: str(c[1])
)

# Where the month comes before the day; everywhere else reads day-month-year.
MONTH_FIRST = {"US"}

# Django date formats (the `date` filter's letters), by order.
DATE_FORMATS = {
    "day_first": {"date": "j M Y", "long": "j F Y", "datetime": "j M Y, H:i"},
    "month_first": {"date": "M j, Y", "long": "F j, Y", "datetime": "M j, Y, g:i A"},
}

CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def region_of(value: object) -> str:
    """The region code of a client (anything with `.region`) or of a code; the default
    for anything else, so a page without a client still reads one way."""
    code = getattr(value, "region", value)
    return code if isinstance(code, str) and code in REGIONS else DEFAULT_REGION


def date_format(value: object, kind: str = "date") -> str:
    order = "month_first" if region_of(value) in MONTH_FIRST else "day_first"
    return DATE_FORMATS[order][kind]


def currency_for(value: object) -> str:
    """The currency a client in this region pays in."""
    return REGIONS[region_of(value)][1]


def percent(ratio: float | Decimal | None, digits: int = 1) -> str:
    """A ratio (0.306) as people read it: "30.6 %" (a no-break space keeps the sign on
    the number's line); "—" for no value."""
    if ratio is None or ratio == "":
        return "—"
    return f"{floatformat(Decimal(str(ratio)) * 100, f'{digits}g')}\u00a0%"


def money(amount: float | Decimal | None, currency: str) -> str:
    """An amount with its currency: "£1,200.00", "€80.50", "CHF 1,200.00"; "—" for none."""
    if amount is None or amount == "":
        return "—"
    number = floatformat(amount, "2g")
    symbol = CURRENCY_SYMBOLS.get(currency)
    if symbol is None:
        return f"{currency}\u00a0{number}"
    return f"-{symbol}{number[1:]}" if number.startswith("-") else f"{symbol}{number}"
