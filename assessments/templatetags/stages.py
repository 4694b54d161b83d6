"""Stage and phase names in the reader's language, for the pages that print the English
names results carry."""

from django import template

from assessments.display import stage_label as _stage_label

register = template.Library()


@register.filter
def stage_label(name: str | None) -> str | None:
    return _stage_label(name)
