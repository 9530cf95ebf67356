"""The home page's panels: each domain app may show a signed-in user what concerns them.

Apps name a function in ``settings.GT_HOME_PANELS``; it takes the user and returns
a :class:`Panel`, or ``None`` when it has nothing for them. The plans app renders
them on the home page under its own sections.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Panel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def panels_for(user) -> list[Panel]:
    """Every configured panel that has something for ``user``, in the settings' order."""
    panels = (import_string(path)(user) for path in settings.GT_HOME_PANELS)
    return [panel for panel in panels if panel is not None]
