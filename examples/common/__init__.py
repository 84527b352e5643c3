"""What the example teams share: a catalog-driven worker and the plan-approve-act helpers."""
