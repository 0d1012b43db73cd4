"""``python -m cdcs.cli``: the same as the ``cdcs`` command."""

import sys

from cdcs.cli import main

sys.exit(main())
