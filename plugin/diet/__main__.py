"""``python -m plugin.diet``: the oracle's CLI."""

import sys

from plugin.diet.cli import main

sys.exit(main())
