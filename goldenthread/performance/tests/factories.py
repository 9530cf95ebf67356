"""factory_boy factories for indicators, targets and actuals."""

from __future__ import annotations

from decimal import Decimal

import factory

from goldenthread.core.models import Period
from goldenthread.performance.models import Actual, Forum, Indicator, Target
from tests.factories import ServiceFactory


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum
        django_get_or_create = ("code",)

    code = "S151"
    name = "Section 151 Forum and Strategic Commissioning Group"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        skip_postgeneration_save = True

    ref = factory.Sequence(lambda n: f"T-{n:02d}")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    service = factory.SubFactory(ServiceFactory)
    service_area = "Area"
    level = Indicator.Level.OPERATIONAL
    unit = "percent"
    polarity = "higher"
    tolerance_kind = "absolute"
    tolerance = Decimal(5)
    ytd_rule = "average"
    order = factory.Sequence(int)

    @factory.post_generation
    def forums(self, create, extracted, **kwargs):
        if create:
            self.forums.set(extracted if extracted is not None else [ForumFactory()])

    @factory.post_generation
    def partner_list(self, create, extracted, **kwargs):
        if create and extracted:
            self.partners.set(extracted)

    @factory.post_generation
    def target(self, create, extracted, **kwargs):
        if create and extracted is not None:
            Target.objects.create(indicator=self, year=2019, text=extracted)


def actual(indicator, period: str, value, partner=None, **extra) -> Actual:
    """An actual written straight to the table (set-up for tests, not the audited path)."""
    return Actual.objects.create(
        indicator=indicator,
        period=Period.objects.for_code(period),
        partner=partner,
        value=Decimal(str(value)),
        **extra,
    )
