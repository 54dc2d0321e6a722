"""Helpers for the tests that hunt for defect classes (issue 8): raw HTTP, process trees, budgets.

Why raw sockets: `requests` and `http.client` normalise exactly what these tests must send (raw
non-ASCII bytes in a request line, a chunked body with no `Content-Length`, a body that the
server should stop reading half way). Why process trees: the server is gunicorn's arbiter, its
workers and their query processes; what a runaway query costs (CPU, memory) is spent anywhere in
that tree, and a process that escapes it still counts.

Budgets: every generated test takes its number of examples from `budget(n)`. In `make test` it
is `n`, seeded (`derandomize`), so a CI run is repeatable; `make fuzz` sets `OKG_FUZZ_SCALE`
(e.g. 20) for n times that many examples, random and remembered in hypothesis' database, and
`OKG_SOAK_SECONDS` for a longer soak. Nothing here imports the application.
"""

from __future__ import annotations

import os
import re
import select
import socket
import subprocess
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.database import DirectoryBasedExampleDatabase

# hypothesis' own files (its database under `make fuzz`, its caches) where git ignores them
HYPOTHESIS_HOME = Path(__file__).resolve().parent.parent / ".pytest_cache" / "hypothesis"
set_hypothesis_home_dir(HYPOTHESIS_HOME)

FUZZ_SCALE = max(1, int(os.environ.get("OKG_FUZZ_SCALE", "1") or "1"))
SOAK_SECONDS = float(os.environ.get("OKG_SOAK_SECONDS", "60") or "60")

settings.register_profile(
    "okg-ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "okg-fuzz",
    derandomize=False,
    # failures found are replayed first next time; kept where git ignores them
    database=DirectoryBasedExampleDatabase(HYPOTHESIS_HOME / "examples"),
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("okg-fuzz" if FUZZ_SCALE > 1 else "okg-ci")


def budget(examples: int) -> int:
    """How many examples a generated test runs: `examples` in CI, more under `make fuzz`."""
    return examples * FUZZ_SCALE


# ---------------------------------------------------------------- raw HTTP


@dataclass
class Answer:
    """What came back on one connection; `status` 0 when nothing did."""

    status: int
    headers: dict[str, str]
    body: bytes
    sent_all: bool = True
    bytes_sent: int = 0
    closed_early: bool = False
    seconds: float = 0.0

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def request_head(
    method: str,
    target: bytes,
    headers: Iterable[tuple[str, bytes | str]] = (),
    *,
    host: str = "127.0.0.1",
) -> bytes:
    """A request line and headers, byte for byte as given (plus `Host` and `Connection: close`)."""
    lines = [method.encode("ascii") + b" " + target + b" HTTP/1.1", b"Host: " + host.encode()]
    for name, value in headers:
        lines.append(name.encode("latin-1") + b": " + _bytes(value))
    lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n"


def chunked(body: bytes, size: int) -> Iterator[bytes]:
    """`body` as HTTP/1.1 chunks of `size` bytes, then the last chunk."""
    for start in range(0, len(body), max(1, size)):
        piece = body[start : start + max(1, size)]
        yield f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    yield b"0\r\n\r\n"


def exchange(
    url: str,
    head: bytes,
    body: Iterable[bytes] = (),
    *,
    timeout: float = 30,
    is_head: bool = False,
    piece_bytes: int = 16384,
) -> Answer:
    """Send `head`, then `body` piece by piece, stopping as soon as the server answers or closes;
    then read the whole answer. `sent_all` says whether every byte of the body went out."""
    parts = urlsplit(url)
    started = time.monotonic()
    sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
    sent = 0
    sent_all = False
    closed_early = False
    received = b""
    try:
        sock.sendall(head)
        for piece in _pieces(body, piece_bytes):
            view = memoryview(piece)
            while view:
                readable, writable, _ = select.select([sock], [sock], [], timeout)
                if readable:  # an answer (or a close) before the whole body: stop sending
                    raise _Answered
                if not writable:
                    raise TimeoutError("the server neither read the body nor answered")
                count = sock.send(view)
                sent += count
                view = view[count:]
        sent_all = True
    except _Answered:
        pass
    except (BrokenPipeError, ConnectionResetError):
        closed_early = True
    try:
        received = _read_all(sock, timeout)
    finally:
        sock.close()
    answer = parse_answer(received, is_head=is_head)
    answer.sent_all = sent_all
    answer.bytes_sent = sent
    answer.closed_early = closed_early
    answer.seconds = time.monotonic() - started
    return answer


class _Answered(Exception):
    """The server answered or closed while the body was being sent."""


def raw_request(
    url: str,
    method: str,
    target: bytes | str,
    headers: Iterable[tuple[str, bytes | str]] = (),
    body: bytes | None = None,
    *,
    chunk_size: int | None = None,
    timeout: float = 30,
) -> Answer:
    """One request: a body framed by `Content-Length`, or chunked when `chunk_size` is given."""
    headers = list(headers)
    pieces: Iterable[bytes] = ()
    if body is not None:
        if chunk_size is None:
            headers.append(("Content-Length", str(len(body))))
            pieces = (body,)
        else:
            headers.append(("Transfer-Encoding", "chunked"))
            pieces = chunked(body, chunk_size)
    head = request_head(method, _bytes(target), headers)
    return exchange(url, head, pieces, timeout=timeout, is_head=method == "HEAD")


def parse_answer(data: bytes, *, is_head: bool = False) -> Answer:
    """Status, headers (lower-case names) and the de-chunked body of one HTTP/1.1 answer."""
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    match = re.match(rb"HTTP/1\.[01] (\d{3})", lines[0]) if lines else None
    if not match:
        return Answer(0, {}, data)
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().decode("latin-1").lower()] = value.strip().decode("latin-1")
    status = int(match.group(1))
    if is_head or status in (204, 304):
        return Answer(status, headers, b"")
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = b""
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0] or b"0", 16)
            if size == 0:
                break
            body += rest[:size]
            rest = rest[size + 2 :]
        return Answer(status, headers, body)
    if "content-length" in headers:
        return Answer(status, headers, rest[: int(headers["content-length"])])
    return Answer(status, headers, rest)


