"""The RouterWorkflow and the gateway-namespace worker that runs it."""
