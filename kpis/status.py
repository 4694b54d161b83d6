"""KPI status: the pure code lives in `cxnumbers.kpi_status` (no Django, no Celery)."""

from cxnumbers.kpi_status import AT_RISK_MARGIN, DIRECTIONS, kpi_freshness, kpi_status

__all__ = ["AT_RISK_MARGIN", "DIRECTIONS", "kpi_freshness", "kpi_status"]
