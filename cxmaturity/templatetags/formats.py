"""The one library for how values read on pages and PDFs: `{% load formats %}`.

Dates read in the active language as written in the client's region
(`{{ action.due_date|day:client }}`: 5 Mar 2026 in English in the UK, Mar. 5, 2026 in
the US, 5. März 2026 in German); without a client they follow the default region, so a
page never mixes orders. Money reads as the language writes its currency, ratios as
percentages, and a moment ago reads "just now"."""

from datetime import date, datetime, timedelta

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from cxmaturity import formats

register = template.Library()

JUST_NOW = timedelta(minutes=1)


@register.filter(expects_localtime=True)
def day(value: date | datetime | None, client: object = None) -> str:
    """A date, day and month in the client's region's order."""
    return date_filter(value, formats.date_format(client, "date")) if value else ""


@register.filter(expects_localtime=True)
def longday(value: date | datetime | None, client: object = None) -> str:
    """A date with the month spelt out (covers and sentences)."""
    return date_filter(value, formats.date_format(client, "long")) if value else ""


@register.filter(expects_localtime=True)
def moment(value: datetime | None, client: object = None) -> str:
    """A date and time of day."""
    return date_filter(value, formats.date_format(client, "datetime")) if value else ""


@register.filter
def ago(value: datetime | None) -> str:
    """How long ago: "just now" within the minute (never "0 minutes ago")."""
    if not value:
        return ""
    if timezone.now() - value < JUST_NOW:
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(value)}


@register.filter
def percent(value: object, digits: int = 1) -> str:
    """A ratio as a percentage: 0.306 → 30.6 %."""
    return formats.percent(value, int(digits))


@register.filter
def money(value: object, currency: object = None) -> str:
    """An amount in a currency code (`|money:campaign.currency`) or, given a client, in
    the currency of the client's region, written as there."""
    if isinstance(currency, str) and currency:
        return formats.money(value, currency)
    return formats.money(value, formats.currency_for(currency), region=currency)