def _read_all(sock: socket.socket, timeout: float) -> bytes:
    """Everything until the server closes (we always send `Connection: close`)."""
    data = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        readable, _, _ = select.select([sock], [], [], max(0.0, deadline - time.monotonic()))
        if not readable:
            break
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
        if _complete(data):
            break
    return data


def _complete(data: bytes) -> bool:
    """Whether `data` holds a whole answer framed by Content-Length (so we need not wait)."""
    head, found, rest = data.partition(b"\r\n\r\n")
    if not found:
        return False
    length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    return bool(length) and len(rest) >= int(length.group(1)) if length else False


def _pieces(body: Iterable[bytes], size: int) -> Iterator[bytes]:
    for part in body:
        for start in range(0, len(part), size):
            yield part[start : start + size]


def _bytes(value: bytes | str) -> bytes:
    return value if isinstance(value, bytes) else value.encode("latin-1")


# ---------------------------------------------------------------- what answers must never show


TRACEBACK = re.compile(r'Traceback \(most recent call last\)|File "[^"]+", line \d+')


def traceback_in(text: str) -> str | None:
    """The first traceback marker in `text`, with some context, or None."""
    found = TRACEBACK.search(text) or (re.search("Traceback", text))
    if not found:
        return None
    return text[max(0, found.start() - 500) : found.end() + 1500]


def names_time_limit(text: str, seconds: float) -> bool:
    """Whether an answer names the time limit of `seconds` s (e.g. "2 s", "2.0 seconds")."""
    number = re.escape(f"{seconds:g}")
    return bool(re.search(rf"(?<![\d.]){number}(\.0+)?\s*(s\b|sec|second)", text))


