"""An example owning team, cloud-ops, publishing DynamoDB workflows through Foyer."""
