"""Strategy plans, their steps and KPIs, built through the kpis services: a factory row is
one the app itself could have saved (default engagement categories, positions, parents of
the same plan, KPI numbers a status can be rated from)."""

import datetime

import factory

from kpis.inputs import ItemInput, KPIInput
from kpis.models import (
    KPI,
    DigitalGoal,
    MarketingObjective,
    StrategicObjective,
    StrategicTheme,
    StrategyPlan,
)
from kpis.services import item_create, kpi_create, measurement_add, plan_activate, plan_create
from tests.factories import ClientFactory


class StrategyPlanFactory(factory.django.DjangoModelFactory):
    """A plan with the five default engagement categories, as `plan_create` makes it;
    `active=True` makes it the client's active plan."""

    class Meta:
        model = StrategyPlan

    client = factory.SubFactory(ClientFactory)
    title = factory.Sequence(lambda n: f"Strategy plan {n}")

    @classmethod
    def _create(cls, model_class, *, client, title, active=False):
        plan = plan_create(client=client, title=title)
        return plan_activate(plan=plan) if active else plan


class _ItemFactory(factory.django.DjangoModelFactory):
    """An item of one of the first four steps, added by `item_create` (position, parent in
    the same plan, model validation)."""

    _step = ""
    _parent_field = ""

    plan = factory.SubFactory(StrategyPlanFactory)

    @classmethod
    def _create(cls, model_class, *, plan, **fields):
        if cls._parent_field and fields.get(cls._parent_field) is not None:
            fields[cls._parent_field] = fields[cls._parent_field].id
        return item_create(plan=plan, data=ItemInput.from_values(cls._step, fields))


class ThemeFactory(_ItemFactory):
    class Meta:
        model = StrategicTheme

    _step = "theme"
    name = factory.Sequence(lambda n: f"Theme {n}")


class StrategicObjectiveFactory(_ItemFactory):
    class Meta:
        model = StrategicObjective

    _step, _parent_field = "strategic_objective", "theme"
    theme = factory.SubFactory(ThemeFactory, plan=factory.SelfAttribute("..plan"))
    statement = factory.Sequence(lambda n: f"Strategic objective {n}")


class MarketingObjectiveFactory(_ItemFactory):
    class Meta:
        model = MarketingObjective

    _step, _parent_field = "marketing_objective", "strategic_objective"
    strategic_objective = factory.SubFactory(
        StrategicObjectiveFactory, plan=factory.SelfAttribute("..plan")
    )
    statement = factory.Sequence(lambda n: f"Marketing objective {n}")
    journey = "shopping"


class DigitalGoalFactory(_ItemFactory):
    class Meta:
        model = DigitalGoal

    _step, _parent_field = "digital_goal", "marketing_objective"
    marketing_objective = factory.SubFactory(
        MarketingObjectiveFactory, plan=factory.SelfAttribute("..plan")
    )
    name = factory.Sequence(lambda n: f"Digital goal {n}")
    points = 10


class KPIFactory(factory.django.DjangoModelFactory):
    """A KPI checked by `kpi_create`; `measurements=n` adds n monthly readings through
    `measurement_add`, climbing from the baseline towards the target."""

    class Meta:
        model = KPI
        skip_postgeneration_save = True

    plan = factory.SubFactory(StrategyPlanFactory)
    name = factory.Sequence(lambda n: f"KPI {n}")
    direction = "increase"
    baseline = 10
    target = 20
    start = datetime.date(2026, 1, 1)
    due = datetime.date(2026, 12, 31)
    journey = "shopping"

    @classmethod
    def _create(cls, model_class, *, plan, digital_goal=None, marketing_objective=None, **fields):
        links = {"digital_goal": digital_goal, "marketing_objective": marketing_objective}
        return kpi_create(plan=plan, data=KPIInput.from_values({**fields, **links}))

    @factory.post_generation
    def measurements(kpi, create, extracted, **kwargs):
        for month in range(1, (extracted or 0) + 1):
            measurement_add(kpi=kpi, date=datetime.date(2026, month, 1), value=kpi.baseline + month)
