"""Test a team's workflows through Foyer's real request path, in seconds.

- :class:`FoyerEnvironment` starts a local Temporal dev server with the
  catalog's namespaces and Nexus endpoints, Foyer's router, each team's
  generated Nexus handler and a signing key, all in the test process; a team
  adds its own workers with :meth:`FoyerEnvironment.team` and drives runs with
  :meth:`FoyerEnvironment.submit` (approve, reject, cancel, read the result).
- :func:`assert_models_fit` and :func:`example_cases` check that every catalog
  example parses into the team's input model and that schema and model agree.
- ``pytest_plugins = ["foyer.testing.pytest_plugin"]`` adds the session
  fixture ``foyer`` (configure it with a ``foyer_catalog`` fixture).
"""

from foyer.testing._environment import FoyerEnvironment, temporal_cli
from foyer.testing._examples import ExampleCase, assert_models_fit, example_cases, model_problems
from foyer.testing._run import Run, RunFailed

__all__ = [
    "ExampleCase",
    "FoyerEnvironment",
    "Run",
    "RunFailed",
    "assert_models_fit",
    "example_cases",
    "model_problems",
    "temporal_cli",
]
