"""``python -m datapkg``: the command line."""

import sys

from datapkg.cli import run

sys.exit(run())
