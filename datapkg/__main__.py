"""``python -m datapkg``: the command line."""

import sys

from datapkg.cli import main

sys.exit(main())
