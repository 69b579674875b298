"""Build a real virtualenv offline for synthesis tests (shared by tests/stacks and tests/corpus).

``python -m venv --without-pip`` makes a real virtualenv in well under a second with no download;
a ``.pth`` file then puts borough's own site-packages on its path, as if ``pip install pulumi
pulumi-azure-native`` had been run in it. Only the path is added (the ``.pth`` files in that
directory, such as borough's editable install, are not processed), so the venv does not see
borough's packages: the synthesis child must get by with the Pulumi SDK and the ``stacks``
package it loads from borough's checkout.
"""

from __future__ import annotations

import site
import subprocess
import sys
from pathlib import Path


def make_venv(path: Path, extra_modules: dict[str, str] | None = None) -> Path:
    """Create a virtualenv at ``path``; ``extra_modules`` (name -> source) are "installed" into
    its own site-packages only. Returns its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True, capture_output=True)
    python = path / "bin" / "python"
    own = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              check=True, capture_output=True, text=True).stdout.strip())
    (own / "borough_test_sdk.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    for name, source in (extra_modules or {}).items():
        (own / f"{name}.py").write_text(source, encoding="utf-8")
    return python
