"""Settings every test directory shares.

Tables follow ``COLUMNS`` and the terminal (cli.render.table_width). pytest's workers inherit
whatever ``COLUMNS`` the shell that started them exported (80 in some terminals), so the suite
lays tables out at 160 columns, as for a file or a pipe, unless a test sets its own.
"""

import os

os.environ["COLUMNS"] = "160"
