"""`python -m advisor_app` starts the desktop application, or runs a CLI command."""

import sys

from advisor_app.launcher import main

if __name__ == "__main__":
    sys.exit(main())
