"""Where the shipped data lives, in a source checkout and in an installed wheel alike."""

from pathlib import Path

#: `resources/` sits beside the `inspector` package both in the repository and in site-packages.
RESOURCES = Path(__file__).resolve().parent.parent / "resources"
PROFILES = RESOURCES / "profiles"
DEMO = RESOURCES / "demo"
