"""The RFM segment names in the reader's language. rfm.py stays free of Django, so analysis
summaries store its English labels; pages and the playbook translate them when shown."""

from django.utils.translation import pgettext, pgettext_lazy

CONTEXT = "RFM segment"

# Listed so makemessages finds them (lazy: nothing is translated at import); keep in step
# with rfm.SEGMENTS and rfm.OTHER_SEGMENT.
NAMES = (
    pgettext_lazy("RFM segment", "Champions"),
    pgettext_lazy("RFM segment", "Loyal"),
    pgettext_lazy("RFM segment", "New"),
    pgettext_lazy("RFM segment", "Promising"),
    pgettext_lazy("RFM segment", "At risk"),
    pgettext_lazy("RFM segment", "Hibernating"),
    pgettext_lazy("RFM segment", "Needs attention"),
)


def segment_name(label: str) -> str:
    """A stored English segment label in the active language."""
    return pgettext(CONTEXT, label)
