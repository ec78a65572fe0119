"""One writer at a time: an advisory lock (fcntl) on `<db>.lock` beside the archive.

A crawl, a re-extraction or a takedown holds it while it writes; a second one started on the
same archive meanwhile fails at once with `ArchiveLocked` (the CLI exits with status 75,
EX_TEMPFAIL, so cron or systemd can tell "busy, try later" from a failure). The lock is the
kernel's: it disappears with the process that held it, even after `kill -9`, so a crash never
leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import socket
from pathlib import Path
from types import TracebackType
from typing import IO

from archive.db import ArchiveError, utc_now

EX_TEMPFAIL = 75

# Locks this process holds, by lock file: taking one again (the crawl runner, then its
# extension) only counts up.
_HELD: dict[str, ArchiveLock] = {}


class ArchiveLocked(ArchiveError):
    """Another process is writing to the archive."""


def lock_path(db_path: str | Path) -> Path:
    """The lock file of an archive: `<db>.lock`."""
    return Path(f"{db_path}.lock")


class ArchiveLock:
    """An exclusive, non-blocking lock on an archive; a context manager."""

    def __init__(self, db_path: str | Path, purpose: str = "crawl"):
        self.path = lock_path(db_path).resolve()
        self.purpose = purpose
        self._stream: IO[str] | None = None
        self._depth = 0

    def acquire(self) -> ArchiveLock:
        """Take the lock, or raise ArchiveLocked saying who holds it."""
        held = _HELD.get(str(self.path))
        if held is not None:
            held._depth += 1
            return held
        self.path.parent.mkdir(parents=True, exist_ok=True)
        stream = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            stream.seek(0)
            holder = stream.read().strip() or "another process"
            stream.close()
            raise ArchiveLocked(
                f"the archive is busy: {holder} holds {self.path}; try again when it is done"
            ) from None
        stream.seek(0)
        stream.truncate()
        host = socket.gethostname()
        stream.write(f"{self.purpose} (pid {os.getpid()} on {host}) since {utc_now()}\n")
        stream.flush()
        self._stream = stream
        self._depth = 1
        _HELD[str(self.path)] = self
        return self

    def release(self) -> None:
        """Let go of the lock (after as many releases as acquisitions)."""
        self._depth -= 1
        if self._depth > 0 or self._stream is None:
            return
        _HELD.pop(str(self.path), None)
        self._stream.seek(0)
        self._stream.truncate()
        fcntl.flock(self._stream.fileno(), fcntl.LOCK_UN)
        self._stream.close()
        self._stream = None

    def __enter__(self) -> ArchiveLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


def check_unlocked(db_path: str | Path) -> None:
    """Raise ArchiveLocked if another process holds the archive's lock right now."""
    with ArchiveLock(db_path, purpose="check"):
        pass
