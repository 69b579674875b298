"""checkov runs in-process and offline: no socket is opened, no name is looked up."""

from __future__ import annotations

import socket

from policies.engine.run import run_checks
from policies.targets import TargetKind, from_graph
from policy_builders import graph, resource


def test_a_check_run_makes_no_network_calls(monkeypatch):
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted during a borough check")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    stack = "offline"
    target = from_graph(graph(stack, [resource(stack, "storage:StorageAccount", "st", accountName="stoffline",
                                               allowBlobPublicAccess=True)]), TargetKind.program, "offline")
    report = run_checks([target])
    assert attempts == []
    assert report.errored == []
    assert any(f.check_id == "CKV_BOROUGH_004" and f.outcome.value == "failed" for f in report.findings)


def test_a_crashing_builtin_check_is_an_incomplete_run_not_a_pass(monkeypatch):
    from checkov.arm.checks.resource.StorageAccountsTransportEncryption import check as transport

    def broken(conf):
        raise RuntimeError("checkov bug")

    monkeypatch.setattr(transport, "scan_resource_conf", broken)
    stack = "crash"
    target = from_graph(graph(stack, [resource(stack, "storage:StorageAccount", "st", accountName="stcrash")]),
                        TargetKind.program, "crash")
    report = run_checks([target])
    assert [(f.check_id, f.resource, f.urn) for f in report.errored] == [
        ("CKV_AZURE_3", "Microsoft.Storage/storageAccounts.stcrash",
         "urn:pulumi:crash::borough::azure-native:storage:StorageAccount::st")]
    assert report.exit_code() == 3
