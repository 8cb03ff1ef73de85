"""Signals members sends for the apps above it, which it may not import (docs/architecture.md).

``credits`` connects to :data:`member_cycles_changed` in its ``ready()`` and refreshes the
compliance summaries of the members named (docs/rules.md, "The membership's compliance").
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent, inside the writing transaction, when members were created or their cycle start changed
# (the roster import once per batch, member_create, the admin). Argument: member_ids (a list).
member_cycles_changed = Signal()


def cycles_changed(member_ids: list[int]) -> None:
    """Tell the apps above that these members' cycles are new or moved (none: nothing sent)."""
    if member_ids:
        member_cycles_changed.send(sender=None, member_ids=list(member_ids))
