"""platform's workflow worker: ``python -m examples.platform.worker``.

Serves every namespace and task queue that platform's catalog entries name
(``FOYER_CATALOG_DIR``); its activities use the worker's own connection
(``FOYER_TEMPORAL_ADDRESS``) to create namespaces and Nexus endpoints.
"""

from __future__ import annotations

from examples.common.worker import Team, main
from examples.platform.activities import PlatformActivities
from examples.platform.workflows import WORKFLOWS

TEAM = Team(
    owner="platform",
    workflows=WORKFLOWS,
    activities=lambda client: PlatformActivities(client).all(),
)

if __name__ == "__main__":
    main(TEAM)
