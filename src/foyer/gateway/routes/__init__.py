"""HTTP routes, thin: each delegates to the catalog or the run service."""
