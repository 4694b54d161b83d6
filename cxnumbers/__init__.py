"""The numbers of cxmaturity, pure: ../shared/SCORING.md is the contract.

Maturity scoring, engagement value, KPI status and the one rounding rule. Nothing here
imports Django or Celery (tests/test_architecture.py holds that), so the numbers can be
checked, benchmarked or reused without the site.
"""
