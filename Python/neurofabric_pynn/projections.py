"""Projections: PyNN's connectors draw the connections (so every standard connector works as in
PyNN), which are kept as arrays of (pre, post, weight, delay) and handed to the engine."""
import numpy as np
from pyNN import common, errors
from pyNN.space import Space

from . import simulator
from .standardmodels import StaticSynapse

LARGEST = 1e6  # the engine's largest weight (nA or µS) and delay (ms): NetworkValidation.maximumWeight, maximumDelay


class Connection(common.Connection):
    """One connection, as `Projection.__getitem__` and iteration give it."""

    def __init__(self, projection, index):
        self.projection = projection
        self.index = index
        self.presynaptic_index = int(projection._pre[index])
        self.postsynaptic_index = int(projection._post[index])

    def _value(self, name):
        return float(self.projection._attributes[name][self.index])

    def _set(self, name, value):
        try:
            value = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise errors.ConnectionError(f"{name} {value!r}: {name}s must be numbers") from None
        self.projection._check(name, value, np.array([self.presynaptic_index]), self.postsynaptic_index)
        self.projection._attributes[name][self.index] = float(value)

    weight = property(lambda self: self._value("weight"), lambda self, value: self._set("weight", value))
    delay = property(lambda self: self._value("delay"), lambda self, value: self._set("delay", value))

    def as_tuple(self, *attribute_names):
        return tuple(getattr(self, name) for name in attribute_names)


class Projection(common.Projection):
    __doc__ = common.Projection.__doc__
    _simulator = simulator
    _static_synapse_class = StaticSynapse

    def __init__(self, presynaptic_population, postsynaptic_population, connector, synapse_type=None,
                 source=None, receptor_type=None, space=Space(), label=None):
        common.Projection.__init__(self, presynaptic_population, postsynaptic_population, connector, synapse_type,
                                   source, receptor_type, space, label)
        for side in (presynaptic_population, postsynaptic_population):
            for population in getattr(side, "populations", [side]):
                owner = getattr(population, "grandparent", population)
                if owner not in simulator.state.populations:
                    raise errors.ConnectionError(
                        f"{population.label} was created before the last sim.setup(), which started a new network: "
                        "create it again")
        for target in getattr(self.post, "populations", [self.post]):
            if target.celltype.injectable is False:
                raise errors.ConnectionError(f"{target.label} is a spike source: it takes no synapses")
        self._chunks = []
        connector.connect(self)
        self._freeze()
        simulator.state.projections.append(self)

    def _convergent_connect(self, presynaptic_indices, postsynaptic_index, location_selector=None, **connection_parameters):
        if location_selector is not None:
            raise NotImplementedError("NeuroFabric runs point neurons: location_selector is not supported")
        unknown = set(connection_parameters) - {"weight", "delay"}
        if unknown:
            raise NotImplementedError(f"synapse parameters {sorted(unknown)}: NeuroFabric has static synapses only")
        pre = np.asarray(presynaptic_indices, dtype=np.int64).ravel()
        values = {name: np.broadcast_to(np.asarray(connection_parameters[name], dtype=float), pre.shape).copy()
                  for name in ("weight", "delay")}
        for name, value in values.items():
            self._check(name, value, pre, postsynaptic_index)
        self._chunks.append((pre, np.full(pre.shape, postsynaptic_index, dtype=np.int64), values))

    def _conductance_based(self, post_index):
        if getattr(self.post, "_homogeneous_synapses", True):
            return self.post.conductance_based
        return self.post[int(post_index)].parent.celltype.conductance_based

    def _check(self, name, values, pre, post_index):
        """PyNN's rules for weights (pyNN.standardmodels.check_weights: ≥ 0 onto conductances and
        excitatory receptors, ≤ 0 onto current-based inhibitory ones) and delays (> 0), with the
        value and the connection named; NaN and infinity are neither."""
        values = np.asarray(values, dtype=float)
        where = lambda k: (f"{name} {float(values.flat[k])!r} of the connection {int(pre.flat[k])} → {int(post_index)} "
                           f"of projection '{self.label}'")
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            raise errors.ConnectionError(f"{where(bad[0])}: a {name} must be finite")
        bad = np.flatnonzero(np.abs(values) > LARGEST)
        if bad.size:
            raise errors.ConnectionError(f"{where(bad[0])}: beyond the engine's ±{LARGEST:g}")
        if name == "delay":
            bad = np.flatnonzero(values <= 0)
            if bad.size:
                raise errors.ConnectionError(f"{where(bad[0])}: delays must be > 0 ms")
            return
        if self._conductance_based(post_index) or self.receptor_type == "excitatory":
            bad = np.flatnonzero(values < 0)
            rule = "conductance-based and/or excitatory synapses (receptor_type='{}')"
            sign = "positive"
        else:
            bad = np.flatnonzero(values > 0)
            rule = "current-based, inhibitory synapses (receptor_type='{}')"
            sign = "negative"
        if bad.size:
            raise errors.ConnectionError(f"{where(bad[0])}: weights must be {sign} (or 0) for "
                                         + rule.format(self.receptor_type) + ", as in PyNN's other backends")

    def _freeze(self):
        chunks = self._chunks
        self._pre = np.concatenate([c[0] for c in chunks]) if chunks else np.zeros(0, dtype=np.int64)
        self._post = np.concatenate([c[1] for c in chunks]) if chunks else np.zeros(0, dtype=np.int64)
        self._attributes = {name: (np.concatenate([c[2][name] for c in chunks]) if chunks else np.zeros(0))
                            for name in ("weight", "delay")}
        self._chunks = []

    def __len__(self):
        return len(self._pre)

    def __getitem__(self, i):
        return Connection(self, i)

    @property
    def connections(self):
        return (Connection(self, i) for i in range(len(self._pre)))

    def _get_attributes_as_list(self, names):
        columns = {"presynaptic_index": self._pre, "postsynaptic_index": self._post, **self._attributes}
        return list(zip(*(columns[name].tolist() for name in names)))

    def _set_attributes(self, parameter_space):
        parameter_space.evaluate(mask=(slice(None), self.post._mask_local))
        for post, column in enumerate(parameter_space.columns()):
            selected = self._post == post
            for name, value in column.items():
                if name not in self._attributes:
                    raise NotImplementedError(f"synapse parameter {name}: NeuroFabric has static synapses only")
                value = np.asarray(value, dtype=float)
                value = value if value.ndim == 0 else value[self._pre[selected]]
                self._check(name, np.broadcast_to(value, self._pre[selected].shape), self._pre[selected], post)
                self._attributes[name][selected] = value

    def edges(self):
        """The connections grouped by the populations at their two ends (a view stands for its parent
        population, an Assembly for several): a list of (pre population, pre indices, post population,
        post indices, weights, delays)."""
        populations = simulator.state.populations
        firsts = np.array([int(p.all_cells[0]) for p in populations], dtype=np.int64)
        pre_ids = np.asarray(self.pre.all_cells, dtype=np.int64)[self._pre]
        post_ids = np.asarray(self.post.all_cells, dtype=np.int64)[self._post]
        pre_owner = np.searchsorted(firsts, pre_ids, side="right") - 1
        post_owner = np.searchsorted(firsts, post_ids, side="right") - 1
        result = []
        for a, b in sorted(set(zip(pre_owner.tolist(), post_owner.tolist()))):
            selected = (pre_owner == a) & (post_owner == b)
            result.append((populations[a], pre_ids[selected] - firsts[a], populations[b], post_ids[selected] - firsts[b],
                           self._attributes["weight"][selected], self._attributes["delay"][selected]))
        return result
