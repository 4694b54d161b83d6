"""Engagement value: the pure code lives in `cxnumbers.engagement` (no Django, no Celery)."""

from cxnumbers.engagement import engagement_value

__all__ = ["engagement_value"]
