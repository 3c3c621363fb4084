"""The fee core. Standard library only: the same files run in CPython and in Pyodide."""
from .quote import quote, quote_json
from .facts import ScenarioError

__all__ = ["quote", "quote_json", "ScenarioError"]
