"""Populations, views and assemblies: PyNN's own classes, with the parameters and initial values
kept as arrays for the hand-over to the engine."""
import numpy as np
from pyNN import common, errors
from pyNN.parameters import ParameterSpace, simplify

from . import simulator
from .recording import Recorder


class Assembly(common.Assembly):
    _simulator = simulator


def _evaluated(value, size):
    """A lazy array of per-cell values as a float array of `size`."""
    array = value.evaluate(simplify=False) if hasattr(value, "evaluate") else value
    return np.broadcast_to(np.asarray(array, dtype=float), (size,)).copy()


class PopulationView(common.PopulationView):
    _assembly_class = Assembly
    _simulator = simulator

    @property
    def _cells(self):
        """The population this view's cells belong to, and their indices there (views of views too)."""
        return self.grandparent, self.index_in_grandparent(np.arange(self.size))

    def _get_parameters(self, *names):
        owner, cells = self._cells
        values = {name: simplify(np.asarray(owner._parameters[name])[cells])
                  if isinstance(owner._parameters[name], np.ndarray) else owner._parameters[name]
                  for name in self.celltype.get_native_names(*names)}
        return self.celltype.reverse_translate(ParameterSpace(values, shape=(self.size,)))

    def _set_parameters(self, parameter_space):
        owner, cells = self._cells
        for name, value in parameter_space.items():
            column = owner._parameters[name]
            if not isinstance(column, np.ndarray):
                raise errors.InvalidParameterValueError(f"{name} cannot be set on a view of {owner.label}")
            column[cells] = value.evaluate(simplify=True)
        owner._note_spike_times()

    def _set_initial_value_array(self, variable, initial_values):
        owner, cells = self._cells
        owner._initial[variable][cells] = _evaluated(initial_values, self.size)

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)


class Population(common.Population):
    __doc__ = common.Population.__doc__
    _simulator = simulator
    _recorder_class = Recorder
    _assembly_class = Assembly

    def _create_cells(self):
        first = simulator.state.id_counter
        self.all_cells = np.array([simulator.ID(i) for i in range(first, first + self.size)], dtype=simulator.ID)
        self._mask_local = np.ones((self.size,), dtype=bool)
        for cell in self.all_cells:
            cell.parent = self
        simulator.state.id_counter += self.size
        parameter_space = self.celltype.native_parameters
        parameter_space.shape = (self.size,)
        parameter_space.evaluate(simplify=False)
        self._parameters = parameter_space.as_dict()
        self._initial = {}
        self._spike_history = []
        self._note_spike_times()
        simulator.state.populations.append(self)

    def _note_spike_times(self):
        """A SpikeSourceArray's trains, checked, and kept with the time from which they hold: times
        set after a run replace only the spikes from then on (the earlier ones were emitted)."""
        if "spike_times" not in self._parameters:
            return
        trains = [np.asarray(getattr(t, "value", t), dtype=float).ravel() for t in self._parameters["spike_times"]]
        self.celltype.check_trains(trains, self.label)
        since = simulator.state.t
        self._spike_history = [entry for entry in self._spike_history if entry[0] < since] + [(since, trains)]

    def forget_history(self):
        """After reset(): the spike times as they are now hold from t = 0."""
        if self._spike_history:
            self._spike_history = [(0.0, self._spike_history[-1][1])]

    def spike_trains(self, before=None):
        """The spikes a SpikeSourceArray emits (those before `before` ms where given)."""
        trains = [np.zeros(0) for _ in range(self.size)]
        bounds = [entry[0] for entry in self._spike_history[1:]] + [np.inf]
        for (since, given), until in zip(self._spike_history, bounds):
            if before is not None:
                until = min(until, before)
            trains = [np.concatenate([old, t[(t >= since) & (t < until)]]) for old, t in zip(trains, given)]
        return trains

    def _set_initial_value_array(self, variable, initial_values):
        self._initial[variable] = _evaluated(initial_values, self.size)

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)

    def _get_parameters(self, *names):
        native_names = self.celltype.get_native_names(*names)
        values = {name: simplify(self._parameters[name]) for name in native_names}
        return self.celltype.reverse_translate(ParameterSpace(values, shape=(self.size,)))

    def _set_parameters(self, parameter_space):
        parameter_space.evaluate(simplify=False)
        for name, value in parameter_space.items():
            self._parameters[name] = value
        self._note_spike_times()

    def parameter_columns(self):
        """Each PyNN parameter of the cells: one value for all, or an array of one per cell."""
        columns = {}
        for name in self.celltype.get_parameter_names():
            value = self.get(name, gather=True, simplify=True)
            if isinstance(value, np.ndarray) and value.dtype == object:
                value = list(value)
            columns[name] = value
        return columns


