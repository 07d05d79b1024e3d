"""PyNN's standard models that NeuroFabric runs, under their own names and units (the engine reads
PyNN's names, so the translations are the identity), and the standard models it does not run yet,
which raise NotImplementedError naming themselves."""
import numpy as np
from pyNN import errors
from pyNN.parameters import ParameterSpace, Sequence
from pyNN.standardmodels import build_translations, cells, electrodes, synapses

from . import simulator


def _identity(model):
    return build_translations(*((name, name) for name in model.default_parameters))


def _runs(model, **members):
    """PyNN's standard `model` as NeuroFabric runs it: its own names and units."""
    return type(model.__name__, (model,), {"__doc__": model.__doc__, "translations": _identity(model), **members})


IF_curr_exp = _runs(cells.IF_curr_exp)
IF_cond_exp = _runs(cells.IF_cond_exp)
IF_curr_alpha = _runs(cells.IF_curr_alpha)
IF_cond_alpha = _runs(cells.IF_cond_alpha)
EIF_cond_exp_isfa_ista = _runs(cells.EIF_cond_exp_isfa_ista)
SpikeSourcePoisson = _runs(cells.SpikeSourcePoisson)


class SpikeSourceArray(cells.SpikeSourceArray):
    __doc__ = cells.SpikeSourceArray.__doc__
    translations = _identity(cells.SpikeSourceArray)

    @staticmethod
    def check_trains(trains, label=None):
        """Spike times must be finite, ≥ 0 (time starts at 0), at most the longest run, and not
        decrease (as PyNN's other backends require)."""
        for cell, train in enumerate(trains):
            times = np.asarray(getattr(train, "value", train), dtype=float).ravel()
            where = f"spike_times of cell {cell}" + (f" of {label}" if label else "")
            bad = np.flatnonzero(~np.isfinite(times) | (times < 0) | (times > 1e9))
            if bad.size:
                raise errors.InvalidParameterValueError(
                    f"{where}: {float(times[bad[0]])!r} ms is not a spike time (finite, ≥ 0 and at most 1e9 ms)")
            if np.any(np.diff(times) < 0):
                raise errors.InvalidParameterValueError(f"{where}: spike times must be in increasing order, got {times}")


class StaticSynapse(synapses.StaticSynapse):
    __doc__ = synapses.StaticSynapse.__doc__
    translations = _identity(synapses.StaticSynapse)
    parameter_checks = {}  # Projection._check: PyNN's rules for every connector, `set` included, with the value named

    def _get_minimum_delay(self):
        delay = simulator.state.min_delay
        return simulator.state.dt if delay == "auto" else delay


class _CurrentSource:
    """Where a source is injected: kept for the hand-over, which makes it SONATA current clamps."""

    def __init__(self, **parameters):
        super().__init__(**parameters)
        self.parameter_space.shape = (1,)
        self.parameter_space.evaluate(simplify=True)
        object.__setattr__(self, "_values", {name: value.value if isinstance(value, Sequence) else value
                                             for name, value in self.parameter_space.items()})
        self._check()
        # (cells, time from which the source drives them) and (time from which they hold, parameters):
        # a source made, injected or changed after a run acts from then on.
        object.__setattr__(self, "targets", [])
        object.__setattr__(self, "history", [(simulator.state.t, dict(self._values))])
        simulator.state.current_sources.append(self)

    def _check(self):
        pass

    def inject_into(self, cells):
        self.targets.append((cells, simulator.state.t))

    def forget_history(self):
        """After reset(): the parameters and targets as they are now hold from t = 0."""
        self.history[:] = [(0.0, dict(self._values))]
        self.targets[:] = [(cells, 0.0) for cells, _ in self.targets]

    def set_native_parameters(self, parameters):
        parameters.shape = (1,)
        parameters.evaluate(simplify=True)
        self._values.update({name: value.value if isinstance(value, Sequence) else value for name, value in parameters.items()})
        self._check()
        since = simulator.state.t
        self.history[:] = [entry for entry in self.history if entry[0] < since] + [(since, dict(self._values))]

    def get_native_parameters(self):
        return ParameterSpace(dict(self._values))


class DCSource(_CurrentSource, electrodes.DCSource):
    __doc__ = electrodes.DCSource.__doc__
    translations = _identity(electrodes.DCSource)


