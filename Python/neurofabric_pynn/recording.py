"""Recorders: PyNN's own, reading what the engine's trace holds (spikes and v)."""
import numpy as np
from pyNN import errors, recording

from . import simulator

RECORDABLE = ("spikes", "v")


class Recorder(recording.Recorder):
    _simulator = simulator

    def _record(self, variable, new_ids, sampling_interval=None):
        if variable.name not in RECORDABLE:
            self.recorded.pop(variable, None)  # PyNN notes the variable before asking the backend
        if sampling_interval is not None:
            self.sampling_interval = sampling_interval
        if variable.name not in RECORDABLE:
            raise NotImplementedError(f"recording '{variable.name}' of {self.population.label}: "
                                      f"NeuroFabric records {' and '.join(RECORDABLE)}")

    def get(self, variables, *args, **kwargs):
        """PyNN's, with NothingToWriteError where there are no data yet (PyNN's own code would
        index an empty list of segments)."""
        state = self._simulator.state
        if not state.running and next(iter(self.cache), None) is None:
            raise errors.NothingToWriteError(f"data of {self.population.label}: nothing has run since sim.setup(): "
                                             "call sim.run() first")
        return super().get(variables, *args, **kwargs)

    def _start(self):
        return float(self._recording_start_time)

    def _get_spiketimes(self, ids, clear=False):
        results = self._simulator.state.engine.results
        start = self._start()
        spikes = {}
        for cell in ids:
            times = results.spikes(self.population, int(cell)) if results else np.zeros(0)
            spikes[int(cell)] = times[times >= start]
        return spikes

    def _get_all_signals(self, variable, ids, clear=False):
        results = self._simulator.state.engine.results
        if not ids or results is None:
            return np.zeros((0, 0)), None
        signals, times = results.membrane(self.population, [int(i) for i in ids])
        return signals[times >= self._start() - 1e-9], None

    def _local_count(self, variable, filter_ids=None):
        if variable.name != "spikes":
            raise NotImplementedError(f"count of {variable.name}: only spikes are counted")
        return {int(cell): len(times) for cell, times in
                self._get_spiketimes(self.filter_recorded(variable, filter_ids)).items()}

    def _clear_simulator(self):
        pass

    def _reset(self):
        pass
