"""The fee core. Standard library only: the same files run in CPython and in Pyodide."""
from .facts import ScenarioError
from .quote import quote, quote_json

# Imported here so the bundle, which ships the stdlib modules importing the core loads, ships csv too.
from .roster import roster_json

__all__ = ["quote", "quote_json", "ScenarioError", "roster_json"]
