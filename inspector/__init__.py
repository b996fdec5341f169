"""Domain layer of the inspector's workbench: plain typed Python, never Qt.

Everything an inspector or coordinator does (profiles, verdicts, sample lists, findings files,
scans) lives here so the CLI and the desktop app share one implementation.
"""

__version__ = "0.1.0"
