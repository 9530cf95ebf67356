"""Factories and a small partnership's finances for the finance tests."""

from __future__ import annotations

from decimal import Decimal

import factory

from goldenthread.core.models import Post
from goldenthread.finance import changes
from goldenthread.finance.models import BudgetLine, CostArea, SavingsItem
from tests.factories import ServiceFactory


class CostAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostArea
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"CA{n}")
    name = factory.LazyAttribute(lambda o: f"Cost area {o.code}")
    kind = CostArea.Kind.SHARED
    order = factory.Sequence(int)

    @factory.post_generation
    def leads(self, create, extracted, **kwargs):
        if create and extracted:
            self.lead_posts.set([Post.objects.get_or_create(title=t)[0] for t in extracted])


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    year = 2019
    cost_area = factory.SubFactory(CostAreaFactory)
    budget = Decimal(1_000_000)


class SavingsItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavingsItem
        django_get_or_create = ("title",)

    title = factory.Sequence(lambda n: f"Saving {n}")
    order = factory.Sequence(int)


def small_partnership(partners: dict, admin) -> dict:
    """ICT and HROD shared by Havering and Newham; FP shared by all three; non-shared lines.

    Bexley takes only finance (as in the seeds). Figures are round so the splits are plain.
    """
    D = Decimal
    fp_service = ServiceFactory(code="FP", name="Finance and Procurement")
    lbb = partners["LBB"]
    lbb.takes_all_services = False
    lbb.save()
    lbb.services.set([fp_service])
    ict = CostAreaFactory(
        code="ICT", name="ICT", service=ServiceFactory(code="ICT"), leads=["Director of ICT"]
    )
    hrod = CostAreaFactory(
        code="HROD", name="HROD", service=ServiceFactory(code="HROD"), leads=["Director of HROD"]
    )
    fp = CostAreaFactory(code="FP", name="Finance and Procurement", service=fp_service)
    non_shared = CostAreaFactory(code="NONSHARED", name="Non-shared", kind="non_shared")
    lbh, lbn = partners["LBH"], partners["LBN"]
    for area in (ict, hrod):
        changes.set_formula(2019, area, {lbh: D(40), lbn: D(60)}, by=admin)
    changes.set_formula(2019, fp, {lbh: D(40), lbn: D(40), lbb: D(20)}, by=admin)
    lines = {
        "ict": changes.save_line(
            2019, ict, None, by=admin, budget=D(1_000_000), outturn=D(900_000)
        ),
        "hrod": changes.save_line(
            2019, hrod, None, by=admin, budget=D(500_000), outturn=D(550_000)
        ),
        "fp": changes.save_line(
            2019, fp, None, by=admin, budget=D(2_000_000), outturn=D(1_990_000)
        ),
        "lbh_own": changes.save_line(
            2019,
            non_shared,
            lbh,
            by=admin,
            budget=D(300_000),
            outturn=D(280_000),
            commentary="Havering's own commercial property income.",
        ),
        "lbb_own": changes.save_line(
            2019, non_shared, lbb, by=admin, budget=D(100_000), outturn=D(95_000)
        ),
    }
    changes.record_forecast(lines["ict"], 3, by=admin, forecast=D(1_050_000))
    changes.record_forecast(lines["hrod"], 3, by=admin, forecast=D(480_000))
    changes.record_reserve_movement(lbh, 2019, "brought_forward", D(-100_000), by=admin)
    changes.record_reserve_movement(lbb, 2019, "brought_forward", D(-50_000), by=admin)
    item = changes.save_savings_item("Investment in ICT and automations", by=admin)
    changes.set_savings(item, 2019, {lbh: D(-100_000), lbn: D(-212_000)}, by=admin)
    return {
        "areas": {"ict": ict, "hrod": hrod, "fp": fp, "non_shared": non_shared},
        "lines": lines,
        "item": item,
    }
