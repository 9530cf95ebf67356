"""Committee report rules: pure functions, no database.

The narrative parts of a report are plain text typed in the app. A blank line
starts a new paragraph; lines starting ``- `` (or ``•``) are bullets; a line
starting ``## `` is a heading. Numbered paragraphs such as ``1.1 Following the
2018 election ...`` stay paragraphs, as in the committee template.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

BULLETS = ("- ", "• ", "* ")
HEADING = "## "


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    BULLETS = "bullets"


@dataclass(frozen=True)
class NarrativeBlock:
    kind: BlockKind
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _bullet(line: str) -> str | None:
    stripped = line.strip()
    for mark in BULLETS:
        if stripped.startswith(mark):
            return stripped[len(mark) :].strip()
    if stripped in ("-", "•", "*"):
        return ""
    return None


def narrative_blocks(text: str) -> list[NarrativeBlock]:
    """Paragraphs, bullet lists and headings of a narrative, in order; nothing typed is lost."""
    blocks: list[NarrativeBlock] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(NarrativeBlock(BlockKind.PARAGRAPH, tuple(paragraph)))
            paragraph.clear()
        if bullets:
            blocks.append(NarrativeBlock(BlockKind.BULLETS, tuple(bullets)))
            bullets.clear()

    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if not line.strip():
            flush()
            continue
        if line.lstrip().startswith(HEADING):
            flush()
            heading = line.lstrip()[len(HEADING) :].strip()
            if heading:
                blocks.append(NarrativeBlock(BlockKind.HEADING, (heading,)))
            continue
        item = _bullet(line)
        if item is not None:
            if paragraph:
                blocks.append(NarrativeBlock(BlockKind.PARAGRAPH, tuple(paragraph)))
                paragraph.clear()
            if item:
                bullets.append(item)
            continue
        if bullets:
            blocks.append(NarrativeBlock(BlockKind.BULLETS, tuple(bullets)))
            bullets.clear()
        paragraph.append(line.strip())
    flush()
    return blocks


def key_decision_label(key_decision: bool) -> str:
    return "Yes" if key_decision else "No"


def or_none(text: str) -> str:
    """Empty template sections print "None", as the committee papers do."""
    return text.strip() if text and text.strip() else "None"


def appendix_label(number: int, title: str) -> str:
    return f"Appendix {number}: {title}"
