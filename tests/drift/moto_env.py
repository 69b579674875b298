"""moto in server mode on loopback, with fake credentials and no AWS config from the machine.

moto keeps its backends per process, not per server, so a test module that seeds its own estate
starts from a reset and resets again when it is done.
"""

from __future__ import annotations

import contextlib
import urllib.request
from typing import Any, Iterator

import pytest

AWS_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "eu-west-2",
           "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"}
AMI = "ami-12c6146b"


def reset(url: str) -> None:
    urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=10).read()


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    with pytest.MonkeyPatch.context() as mp:
        for key, value in AWS_ENV.items():
            mp.setenv(key, value)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        url = f"http://{host}:{port}"
        try:
            reset(url)
            yield url
        finally:
            reset(url)
            server.stop()


def client(url: str, service: str, region: str) -> Any:
    import boto3

    return boto3.client(service, region_name=region, endpoint_url=url)


def tags(**pairs: str) -> list[dict[str, str]]:
    return [{"Key": k.replace("_", "-"), "Value": v} for k, v in pairs.items()]
