"""Run one synthesis in a child interpreter, with a time limit, its output captured.

Why a child process: a program runs with whatever its own virtualenv installs (``--python`` or
``runtime.options.virtualenv`` in ``Pulumi.yaml``), and nothing it does can hurt the borough
process: ``os._exit``, ``sys.exit``, writes to file descriptor 1 (which would corrupt
``--format json``), an endless loop, children it spawns. The child's stdout and stderr go to a
pipe of which the parent keeps the tail (synth.output_tail); the graph comes back in a result
file, never on stdout. The child's environment has no credentials (synth.childenv), and what it
printed is masked for them before it is shown.

The child runs in its own session (process group). On the time limit, and after every run, the
whole group is killed, so nothing a program started outlives the synthesis.
"""

from __future__ import annotations

import json
import logging
import os
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from synth import reaper
from synth.childenv import child_environment, mask, secret_values
from synth.errors import ConfigError, ProgramError, StacksError
from synth.output_tail import OutputTail

LOGGER = "borough.synth"
FORWARDED_OUTPUT = 64 * 1024
"""At most this much of a program's own output is copied to borough's stderr."""

_BOOTSTRAP = (
    "import importlib.util, sys\n"
    "root, request = sys.argv[1], sys.argv[2]\n"
    "if sys.path and sys.path[0] == '':\n"
    "    del sys.path[0]\n"
    "for name in ('synth', 'stacks'):\n"
    "    spec = importlib.util.spec_from_file_location(name, root + '/' + name + '/__init__.py',\n"
    "                                                  submodule_search_locations=[root + '/' + name])\n"
    "    module = importlib.util.module_from_spec(spec)\n"
    "    sys.modules[name] = module\n"
    "    spec.loader.exec_module(module)\n"
    "from synth.child import main\n"
    "main(request)\n"
)
"""Imports borough's ``synth`` package (and ``stacks``, which the bundled program imports itself as)
from borough's checkout without putting the checkout on
``sys.path`` (its ``cli``/``policies`` packages must not shadow the program's modules)."""


class SynthesisTimeout(StacksError):
    """The program did not finish within the time limit: nothing was evaluated (exit 3)."""

    exit_code = 3


class SynthesisStopped(StacksError):
    """The command gave up before this synthesis finished (another input failed first)."""

    exit_code = 3


