"""A published report keeps the document it was made from: JSON there and back."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenthread.documents.model import Cell, Column, Document, Row, Section, Table, Tone
from goldenthread.documents.serialise import from_json, to_json
from goldenthread.documents.tests.sample import DOCUMENT, PAPER


def test_a_document_survives_the_round_trip():
    assert from_json(to_json(DOCUMENT)) == DOCUMENT


def test_a_paper_keeps_its_front_sheet_parts_and_appendix_list():
    again = from_json(to_json(PAPER))
    assert again == PAPER
    assert again.sections[0].front_sheet and again.sections[2].part == "appendix-1"


def test_a_document_frozen_before_front_sheets_existed_still_reads():
    data = json.loads(to_json(DOCUMENT))
    assert all("front_sheet" not in s and "part" not in s for s in data["sections"])
    assert from_json(json.dumps(data)).sections[0].front_sheet is False


def test_the_json_is_stable_text():
    assert to_json(DOCUMENT) == to_json(from_json(to_json(DOCUMENT)))
    assert json.loads(to_json(DOCUMENT))["meeting_date"] == "2019-07-12"


def test_it_refuses_an_unknown_block():
    data = json.loads(to_json(DOCUMENT))
    data["sections"][0]["blocks"][0]["type"] = "Script"
    with pytest.raises(ValueError, match="Unknown block type"):
        from_json(json.dumps(data))


texts = st.text(max_size=40)


@given(
    cells=st.lists(
        st.tuples(texts, st.sampled_from([None, *Tone]), st.booleans()), min_size=1, max_size=6
    ),
    title=texts,
)
def test_any_table_survives_the_round_trip(cells, title):
    table = Table(
        columns=tuple(Column(f"c{i}") for i in range(len(cells))),
        rows=(Row(tuple(Cell(text, tone=tone, bold=bold) for text, tone, bold in cells)),),
        caption=title,
    )
    document = Document(title=title, sections=(Section((table,)),))
    assert from_json(to_json(document)) == document
