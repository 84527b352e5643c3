"""cloud-ops' workflow worker: ``python -m examples.cloud_ops.worker``.

Serves every namespace and task queue that cloud-ops' catalog entries name
(``FOYER_CATALOG_DIR``), connecting with Foyer's settings
(``FOYER_TEMPORAL_ADDRESS``).
"""

from __future__ import annotations

from examples.cloud_ops.activities import ACTIVITIES
from examples.cloud_ops.workflows import WORKFLOWS
from examples.common.worker import Team, main

TEAM = Team(owner="cloud-ops", workflows=WORKFLOWS, activities=lambda client: ACTIVITIES)

if __name__ == "__main__":
    main(TEAM)
