"""What ``check --install`` costs once the program's environment is cached, against a run in the
same virtualenv given with ``--python``, in the same run.

The program is the SDK matrix's lottery (pulumi + pulumi-random at the locked SDK version); its
environment is built first if the cache (``BOROUGH_ENV_CACHE``, default ``.borough/test-envs``,
the one the tests fill) does not hold it. Target: the cached ``--install`` run costs less than
1 s more than the ``--python`` run.

    .venv/bin/python bench/bench_install_reuse.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr.strip()[-400:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="take the best of this many runs of each")
    args = parser.parse_args()
    from synth.environment.install import CACHE_ENV, install_environment

    env = {**os.environ, CACHE_ENV: os.environ.get(CACHE_ENV) or str(ROOT / ".borough" / "test-envs")}
    os.environ[CACHE_ENV] = env[CACHE_ENV]
    locked = re.search(r"^pulumi==(\S+)$", (ROOT / "constraints.txt").read_text(), re.M).group(1)  # type: ignore[union-attr]
    with tempfile.TemporaryDirectory(prefix="bench-install-") as tmp:
        program = Path(shutil.copytree(ROOT / "tests" / "sdk_matrix" / "lottery_program", Path(tmp) / "lottery"))
        (program / "requirements.txt").write_text(f"pulumi=={locked}\npulumi-random>=4.16,<5\n")
        python = install_environment(program)
        base = [str(BIN / "borough"), "check", "--program", str(program), "--stack", "spring", "--allow-empty",
                "--format", "json"]
        given = min(timed([*base, "--python", str(python)], env) for _ in range(args.repeat))
        cached = min(timed([*base, "--install"], env) for _ in range(args.repeat))
    print(f"--python {given:.2f} s   --install (cached) {cached:.2f} s   difference {cached - given:+.2f} s "
          f"(target < +1.00 s)")


if __name__ == "__main__":
    main()