def names_memory_limit(text: str, megabytes: int) -> bool:
    """Whether an answer names the memory limit (`query_memory_mb`, e.g. "256 MiB")."""
    return bool(re.search(r"memory", text, re.I)) and bool(
        re.search(rf"(?<![\d.]){megabytes}\s*(MiB|MB|M\b|megabyte)", text, re.I)
    )


# ---------------------------------------------------------------- process trees


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return text[text.rindex(")") + 2 :].split()


def descendants(root: int) -> set[int]:
    """`root` and every live process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(int(entry))
            if fields is not None and fields[0] != "Z":
                children.setdefault(int(fields[1]), []).append(int(entry))
    found = {root}
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return {pid for pid in found if alive(pid)}


def alive(pid: int) -> bool:
    fields = _stat_fields(pid)
    return fields is not None and fields[0] not in ("Z", "X")


@dataclass
class ProcessTree:
    """A server's processes, remembered: a process once seen in the tree counts while it lives,
    even if it leaves the tree (an orphan is still the server's cost)."""

    root: int
    seen: set[int] = field(default_factory=set)

    def pids(self) -> set[int]:
        current = descendants(self.root) if alive(self.root) else set()
        self.seen |= current
        return current | {pid for pid in self.seen if alive(pid)}

    def cpu_seconds(self) -> float:
        """User + system time of every live process, and of the children they have reaped."""
        total = 0
        for pid in self.pids():
            fields = _stat_fields(pid)
            if fields is not None:
                total += sum(int(value) for value in fields[11:15])
        return total / CLOCK_TICKS

    def pss_bytes(self) -> int:
        """Proportional set size summed over the tree (shared pages counted once overall)."""
        total = 0
        for pid in self.pids():
            try:
                text = Path(f"/proc/{pid}/smaps_rollup").read_text()
            except (FileNotFoundError, ProcessLookupError, PermissionError):
                continue
            found = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
            if found:
                total += int(found.group(1)) * 1024
        return total

    def describe(self) -> str:
        rows = []
        for pid in sorted(self.pids()):
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                command = b"?"
            rows.append(f"{pid}: {command.decode(errors='replace')[:120]}")
        return "\n".join(rows)


# ---------------------------------------------------------------- servers


class LogDrain:
    """Reads a server's stderr pipe continuously (a full pipe would stall the server) and keeps
    it for the assertions: no traceback in the log."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.data = bytearray()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        if process.stderr is not None:
            self.thread = threading.Thread(target=self._drain, args=(process.stderr,), daemon=True)
            self.thread.start()

    @property
    def available(self) -> bool:
        return self.thread is not None

    def _drain(self, stream: object) -> None:
        read = getattr(stream, "read1", None) or stream.read  # type: ignore[attr-defined]
        while True:
            chunk = read(65536)
            if not chunk:
                return
            with self.lock:
                self.data += chunk

    def text(self) -> str:
        with self.lock:
            return self.data.decode("utf-8", "replace")


@dataclass
class Launched:
    """A server started by a test the way a user starts it, with its log in a file."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def launch(
    command: list[str], *, cwd: Path, port: int, log: Path, env: dict[str, str] | None = None
) -> Launched:
    """Run `command` in `cwd` (output to `log`, a file), and wait until `/health` answers."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Launched(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{command} exited: {server.log_text()[-3000:]}")
        try:
            if requests.get(server.url + "/health", timeout=1).status_code == 200:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.2)
    process.kill()
    process.wait()
    raise RuntimeError(f"{command} did not answer /health within 90 s: {server.log_text()[-3000:]}")


def kill_tree(tree: ProcessTree) -> None:
    """SIGKILL whatever of a server's tree is left (a test's own processes, by their ids)."""
    for pid in tree.pids():
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
