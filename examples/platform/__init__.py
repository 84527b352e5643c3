"""An example owning team, platform: Temporal namespaces and Nexus endpoints for other teams."""
