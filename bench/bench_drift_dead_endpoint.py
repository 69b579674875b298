"""A dead endpoint (a closed loopback port): how long drift takes to say so, same run, same clients.

borough no longer retries a connection that is refused (retries stay for throttling, 5xx and
dropped responses). The baseline is the same readers with connection errors retried like any
other (``retry_connect`` = ``retries``: what the clients did before), so the ratio is the saving.
AWS reads one region (four calls) and S3; Azure is stack drift on the test stack (two Resource
Graph queries, which azure-core never retries on a connection error as they are POSTs, and the
per-resource ARM GETs Resource Graph cannot answer, which it did retry).

    .venv/bin/python bench/bench_drift_dead_endpoint.py [--retries 2] [--backoff 0.8]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import socket
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "drift"))

from drift_fixtures import state_export  # noqa: E402
from fake_arm import TestCredential  # noqa: E402

from inventory.live.aws import AwsSettings, read_aws  # noqa: E402
from inventory.live.azure import AzureSettings  # noqa: E402
from deployed.drift_compare import check_stack  # noqa: E402
from deployed.state import parse_state  # noqa: E402


def closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def timed(run: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retries", type=int, default=2)
    parser.add_argument("--backoff", type=float, default=0.8)
    args = parser.parse_args()
    for key, value in {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_CONFIG_FILE": "/nonexistent",
                       "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"}.items():
        os.environ[key] = value

    aws = AwsSettings(endpoint_url=closed_port(), retries=args.retries, retry_backoff_factor=args.backoff)
    read_aws(["eu-west-2"], aws)  # warm botocore's model loading so both runs pay only for the calls
    aws_fast, snapshot = timed(lambda: read_aws(["eu-west-2"], aws))
    aws_slow, _ = timed(lambda: read_aws(["eu-west-2"], dataclasses.replace(aws, retry_connect=args.retries)))

    graph = parse_state(state_export())
    azure = AzureSettings(endpoint=closed_port(), credential=TestCredential(), retry_total=args.retries,
                          retry_backoff_factor=args.backoff)
    check_stack(graph, azure)  # warm the Azure SDK imports likewise
    azure_fast, report = timed(lambda: check_stack(graph, azure))
    azure_slow, _ = timed(lambda: check_stack(graph, dataclasses.replace(azure, retry_connect=args.retries)))

    print(f"dead endpoint, --retries {args.retries} --retry-backoff {args.backoff}")
    print(f"  aws   region eu-west-2 + s3 ({len(snapshot.not_read)} calls not read): {aws_fast:.2f} s, "
          f"with connection retries {aws_slow:.2f} s, ratio {aws_fast / aws_slow:.3f}")
    print(f"  azure stack drift ({len(report.not_read)} reads not read): {azure_fast:.2f} s, "
          f"with connection retries {azure_slow:.2f} s, ratio {azure_fast / azure_slow:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
