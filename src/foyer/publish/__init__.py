"""What an owning team imports to publish workflows through Foyer.

- :class:`Approvals`, used inside a team workflow: status, dry-run plan and
  approval decisions, exposed as an Update and a Query.
- :func:`foyer.publish.worker.nexus_worker`: the team's Nexus handler worker,
  generated from its catalog entries, plus Foyer's control service. It lives
  in its own module so that workflow code importing this package (through
  ``workflow.unsafe.imports_passed_through()``) does not load the catalog.
"""

from foyer.contracts import ApprovalRecord, Identity, WorkflowRequest
from foyer.contracts.names import APPROVAL_TIMED_OUT, REJECTED
from foyer.publish.approvals import Approvals

__all__ = [
    "APPROVAL_TIMED_OUT",
    "REJECTED",
    "ApprovalRecord",
    "Approvals",
    "Identity",
    "WorkflowRequest",
]
