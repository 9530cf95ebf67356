"""Fixtures of the performance tests: an ICT and an Exchequer indicator with targets."""

from __future__ import annotations

import pytest

from goldenthread.core.models import Period
from goldenthread.performance.tests.factories import IndicatorFactory
from tests.factories import ServiceFactory


@pytest.fixture
def ict(db):
    return ServiceFactory(code="ICT", name="ICT", lead="Director of ICT", order=1)


@pytest.fixture
def exchequer(db):
    return ServiceFactory(
        code="ET", name="Exchequer & Transactional", lead="Director of Exchequer", order=2
    )


@pytest.fixture
def availability(ict, people):
    """ICT-02: one whole-service figure, owned by the "lead" user's post; >90%, tolerance 5."""
    return IndicatorFactory(
        ref="ICT-02",
        name="% of system availability",
        service=ict,
        data_owner=people["lead"].posts.get(),
        target=">90%",
    )


@pytest.fixture
def nndr(exchequer, partners):
    """ET-06: reported for Havering and Newham, one target written for both."""
    return IndicatorFactory(
        ref="ET-06",
        name="% of National Non-Domestic Rates collected",
        service=exchequer,
        tolerance=1,
        ytd_rule="latest",
        partner_list=[partners["LBH"], partners["LBN"]],
        target="98.70% (LBH) 99.6% (LBN)",
    )


@pytest.fixture
def q1(db):
    return Period.objects.for_code("2019/20 Q1")
