"""A document as JSON and back, so a published report keeps the data it was made from.

Every block carries its type name; enums are stored by value and dates in ISO
form. ``from_json(to_json(d)) == d`` for every document.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

from goldenthread.documents import model

FORMAT_VERSION = 1

_BLOCKS: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        model.Heading,
        model.Paragraph,
        model.BulletList,
        model.KeyValues,
        model.Contents,
        model.Table,
        model.Chart,
        model.PageBreak,
    )
}


def _cell(cell: model.Cell) -> dict[str, Any]:
    data: dict[str, Any] = {"text": cell.text}
    if cell.tone is not None:
        data["tone"] = cell.tone.value
    if cell.bold:
        data["bold"] = True
    if cell.align is not model.Align.LEFT:
        data["align"] = cell.align.value
    if cell.colspan != 1:
        data["colspan"] = cell.colspan
    return data


def _block(block: model.Block) -> dict[str, Any]:
    kind = type(block).__name__
    if isinstance(block, model.Table):
        return {
            "type": kind,
            "caption": block.caption,
            "name": block.name,
            "columns": [
                {"title": c.title, "width": c.width, "align": c.align.value} for c in block.columns
            ],
            "rows": [
                {"kind": r.kind.value, "cells": [_cell(c) for c in r.cells]} for r in block.rows
            ],
        }
    if isinstance(block, model.Chart):
        data = dataclasses.asdict(block)
        data["series"] = [
            {"name": s.name, "values": list(s.values), "tone": s.tone.value} for s in block.series
        ]
        data["categories"] = list(block.categories)
        return {"type": kind, **data}
    if isinstance(block, model.KeyValues):
        return {"type": kind, "pairs": [list(p) for p in block.pairs]}
    if isinstance(block, model.BulletList):
        return {"type": kind, "items": list(block.items)}
    if isinstance(block, model.Contents):
        return {"type": kind, "entries": [list(e) for e in block.entries]}
    return {"type": kind, **dataclasses.asdict(block)}


def to_dict(document: model.Document) -> dict[str, Any]:
    return {
        "format": FORMAT_VERSION,
        "title": document.title,
        "subtitle": document.subtitle,
        "committee": document.committee,
        "meeting_date": _iso(document.meeting_date),
        "document_date": _iso(document.document_date),
        "author": document.author,
        "metadata": dict(sorted(document.metadata.items())),
        "sections": [_section(s) for s in document.sections],
    }


def _section(section: model.Section) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": section.title,
        "landscape": section.landscape,
        "blocks": [_block(b) for b in section.blocks],
    }
    # Written only when set, so documents frozen before these existed read the same.
    if section.front_sheet:
        data["front_sheet"] = True
    if section.part:
        data["part"] = section.part
    return data


def to_json(document: model.Document) -> str:
    """Stable JSON text: the same document always gives the same string."""
    return json.dumps(to_dict(document), ensure_ascii=False, sort_keys=True, indent=1)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _read_cell(data: dict[str, Any]) -> model.Cell:
    return model.Cell(
        text=data.get("text", ""),
        tone=model.Tone(data["tone"]) if data.get("tone") else None,
        bold=bool(data.get("bold", False)),
        align=model.Align(data.get("align", model.Align.LEFT.value)),
        colspan=int(data.get("colspan", 1)),
    )


def _read_block(data: dict[str, Any]) -> model.Block:
    kind = data.get("type")
    if kind not in _BLOCKS:
        raise ValueError(f"Unknown block type {kind!r} in a frozen document.")
    if kind == "Table":
        return model.Table(
            columns=tuple(
                model.Column(c["title"], float(c["width"]), model.Align(c["align"]))
                for c in data["columns"]
            ),
            rows=tuple(
                model.Row(tuple(_read_cell(c) for c in r["cells"]), model.RowKind(r["kind"]))
                for r in data["rows"]
            ),
            caption=data.get("caption", ""),
            name=data.get("name", ""),
        )
    if kind == "Chart":
        return model.Chart(
            title=data["title"],
            kind=data["kind"],
            categories=tuple(data["categories"]),
            series=tuple(
                model.Series(s["name"], tuple(s["values"]), model.Tone(s["tone"]))
                for s in data["series"]
            ),
            description=data["description"],
            value_label=data.get("value_label", ""),
            target=data.get("target"),
        )
    if kind == "KeyValues":
        return model.KeyValues(tuple((str(k), str(v)) for k, v in data["pairs"]))
    if kind == "BulletList":
        return model.BulletList(tuple(data["items"]))
    if kind == "Contents":
        return model.Contents(tuple((str(t), str(p)) for t, p in data["entries"]))
    fields = {k: v for k, v in data.items() if k != "type"}
    return _BLOCKS[kind](**fields)


def from_dict(data: dict[str, Any]) -> model.Document:
    if data.get("format") != FORMAT_VERSION:
        raise ValueError(f"Unknown frozen document format {data.get('format')!r}.")
    return model.Document(
        title=data["title"],
        subtitle=data.get("subtitle", ""),
        committee=data.get("committee", ""),
        meeting_date=_day(data.get("meeting_date")),
        document_date=_day(data.get("document_date")),
        author=data.get("author", ""),
        metadata=dict(data.get("metadata") or {}),
        sections=tuple(
            model.Section(
                blocks=tuple(_read_block(b) for b in s["blocks"]),
                title=s.get("title", ""),
                landscape=bool(s.get("landscape", False)),
                front_sheet=bool(s.get("front_sheet", False)),
                part=s.get("part", ""),
            )
            for s in data["sections"]
        ),
    )


def from_json(text: str) -> model.Document:
    return from_dict(json.loads(text))
