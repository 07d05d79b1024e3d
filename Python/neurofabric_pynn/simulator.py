"""The backend's state: what PyNN's common code asks of a simulator (time, step, recorders), the
network objects created since setup(), and the engine that runs them."""
import os
import tempfile

from pyNN import common

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
        self.engine.run_until(tstop)
        self.t = tstop
        self.running = True

    @property
    def workdir(self):
        if "workdir" not in self.options:
            self.options["workdir"] = tempfile.mkdtemp(prefix="neurofabric-pynn-")
        os.makedirs(self.options["workdir"], exist_ok=True)
        return self.options["workdir"]


state = State()
