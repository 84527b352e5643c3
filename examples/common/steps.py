"""Marking the step of a run that cannot be undone."""

from __future__ import annotations

from foyer.publish import Approvals


def irreversible(approvals: Approvals, step: str) -> None:
    """Mark the irreversible step: from here on a cancellation is refused.

    Call it right before the activity that cannot be undone. Uses
    ``Approvals.irreversible`` where the installed foyer has it; older ones only
    report the step as the run's status.
    """
    mark = getattr(approvals, "irreversible", None)
    if mark is not None:
        mark(step)
    else:
        approvals.set_status("running", step)
