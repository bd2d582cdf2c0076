"""The bundle's entry point: the same launcher as `advisor-app` (no command opens the window,
a command runs the command line)."""

import sys

from advisor_app.launcher import main

if __name__ == "__main__":
    sys.exit(main())
