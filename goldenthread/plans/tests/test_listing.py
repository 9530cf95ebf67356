"""The plan page's list rules without the database: the query in the address, sorts,
status order, summaries and pages."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from goldenthread.plans import listing_rules, rules
from goldenthread.plans.listing_rules import (
    Choices,
    ListQuery,
    PageWindow,
    page_window,
    parse_query,
)

CHOICES = Choices(
    partners=frozenset({"LBB", "LBH"}),
    sections=frozenset({3, 4}),
    statuses=frozenset({"G", "A", "R", "B", "awaiting", "returned", "none"}),
    leads=frozenset({7}),
)


def parse(**params) -> tuple[ListQuery, list[str]]:
    return parse_query({k: v if isinstance(v, list) else [v] for k, v in params.items()}, CHOICES)


def test_it_reads_every_filter():
    query, problems = parse(
        period="2019/20 Q2",
        partner="LBB",
        section="3",
        status=["R", "none"],
        lead="7",
        overdue="1",
        stale="on",
        q="  oracle   fusion ",
        sort="target",
        page="2",
    )
    assert problems == []
    assert query == ListQuery(
        period="2019/20 Q2",
        partner="LBB",
        section=3,
        status=("R", "none"),
        lead=7,
        overdue=True,
        stale=True,
        q="oracle fusion",
        sort="target",
        page=2,
    )


def test_an_empty_address_is_the_whole_plan_in_plan_order():
    query, problems = parse_query({}, CHOICES)
    assert (query, problems) == (ListQuery(), [])
    assert not query.filtered


def test_it_ignores_a_partner_not_offered_and_says_so():
    query, problems = parse(partner="LBN")
    assert query.partner == ""
    assert problems == ["There is no partner “LBN” on this plan: showing every partner."]


def test_it_ignores_a_section_of_another_plan():
    for value in ("99", "abc", "-1", "3.5"):
        query, problems = parse(section=value)
        assert query.section is None and len(problems) == 1


def test_it_leaves_out_unknown_statuses_but_keeps_the_others():
    query, problems = parse(status=["R", "Purple", "R", ""])
    assert query.status == ("R",)
    assert problems == ["“Purple” is not a status of this plan: it was left out."]


def test_it_refuses_an_unknown_lead():
    query, problems = parse(lead="8")
    assert query.lead is None and problems


def test_it_reads_flags_strictly():
    assert parse(overdue="yes")[0].overdue
    assert not parse(overdue="")[0].overdue
    query, problems = parse(stale="maybe")
    assert not query.stale and problems


def test_a_bad_sort_falls_back_to_plan_order():
    query, problems = parse(sort="price")
    assert query.sort == "plan" and problems


def test_a_bad_page_number_shows_the_first_page():
    for value in ("0", "x", "-2", "99999999999"):
        query, problems = parse(page=value)
        assert query.page == 1 and problems, value


def test_the_query_goes_back_into_the_address_without_defaults():
    query = ListQuery(period="2019/20 Q2", status=("R", "none"), overdue=True, q="a&b", page=3)
    assert query.querystring() == (
        "?period=2019%2F20+Q2&status=R&status=none&overdue=1&q=a%26b&page=3"
    )
    assert "page" not in query.export_querystring
    assert query.querystring(page=1, status=()) == "?period=2019%2F20+Q2&overdue=1&q=a%26b"
    assert ListQuery().querystring() == ""


@given(
    st.builds(
        ListQuery,
        period=st.sampled_from(["", "2019/20 Q2"]),
        partner=st.sampled_from(["", "LBB", "LBH"]),
        section=st.sampled_from([None, 3, 4]),
        status=st.lists(st.sampled_from(sorted(CHOICES.statuses)), unique=True).map(tuple),
        lead=st.sampled_from([None, 7]),
        overdue=st.booleans(),
        stale=st.booleans(),
        q=st.text(alphabet="abc &?=\"'é", max_size=12).map(lambda t: " ".join(t.split())),
        sort=st.sampled_from(sorted(listing_rules.SORTS)),
        page=st.integers(min_value=1, max_value=500),
    )
)
def test_a_view_read_back_from_its_own_address_is_the_same_view(query):
    from urllib.parse import parse_qs

    params = parse_qs(query.querystring().lstrip("?"), keep_blank_values=True)
    assert parse_query(params, CHOICES) == (query, [])


def test_search_terms_keep_quoted_phrases_and_drop_repeats():
    assert listing_rules.search_terms('oracle "fusion programme" Oracle  risk') == [
        "oracle",
        "fusion programme",
        "risk",
    ]
    assert listing_rules.search_terms("") == []
    assert len(listing_rules.search_terms(" ".join(f"w{n}" for n in range(20)))) == (
        listing_rules.MAX_SEARCH_TERMS
    )


def test_statuses_run_from_the_most_worrying():
    assert listing_rules.status_order("rag") == ["R", "A", "returned", "awaiting", "", "G", "B"]
    best_value = listing_rules.status_order("best_value")
    assert best_value[0] == "Revised Date Proposed"
    assert best_value[-2:] == ["Complete", "Complete and Ongoing"]


def test_every_reported_status_has_an_address_value_and_back():
    for status in listing_rules.reported_statuses("rag"):
        param = listing_rules.status_param(status)
        assert param
        assert listing_rules.status_from_code("rag", listing_rules.status_code(param)) == status


def test_reported_codes_agree_with_the_rule():
    """The database's mapping (listing._reported_code) mirrors rules.reported_status."""
    assert rules.reported_status("rag", "G", rules.APPROVED_STATE).code == "G"
    assert rules.reported_status("rag", "G", rules.SUBMITTED_STATE).code == listing_rules.AWAITING
    assert rules.reported_status("rag", "G", rules.RETURNED_STATE).code == listing_rules.RETURNED
    assert rules.reported_status("rag", "", rules.APPROVED_STATE).code == ""


def test_a_summary_from_counts_has_every_column_and_whole_percentages():
    summary = listing_rules.summary_from_counts("rag", {"G": 2, "awaiting": 1})
    assert summary.total == 3
    assert [(r.status.label, r.count, r.percent) for r in summary.columns] == [
        ("Green", 2, 67),
        ("Amber", 0, 0),
        ("Red", 0, 0),
        ("Complete", 0, 0),
        ("Awaiting approval", 1, 33),
        ("Returned", 0, 0),
        ("No update", 0, 0),
    ]


def test_pages_of_fifty():
    window = PageWindow(2, 120)
    assert (window.pages, window.start, window.end) == (3, 50, 100)
    assert window.has_previous and window.has_next
    assert PageWindow(1, 0).pages == 1


def test_a_page_past_the_end_is_the_last():
    assert page_window(9, 120) == (PageWindow(3, 120), True)
    assert page_window(3, 120) == (PageWindow(3, 120), False)


def test_page_links_show_the_ends_and_neighbours_with_ellipses():
    assert PageWindow(1, 50 * 3).links() == [1, 2, 3]
    assert PageWindow(6, 50 * 40).links() == [1, None, 5, 6, 7, None, 40]
    assert PageWindow(40, 50 * 40).links() == [1, None, 39, 40]


@given(st.integers(min_value=0, max_value=5000), st.integers(min_value=1, max_value=200))
def test_every_item_is_on_exactly_one_page(count, number):
    window, _ = page_window(number, count)
    assert 1 <= window.number <= window.pages
    assert 0 <= window.end - window.start <= listing_rules.PER_PAGE
    shown = [n for n in window.links() if n is not None]
    assert shown == sorted(set(shown)) and 1 in shown and window.pages in shown
