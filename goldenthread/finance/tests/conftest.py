import pytest

from goldenthread.finance.tests.factories import small_partnership


@pytest.fixture
def money(partners, people):
    return small_partnership(partners, people["admin"])
