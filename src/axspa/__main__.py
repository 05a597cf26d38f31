"""Allow ``python -m axspa``."""

import sys

from axspa.cli import main

sys.exit(main())
