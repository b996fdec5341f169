"""Start the inspector's workbench: `python main.py` is the same as the bare `inspector` command."""

from inspector.cli import main

if __name__ == "__main__":
    main()