class StepCurrentSource(_CurrentSource, electrodes.StepCurrentSource):
    __doc__ = electrodes.StepCurrentSource.__doc__
    translations = _identity(electrodes.StepCurrentSource)

    def _check(self):
        """PyNN's rules for step times (as its NEURON and Brian2 backends apply them): ≥ 0 and
        increasing, then moved to the nearest step, the last amplitude given for a step kept."""
        times = np.asarray(getattr(self._values["times"], "value", self._values["times"]), dtype=float).ravel()
        amplitudes = np.asarray(getattr(self._values["amplitudes"], "value", self._values["amplitudes"]), dtype=float).ravel()
        if len(times) != len(amplitudes):
            raise ValueError(f"{len(amplitudes)} amplitudes for {len(times)} step times")
        if np.any(times < 0):
            raise ValueError("Step current cannot accept negative timestamps.")
        if np.any(np.diff(times) <= 0):
            raise ValueError("Step current timestamps should be monotonically increasing.")
        times = self._round_timestamp(times, simulator.state.dt)
        times, index = np.unique(np.flip(times), return_index=True)
        self._values["times"] = times
        self._values["amplitudes"] = np.flip(amplitudes)[index]


def _not_yet(model, why):
    def refuse(self, *args, **kwargs):
        raise NotImplementedError(f"{model}: {why}")
    return type(model, (), {"__init__": refuse, "__doc__": f"Not available in NeuroFabric: {why}"})


EIF_cond_alpha_isfa_ista = _not_yet("EIF_cond_alpha_isfa_ista", "AdEx with alpha-shaped conductances is not in the engine (EIF_cond_exp_isfa_ista is)")
IF_curr_delta = _not_yet("IF_curr_delta", "delta synapses are not in the engine")
IF_cond_exp_gsfa_grr = _not_yet("IF_cond_exp_gsfa_grr", "spike-frequency adaptation and relative refractoriness are not in the engine")
IF_facets_hardware1 = _not_yet("IF_facets_hardware1", "use a brainscales1 system with IF_cond_exp or EIF_cond_exp_isfa_ista")
HH_cond_exp = _not_yet("HH_cond_exp", "Hodgkin-Huxley neurons are not in the engine")
Izhikevich = _not_yet("Izhikevich", "Izhikevich neurons are not in the engine")
GIF_cond_exp = _not_yet("GIF_cond_exp", "generalised integrate-and-fire neurons are not in the engine")
SpikeSourceGamma = _not_yet("SpikeSourceGamma", "gamma sources are not in the engine (SpikeSourcePoisson and SpikeSourceArray are)")
SpikeSourceInhGamma = _not_yet("SpikeSourceInhGamma", "gamma sources are not in the engine (SpikeSourcePoisson and SpikeSourceArray are)")
SpikeSourcePoissonRefractory = _not_yet("SpikeSourcePoissonRefractory", "refractory Poisson sources are not in the engine")
_PLASTIC = "NeuroFabric has static synapses only (plasticity is planned)"
TsodyksMarkramSynapse = _not_yet("TsodyksMarkramSynapse", _PLASTIC)
STDPMechanism = _not_yet("STDPMechanism", _PLASTIC)
SimpleStochasticSynapse = _not_yet("SimpleStochasticSynapse", _PLASTIC)
StochasticTsodyksMarkramSynapse = _not_yet("StochasticTsodyksMarkramSynapse", _PLASTIC)
MultiQuantalSynapse = _not_yet("MultiQuantalSynapse", _PLASTIC)
ElectricalSynapse = _not_yet("ElectricalSynapse", "gap junctions are not in the engine")
ACSource = _not_yet("ACSource", "only DCSource and StepCurrentSource are handed to the engine")
NoisyCurrentSource = _not_yet("NoisyCurrentSource", "only DCSource and StepCurrentSource are handed to the engine")

AdditiveWeightDependence = _not_yet("AdditiveWeightDependence", _PLASTIC)
MultiplicativeWeightDependence = _not_yet("MultiplicativeWeightDependence", _PLASTIC)
AdditivePotentiationMultiplicativeDepression = _not_yet("AdditivePotentiationMultiplicativeDepression", _PLASTIC)
GutigWeightDependence = _not_yet("GutigWeightDependence", _PLASTIC)
SpikePairRule = _not_yet("SpikePairRule", _PLASTIC)
Vogels2011Rule = _not_yet("Vogels2011Rule", _PLASTIC)
_COMPOSED = "composed neuron models (PointNeuron with several receptor types) are not in the engine"
PointNeuron = _not_yet("PointNeuron", _COMPOSED)
LIF = _not_yet("LIF", _COMPOSED)
AdExp = _not_yet("AdExp", _COMPOSED)
CondExpPostSynapticResponse = _not_yet("CondExpPostSynapticResponse", _COMPOSED)
CurrExpPostSynapticResponse = _not_yet("CurrExpPostSynapticResponse", _COMPOSED)
CondAlphaPostSynapticResponse = _not_yet("CondAlphaPostSynapticResponse", _COMPOSED)
CurrAlphaPostSynapticResponse = _not_yet("CurrAlphaPostSynapticResponse", _COMPOSED)

SUPPORTED_CELL_TYPES = [IF_curr_exp, IF_cond_exp, IF_curr_alpha, IF_cond_alpha, EIF_cond_exp_isfa_ista, SpikeSourcePoisson,
                        SpikeSourceArray]
