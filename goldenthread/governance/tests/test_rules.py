"""The narrative typed in the app becomes paragraphs, bullets and headings: nothing is lost."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from goldenthread.governance.rules import (
    BlockKind,
    appendix_label,
    key_decision_label,
    narrative_blocks,
    or_none,
)


def kinds(text: str) -> list[str]:
    return [b.kind.value for b in narrative_blocks(text)]


def test_a_blank_line_starts_a_new_paragraph():
    blocks = narrative_blocks("First paragraph\nstill first.\n\nSecond.")
    assert [b.text for b in blocks] == ["First paragraph\nstill first.", "Second."]


def test_dashes_make_a_bullet_list_after_its_lead_in():
    blocks = narrative_blocks("The updates include:-\n- Transition to Trading\n• Awards\nAfter.")
    assert kinds("The updates include:-\n- Transition to Trading\n• Awards\nAfter.") == [
        "paragraph",
        "bullets",
        "paragraph",
    ]
    assert blocks[1].lines == ("Transition to Trading", "Awards")


def test_two_hashes_make_a_heading():
    blocks = narrative_blocks("## 1. Background\n1.1 Following the 2018 election ...")
    assert blocks[0].kind is BlockKind.HEADING and blocks[0].text == "1. Background"
    assert blocks[1].text == "1.1 Following the 2018 election ..."


def test_numbered_paragraphs_stay_paragraphs():
    assert kinds("1. To consider the plan.\n\n2. To note progress.") == ["paragraph", "paragraph"]


def test_empty_text_has_no_blocks():
    assert narrative_blocks("") == [] and narrative_blocks(" \n\n ") == []


def test_template_words():
    assert key_decision_label(True) == "Yes" and key_decision_label(False) == "No"
    assert or_none("  ") == "None" and or_none(" Text ") == "Text"
    assert appendix_label(3, "Progress") == "Appendix 3: Progress"


words = st.text(alphabet="abcdefghij .,1", min_size=1, max_size=12).filter(str.strip)
lines = st.one_of(
    words,
    words.map(lambda w: f"- {w}"),
    words.map(lambda w: f"## {w}"),
    st.just(""),
)


@given(st.lists(lines, max_size=15))
def test_every_word_typed_is_kept_in_order(typed):
    text = "\n".join(typed)
    expected = []
    for line in typed:
        for marker in ("## ", "- "):
            if line.lstrip().startswith(marker):
                line = line.lstrip()[len(marker) :]
                break
        expected.extend(line.split())
    found = [w for b in narrative_blocks(text) for line in b.lines for w in line.split()]
    assert found == expected
