"""Inputs, plans and results of cloud-ops' workflows and activities, one module per service."""
