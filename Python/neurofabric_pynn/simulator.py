"""The backend's state: what PyNN's common code asks of a simulator (time, step, recorders), the
network objects created since setup(), and the engine that runs them."""
import atexit
import math
import os
import shutil
import signal
import tempfile
import threading

from pyNN import common, errors

from .claim import Claim

name = "NeuroFabric"


class ID(int, common.IDMixin):
    def __init__(self, n):
        int.__init__(n)
        common.IDMixin.__init__(self)


class State(common.control.BaseState):
    def __init__(self):
        common.control.BaseState.__init__(self)
        self.mpi_rank = 0
        self.num_processes = 1
        self.dt = 0.1
        self.options = {}
        self.engine = None
        self.claim = None
        self.temporary = None
        self.clear()

    def clear(self):
        self.recorders = set()
        self.populations = []
        self.projections = []
        self.current_sources = []
        self.id_counter = 0
        self.segment_counter = -1
        self.reset()

    def reset(self):
        """Back to t = 0: the next run starts a new segment from the initial state."""
        self.running = False
        self.t = 0.0
        self.t_start = 0.0
        self.segment_counter += 1
        for item in self.populations + self.current_sources:
            item.forget_history()
        if self.engine is not None:
            self.engine.forget()

    def run(self, simtime):
        self.run_until(self.t + simtime)

    def run_until(self, tstop):
        if self.engine is None:
            raise RuntimeError("call sim.setup() before sim.run()")
        if not math.isfinite(tstop):
            raise errors.InvalidParameterValueError(f"run until {tstop!r} ms (a callback's time?): times must be finite")
        if tstop <= self.t:
            return  # PyNN allows half a step of rounding into the past: time stays where it is
        self.engine.run_until(tstop)
        self.t = tstop
        self.running = True

    @property
    def workdir(self):
        """Where the circuit and traces go, claimed by this process (claim.py) from its first use
        until end(), the next setup() or exit: the given workdir, or a temporary folder."""
        if "workdir" not in self.options:
            self.temporary = tempfile.mkdtemp(prefix="neurofabric-pynn-")
            self.options["workdir"] = self.temporary
        directory = self.options["workdir"]
        if self.claim is None or self.claim.directory != os.path.abspath(directory):
            if os.path.exists(directory) and not os.path.isdir(directory):
                raise errors.InvalidParameterValueError(f"workdir {directory!r} is not a directory")
            try:
                os.makedirs(directory, exist_ok=True)
            except OSError as error:
                raise errors.InvalidParameterValueError(f"workdir {directory!r}: {error.strerror}") from None
            self.claim = Claim(directory).acquire()
            _exit_cleanly_on_sigterm()
        return directory

    def close(self):
        """Stops an engine still running, gives the workdir's claim up and removes the temporary
        folder this backend made (a given workdir is kept)."""
        if self.engine is not None:
            self.engine.stop()
        if self.claim is not None:
            self.claim.release()
            self.claim = None
        if self.temporary is not None:
            shutil.rmtree(self.temporary, ignore_errors=True)
            if self.options.get("workdir") == self.temporary:
                del self.options["workdir"]
            self.temporary = None


def _on_sigterm(number, frame):
    raise SystemExit(128 + number)


def _exit_cleanly_on_sigterm():
    """While the backend holds a workdir, SIGTERM outside a run exits 143 through Python's exit
    handlers (which release the claim and remove the temporary folder) instead of killing Python
    on the spot; a handler the script installed itself is left alone."""
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _on_sigterm)


state = State()
atexit.register(state.close)
