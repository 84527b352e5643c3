"""cloud-ops' workflow worker: ``python -m examples.cloud_ops.worker``.

Serves every namespace and task queue that cloud-ops' catalog entries name
(``FOYER_CATALOG_DIR``), connecting with Foyer's settings
(``FOYER_TEMPORAL_ADDRESS``), and keeps the inventory behind the
``dynamodb-tables`` option source.
"""

from __future__ import annotations

from examples.cloud_ops.activities import ACTIVITIES
from examples.cloud_ops.inventory import dynamodb_tables
from examples.cloud_ops.workflows import WORKFLOWS
from examples.common.worker import Team, main
from foyer.publish.inventory import Inventories, Inventory

TEAM = Team(
    owner="cloud-ops",
    workflows=WORKFLOWS,
    activities=lambda client: ACTIVITIES,
    inventories=Inventories(Inventory.of_list("dynamodb-tables", dynamodb_tables)),
)

if __name__ == "__main__":
    main(TEAM)