class ChildGroup:
    """The children of one command: ``stop()`` kills every one still running, at once (the
    command may be about to end its process, and a child must never outlive it)."""

    def __init__(self) -> None:
        self.stopped = threading.Event()
        self._lock = threading.Lock()
        self._live: set[subprocess.Popen[bytes]] = set()

    def add(self, proc: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._live.add(proc)
        if self.stopped.is_set():
            self.stop()

    def discard(self, proc: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._live.discard(proc)

    def stop(self) -> None:
        self.stopped.set()
        with self._lock:
            live = list(self._live)
        for proc in live:
            _kill_group(proc, wait=False)


@dataclass(frozen=True)
class ChildRun:
    """What to run: the request the child reads, where and with what interpreter."""

    python: Path
    request: dict[str, Any]
    cwd: Path
    timeout: float
    shown_program: str
    group: ChildGroup | None = None
    """The command's children: when it gives up, this child is stopped at once."""


References = Callable[[str], "dict[str, Any] | None"]
"""Answers a stack reference: the outputs, or ``None`` when the stack is unknown offline."""


def run_child(run: ChildRun, references: References) -> dict[str, Any]:
    """Run the child and return its result (``{"graph": ...}`` or ``{"error": ...}``, plus
    ``unresolved`` and ``logs``). Raises ``SynthesisTimeout`` or ``ProgramError`` when the child
    ran out of time or ended without a result; whatever ``references`` raises stops the child."""
    stacks_root = Path(__file__).resolve().parent.parent
    with reaper.temporary_folder("borough-synth-") as tmp:
        result_path = Path(tmp) / "result.json"
        ask_r, ask_w = os.pipe()
        answer_r, answer_w = os.pipe()
        out_r, out_w = os.pipe()
        request = {**run.request, "result": str(result_path), "ask_fd": ask_w, "answer_fd": answer_r,
                   "log_level": logging.getLogger(LOGGER).getEffectiveLevel()}
        request_path = Path(tmp) / "request.json"
        request_path.write_text(json.dumps(request), encoding="utf-8")
        try:
            proc = _start(run, [str(stacks_root), str(request_path)], out_w, (ask_w, answer_r))
            reaper.track_group(proc.pid)
            if run.group is not None:
                run.group.add(proc)
            tail, out_r = OutputTail(out_r, FORWARDED_OUTPUT), -1
            for fd in (ask_w, answer_r, out_w):
                os.close(fd)
            ask_w = answer_r = out_w = -1
            try:
                _serve(proc, run, ask_r, answer_w, references)
            finally:
                _kill_group(proc)
                reaper.untrack_group(proc.pid)
                if run.group is not None:
                    run.group.discard(proc)
        finally:
            for fd in (ask_r, ask_w, answer_r, answer_w, out_r, out_w):
                if fd >= 0:
                    os.close(fd)
        secrets = secret_values()
        output_text = mask(tail.text(), secrets)
        result = _masked(_read_result(result_path), secrets)
    if result is None:
        raise ProgramError(f"{run.shown_program}: the program ended without a resource graph ({_status(proc.returncode)})",
                           _last_line_hint(output_text))
    if output_text.strip():
        sys.stderr.write(output_text if output_text.endswith("\n") else output_text + "\n")
        sys.stderr.flush()
    logger = logging.getLogger(LOGGER)
    for level, message in result.get("logs", []):
        logger.log(int(level), message)
    return result


def _start(run: ChildRun, args: list[str], output: int, fds: tuple[int, int]) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen([str(run.python), "-c", _BOOTSTRAP, *args], cwd=run.cwd, stdin=subprocess.DEVNULL,
                                stdout=output, stderr=subprocess.STDOUT, pass_fds=fds, start_new_session=True,
                                env=child_environment())
    except OSError as exc:
        raise ConfigError(f"{run.python}: cannot run this Python interpreter: {exc.strerror or exc}",
                          "pass --python PATH to a working interpreter with the Pulumi SDK installed") from None


def _serve(proc: subprocess.Popen[bytes], run: ChildRun, ask_r: int, answer_w: int, references: References) -> None:
    """Wait for the child, answering its stack-reference questions, until it exits or time is up.
    Time spent answering (synthesizing the referenced stack) does not count against the limit."""
    deadline = time.monotonic() + run.timeout
    pending = b""
    watching = [ask_r]
    while proc.poll() is None:
        if run.group is not None and run.group.stopped.is_set():
            raise SynthesisStopped(f"{run.shown_program}: synthesis stopped: the command ended early")
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise SynthesisTimeout(
                f"{run.shown_program}: synthesis did not finish within {run.timeout:g} s; stopped it and every process it started",
                "a program that waits on the network or loops forever cannot be synthesized offline; "
                "if it is only slow, raise --timeout")
        if not watching:
            try:
                proc.wait(timeout=min(remaining, 0.05))
            except subprocess.TimeoutExpired:
                pass
            continue
        ready, _, _ = select.select(watching, [], [], min(remaining, 0.05))
        if not ready:
            continue
        chunk = os.read(ask_r, 65536)
        if not chunk:
            watching = []
            continue
        pending += chunk
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            started = time.monotonic()
            try:
                ref = json.loads(line).get("ref")
            except (ValueError, AttributeError):  # not our child's question: answered with nothing
                ref = None
            answer = json.dumps({"outputs": references(ref) if isinstance(ref, str) and ref else None}) + "\n"
            deadline += time.monotonic() - started
            try:
                os.write(answer_w, answer.encode("utf-8"))
            except BrokenPipeError:
                watching = []


def _kill_group(proc: subprocess.Popen[bytes], wait: bool = True) -> None:
    """SIGKILL the child's whole process group (the child and anything it started)."""
    for _ in range(5):  # a process forking in a loop may add members while the signal is sent
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            break
        time.sleep(0.01)
    if wait:
        proc.wait()


def _read_result(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and ("graph" in data or "error" in data or "runs" in data) else None


def _masked(result: dict[str, Any] | None, secrets: list[str]) -> dict[str, Any] | None:
    """The result with the program's words (errors, logs) masked; the graph is left as it is."""
    if result is None or not secrets:
        return result

    def scrub(value: Any) -> Any:
        if isinstance(value, str):
            return mask(value, secrets)
        if isinstance(value, list):
            return [scrub(item) for item in value]
        if isinstance(value, dict):
            return {key: scrub(item) for key, item in value.items()}
        return value

    for part in (result, *(run for run in result.get("runs") or [] if isinstance(run, dict))):
        for key in ("error", "logs"):
            if key in part:
                part[key] = scrub(part[key])
    return result


def _last_line_hint(output: str) -> str | None:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    if not lines:
        return "it printed nothing: it may have called os._exit() or been killed"
    last = "".join(ch for ch in lines[-1] if ch.isprintable())[:300]
    return f"its last output: {last}"


def _status(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"
