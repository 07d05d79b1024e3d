"""One writer per directory: a run claims its directory by creating `.neurofabric.lock` there with
O_EXCL (the run id, host, pid and command, one `key=value` a line), the same file and format the
engine uses for its own output directory. A claim whose pid no longer lives on this host is stale
and is taken over with a warning; any other is refused by name."""
import os
import socket
import sys
import time
import uuid
import warnings

LOCK = ".neurofabric.lock"


class WorkdirInUseError(RuntimeError):
    """Another run holds the directory's claim."""


def _parse(text):
    fields = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    if not fields.get("run") or not fields.get("host") or not fields.get("pid", "").isdigit():
        return None
    return fields


def _read(path):
    """The claim's fields, re-read once after a moment if it is being written; None if it is gone."""
    for attempt in range(3):
        try:
            with open(path) as f:
                text = f.read()
        except FileNotFoundError:
            return None
        fields = _parse(text)
        if fields is not None:
            return fields
        time.sleep(0.1)
    return {"unreadable": text}


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Claim:
    """The claim of one directory by this process."""

    def __init__(self, directory):
        self.directory = os.path.abspath(directory)
        self.path = os.path.join(self.directory, LOCK)
        self.run = uuid.uuid4().hex
        self.text = (f"run={self.run}\nhost={socket.gethostname()}\npid={os.getpid()}\n"
                     f"command={' '.join(sys.argv)}\n")
        self.held = False

    def acquire(self):
        """Creates the lock file; takes over a stale one; raises WorkdirInUseError for a live one."""
        for attempt in range(5):
            try:
                descriptor = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = _read(self.path)
                if holder is None:
                    continue
                self._take_over_if_stale(holder)
                continue
            with os.fdopen(descriptor, "w") as f:
                f.write(self.text)
            self.held = True
            return self
        raise WorkdirInUseError(f"workdir {self.directory}: could not claim it ({self.path} keeps reappearing)")

    def _take_over_if_stale(self, holder):
        if "unreadable" in holder:
            raise WorkdirInUseError(
                f"workdir {self.directory} is claimed by {self.path}, which is not a claim this backend can read "
                f"({holder['unreadable'][:80]!r}); remove it if no run uses the directory")
        host, pid = holder["host"], int(holder["pid"])
        if host != socket.gethostname() or _alive(pid):
            raise WorkdirInUseError(
                f"workdir {self.directory} is in use by another run: host {host}, pid {pid}"
                + (f" ({holder['command']})" if holder.get("command") else "")
                + f"; wait for it to end, or give this script another workdir= (the claim: {self.path})")
        warnings.warn(f"workdir {self.directory}: taking over the claim of pid {pid} on {host}, which no longer runs")
        aside = f"{self.path}.{self.run}"
        try:
            os.rename(self.path, aside)
        except FileNotFoundError:
            return
        if _read(aside) != holder:  # another process claimed it in between: give its claim back
            try:
                os.link(aside, self.path)
            except FileExistsError:
                pass
        os.unlink(aside)

    def release(self):
        """Removes the lock file if it is still this claim."""
        if not self.held:
            return
        self.held = False
        holder = _read(self.path)
        if holder is not None and holder.get("run") == self.run:
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass
