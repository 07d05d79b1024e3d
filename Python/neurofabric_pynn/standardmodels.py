"""PyNN's standard models that NeuroFabric runs, under their own names and units (the engine reads
PyNN's names, so the translations are the identity), and the standard models it does not run yet,
which raise NotImplementedError naming themselves."""
from pyNN.parameters import ParameterSpace
from pyNN.standardmodels import build_translations, cells, electrodes, synapses

from . import simulator


def _identity(model):
    return build_translations(*((name, name) for name in model.default_parameters))


class IF_curr_exp(cells.IF_curr_exp):
    __doc__ = cells.IF_curr_exp.__doc__
    translations = _identity(cells.IF_curr_exp)


class IF_cond_exp(cells.IF_cond_exp):
    __doc__ = cells.IF_cond_exp.__doc__
    translations = _identity(cells.IF_cond_exp)


class EIF_cond_exp_isfa_ista(cells.EIF_cond_exp_isfa_ista):
    __doc__ = cells.EIF_cond_exp_isfa_ista.__doc__
    translations = _identity(cells.EIF_cond_exp_isfa_ista)


class SpikeSourcePoisson(cells.SpikeSourcePoisson):
    __doc__ = cells.SpikeSourcePoisson.__doc__
    translations = _identity(cells.SpikeSourcePoisson)


class SpikeSourceArray(cells.SpikeSourceArray):
    __doc__ = cells.SpikeSourceArray.__doc__
    translations = _identity(cells.SpikeSourceArray)


class StaticSynapse(synapses.StaticSynapse):
    __doc__ = synapses.StaticSynapse.__doc__
    translations = _identity(synapses.StaticSynapse)

    def _get_minimum_delay(self):
        delay = simulator.state.min_delay
        return simulator.state.dt if delay == "auto" else delay


class _CurrentSource:
    """Where a source is injected: kept for the hand-over, which makes it SONATA current clamps."""

    def __init__(self, **parameters):
        super().__init__(**parameters)
        self.parameter_space.shape = (1,)
        self.parameter_space.evaluate(simplify=True)
        object.__setattr__(self, "_values", self.parameter_space.as_dict())
        object.__setattr__(self, "targets", [])
        simulator.state.current_sources.append(self)

    def inject_into(self, cells):
        self.targets.append(cells)

    def set_native_parameters(self, parameters):
        parameters.shape = (1,)
        parameters.evaluate(simplify=True)
        self._values.update(parameters.as_dict())

    def get_native_parameters(self):
        return ParameterSpace(dict(self._values), shape=(1,))


class DCSource(_CurrentSource, electrodes.DCSource):
    __doc__ = electrodes.DCSource.__doc__
    translations = _identity(electrodes.DCSource)


class StepCurrentSource(_CurrentSource, electrodes.StepCurrentSource):
    __doc__ = electrodes.StepCurrentSource.__doc__
    translations = _identity(electrodes.StepCurrentSource)


def _not_yet(model, why):
    def refuse(self, *args, **kwargs):
        raise NotImplementedError(f"{model}: {why}")
    return type(model, (), {"__init__": refuse, "__doc__": f"Not available in NeuroFabric: {why}"})


_ALPHA = "alpha-shaped synapses are not in the engine yet (IF_curr_exp, IF_cond_exp and EIF_cond_exp_isfa_ista are)"
IF_curr_alpha = _not_yet("IF_curr_alpha", _ALPHA)
IF_cond_alpha = _not_yet("IF_cond_alpha", _ALPHA)
EIF_cond_alpha_isfa_ista = _not_yet("EIF_cond_alpha_isfa_ista", _ALPHA)
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

SUPPORTED_CELL_TYPES = [IF_curr_exp, IF_cond_exp, EIF_cond_exp_isfa_ista, SpikeSourcePoisson, SpikeSourceArray]
