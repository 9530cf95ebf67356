from hypothesis import given
from hypothesis import strategies as st

from goldenthread.plans import rules


def test_it_counts_and_rounds_like_the_committee_paper():
    summary = rules.summarise("rag", ["G"] * 6 + ["A"] * 3)
    assert [(r.status.code, r.count, r.percent) for r in summary.rows] == [
        ("G", 6, 67),
        ("A", 3, 33),
        ("R", 0, 0),
        ("B", 0, 0),
    ]
    assert summary.total == 9


def test_it_counts_items_with_no_update_apart():
    summary = rules.summarise("rag", ["G", None, ""])
    assert summary.count("") == 2
    assert summary.rows[-1].status is rules.NO_UPDATE


def test_it_refuses_a_status_not_on_the_scale():
    try:
        rules.summarise("best_value", ["G"])
    except ValueError as exc:
        assert "Best Value" in str(exc)
    else:
        raise AssertionError("G is not a Best Value status")


def test_it_checks_percent_complete():
    assert rules.validate_percent_complete(140) == "% complete must be between 0 and 100, not 140."
    assert rules.validate_percent_complete(100) is None


@given(st.lists(st.sampled_from(["G", "A", "R", "B", None]), max_size=200))
def test_counts_add_up_to_the_whole(statuses):
    summary = rules.summarise("rag", statuses)
    assert sum(r.count for r in summary.rows) == summary.total == len(statuses)
    assert all(0 <= r.percent <= 100 for r in summary.rows)
    assert len(summary.columns) == len(rules.RAG.statuses) + len(rules.UNREPORTED)
