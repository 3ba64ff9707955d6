"""Synthesis in a zygote: the speech engine started once, one fork per utterance.

eSpeak NG carries state from one utterance to the next (the same sentence
comes out a few samples different), so each utterance must be spoken by an
engine that has spoken nothing before. A fresh Python process per utterance
gave that at four times the cost of the speaking itself. The zygote starts
the engine once (``Provider.preload``) and forks a child per utterance, up to
``workers`` at a time; each child speaks one utterance into the cache and
exits: the same PCM, byte for byte, as a fresh process gives. A provider
without such state (Piper) speaks in the zygote itself, its voice loaded once.

Neither a stuck engine nor a killed build leaves anything behind: a child is
killed when it runs past its time, every child dies with this process, and
this process dies with the build (PR_SET_PDEATHSIG, and end of its input).

Protocol, one JSON object a line: the build sends the provider, then one
request per utterance ({"key", "say", "label"}), then an empty line; the
zygote answers each with {"key", "error"} (error null on success).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO, cast

from .engine import store, synthesise

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Linux: the kernel kills this process when ``parent``, the one that
    started it, ends. If it ended before the request was made (the build killed
    between the fork and here), the child has been handed to another parent:
    it ends itself rather than speak on as an orphan."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


class Zygote:
    """The build's side: start the zygote, send it the missing utterances, collect answers.

    The zygote is the build process itself, forked: numpy and this package are
    already loaded, so it is ready in milliseconds. When the build runs other
    threads (which a fork would leave behind, perhaps holding a lock the zygote
    needs), or has started the engine itself, it is a fresh Python process
    instead, at a few tenths of a second more.
    """

    def __init__(self, provider, cache: Path, workers: int, timeout: float):
        if hasattr(os, "fork") and threading.active_count() == 1 and provider.may_fork_here():
            self.pid, self.requests, self.answers = _forked()
        else:
            root = str(Path(__file__).resolve().parents[3])  # the folder holding publisher/
            env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
            build = os.getpid()
            process = subprocess.Popen(
                [sys.executable, "-m", "publisher.writers.audio.zygote"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, env=env, preexec_fn=lambda: die_with_parent(build))
            assert process.stdin is not None and process.stdout is not None
            self.pid, self.requests, self.answers = process.pid, cast(BinaryIO, process.stdin), cast(
                BinaryIO, process.stdout)
        cls = type(provider)
        self._send({"provider": f"{cls.__module__}:{cls.__qualname__}", "voice": provider.voice, "rate": provider.rate,
                    "cache": str(cache), "workers": workers, "timeout": timeout})

    def _send(self, message: dict) -> None:
        self.requests.write(json.dumps(message, ensure_ascii=False).encode() + b"\n")

    def run(self, requests: Iterable[tuple[str, str, str]], budget: float,
            answered: Callable[[str, str | None], None]) -> None:
        """Synthesise (key, say, label) each; ``answered(key, error)`` as each finishes."""
        requests = list(requests)
        for key, say, label in requests:
            self._send({"key": key, "say": say, "label": label})
        self.requests.write(b"\n")
        self.requests.flush()
        deadline = time.monotonic() + budget
        for _ in requests:
            ready, _, _ = select.select([self.answers], [], [], max(deadline - time.monotonic(), 0))
            line = self.answers.readline() if ready else b""
            if not line:
                raise TimeoutError if not ready else RuntimeError("the speech process ended unexpectedly")
            reply = json.loads(line)
            answered(reply["key"], reply["error"])

    def close(self) -> None:
        """End the zygote (and with it any child still speaking)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        for stream in (self.requests, self.answers):
            with contextlib.suppress(OSError):
                stream.close()


def _forked() -> tuple[int, BinaryIO, BinaryIO]:
    """Fork the build into a zygote: (its pid, the requests' pipe, the answers' pipe)."""
    requests_read, requests_write = os.pipe()
    answers_read, answers_write = os.pipe()
    build = os.getpid()
    pid = os.fork()
    if pid == 0:  # the zygote: serves, then leaves without running the build's exit handlers
        code = 0
        try:
            die_with_parent(build)
            os.close(requests_write)
            os.close(answers_read)
            serve(os.fdopen(requests_read, "rb"), os.fdopen(answers_write, "wb"))
        except BaseException:
            code = 1
        os._exit(code)
    os.close(requests_read)
    os.close(answers_write)
    return pid, os.fdopen(requests_write, "wb"), os.fdopen(answers_read, "rb")


# -- the zygote process ------------------------------------------------------------------


def _speak_to_cache(provider, cache: Path, key: str, say: str, label: str) -> None:
    store(cache, key, synthesise(say, label, provider))


def _fork(provider, cache: Path, request: dict) -> tuple[int, int]:
    """A child that speaks one utterance; (its pid, the pipe its error comes back on)."""
    reader, writer = os.pipe()
    zygote = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(reader)
        code = 0
        try:
            die_with_parent(zygote)
            quiet = os.open(os.devnull, os.O_WRONLY)
            os.dup2(quiet, 1)  # the answers' channel: nothing the engine prints may reach it
            _speak_to_cache(provider, cache, request["key"], request["say"], request["label"])
        except BaseException as error:  # reported to the build, which names the sentence
            os.write(writer, str(error).encode()[:4000])
            code = 1
        os._exit(code)
    os.close(writer)
    return pid, reader


def serve(stdin: BinaryIO, stdout: BinaryIO) -> None:
    settings = json.loads(stdin.readline())
    module, name = settings["provider"].split(":")
    import importlib

    provider = getattr(importlib.import_module(module), name)(settings["voice"], settings["rate"])
    cache, workers, timeout = Path(settings["cache"]), settings["workers"], settings["timeout"]
    provider.preload()  # what the children share: libraries, never a started engine
    waiting = []
    for line in stdin:
        if not line.strip():
            break
        waiting.append(json.loads(line))

    def answer(key: str, error: str | None) -> None:
        stdout.write(json.dumps({"key": key, "error": error}, ensure_ascii=False).encode() + b"\n")
        stdout.flush()

    if not provider.fresh_process_each_time:
        for request in waiting:
            try:
                _speak_to_cache(provider, cache, request["key"], request["say"], request["label"])
                answer(request["key"], None)
            except Exception as error:
                answer(request["key"], str(error))
        return
    running: dict[int, tuple[dict, int, float]] = {}  # pid → (request, error pipe, started)
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                request = waiting.pop(0)
                pid, pipe = _fork(provider, cache, request)
                running[pid] = (request, pipe, time.monotonic())
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                for child, (_, _, started) in list(running.items()):
                    if time.monotonic() - started > timeout:  # a stuck engine: end it, name the sentence
                        os.kill(child, signal.SIGKILL)
                time.sleep(0.002)
                continue
            request, pipe, _ = running.pop(pid)
            message = os.read(pipe, 4000).decode(errors="replace")
            os.close(pipe)
            if os.waitstatus_to_exitcode(status) == -signal.SIGKILL and not message:
                message = f"{request['label']}: the speech engine did not finish within {timeout:.0f} s"
            elif status and not message:
                message = f"{request['label']}: the speech engine crashed ({os.waitstatus_to_exitcode(status)})"
            answer(request["key"], message or None)
    finally:
        for child in running:
            os.kill(child, signal.SIGKILL)


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
