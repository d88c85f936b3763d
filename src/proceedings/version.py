"""The version of proceedings, written once: pyproject.toml and the reports read it here.

(Asking importlib.metadata instead costs 50 ms at every start of the command.)
"""

__version__ = "0.1.0"
