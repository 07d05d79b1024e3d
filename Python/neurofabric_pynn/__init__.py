"""NeuroFabric as a PyNN backend: `import pyNN.neurofabric as sim`.

    sim.setup(timestep=0.1, system="Topologies/spinnaker2-board.toml", ranks=2, seed=3)
    ...                       # Populations, Projections, record(), current sources, as in PyNN
    sim.run(1000.0)           # hands the network to `neurofabric run` and reads the trace back
    data = population.get_data()          # a neo Block
    print(sim.get_fabric_report())        # drops, overruns, energy: what the hardware did
    print(sim.map())                      # the mapping report alone, as pynn_brainscales' prepare step

setup() options beyond PyNN's: `system` (a topology file; default the ideal crossbar), `ranks`
(MPI ranks; mpiexec is used above 1), `placer` (sequential, random or graph), `seed`, `map_only`
(setup returns after printing the mapping report at the first run), `quiet`, `workdir` (where the
circuit and traces go; a temporary directory by default), `binary`.
"""
import math
import numbers
import os

from pyNN import common, errors, random, space  # noqa: F401
from pyNN.common.control import DEFAULT_MAX_DELAY, DEFAULT_MIN_DELAY, DEFAULT_TIMESTEP
from pyNN.connectors import *  # noqa: F401,F403
from pyNN.network import Network  # noqa: F401
from pyNN.random import GSLRNG, NumpyRNG, RandomDistribution  # noqa: F401
from pyNN.recording import *  # noqa: F401,F403
from pyNN.recording import get_io
from pyNN.space import Space  # noqa: F401
from pyNN.standardmodels import StandardCellType

from . import simulator
from .claim import WorkdirInUseError  # noqa: F401
from .engine import Engine, EngineError  # noqa: F401
from .populations import Assembly, Population, PopulationView  # noqa: F401
from .projections import Projection  # noqa: F401
from .standardmodels import *  # noqa: F401,F403
from .standardmodels import SUPPORTED_CELL_TYPES

DEFAULT_SYSTEM = "Topologies/ideal-crossbar.toml"


def setup(timestep=DEFAULT_TIMESTEP, min_delay=DEFAULT_MIN_DELAY, system=DEFAULT_SYSTEM, ranks=1, placer=None,
          seed=1, map_only=False, quiet=False, workdir=None, binary=None, **extra_params):
    """Starts a new simulation on `system` (a NeuroFabric topology file); as in pyNN.nest, the
    network of an earlier setup() is gone (and its workdir given up, a temporary one removed)."""
    max_delay = extra_params.get("max_delay", DEFAULT_MAX_DELAY)
    _check_setup(timestep=timestep, ranks=ranks, seed=seed, binary=binary)
    common.setup(timestep, min_delay, **extra_params)
    state = simulator.state
    state.close()
    state.engine = None
    state.options = {}
    state.clear()
    state.dt = timestep
    state.min_delay = min_delay
    state.max_delay = max_delay
    state.options = {"map_only": map_only}
    if workdir:
        state.options["workdir"] = workdir
    state.engine = Engine(state, system, ranks=ranks, placer=placer, seed=seed, quiet=quiet, binary=binary)
    return 0


def _whole(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _check_setup(timestep, ranks, seed, binary):
    if not _whole(ranks) or ranks < 1:
        raise errors.InvalidParameterValueError(f"setup(ranks={ranks!r}): the number of MPI ranks must be a whole number ≥ 1")
    if not _whole(seed) or seed < 0:
        raise errors.InvalidParameterValueError(f"setup(seed={seed!r}): the seed must be a whole number ≥ 0")
    if not isinstance(timestep, numbers.Real) or not math.isfinite(timestep) or timestep <= 0:
        raise errors.InvalidParameterValueError(f"setup(timestep={timestep!r}): the timestep must be a finite number of ms > 0")
    if binary is not None and not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        raise errors.InvalidParameterValueError(f"setup(binary={binary!r}): not an executable file")


def end(compatible_output=True):
    """Writes what `write_data` was asked to write at the end, then gives the workdir up: its
    claim released, a temporary one removed (the last run's data kept in memory, as PyNN's
    end() leaves recorded data readable). A second end() does nothing."""
    state = simulator.state
    try:
        for population, variables, filename in state.write_on_end:
            population.write_data(get_io(filename), variables)
    finally:
        state.write_on_end = []
        if state.temporary is not None and state.engine is not None and state.engine.results is not None:
            state.engine.results.keep()
        state.close()


_run, _run_until = common.build_run(simulator)


def _check_time(name, value):
    if not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise errors.InvalidParameterValueError(f"{name}({value!r}): the time must be a finite number of ms")


def run_until(time_point, callbacks=None):
    _check_time("run_until", time_point)
    if simulator.state.options.get("map_only"):
        print(map())
        return simulator.state.t
    return _run_until(time_point, callbacks)


def run(simtime, callbacks=None):
    _check_time("run", simtime)
    if simtime < 0:
        raise errors.InvalidParameterValueError(f"run({simtime!r}): a run lasts 0 ms or more (time never moves backwards; "
                                                f"the current time is {simulator.state.t} ms)")
    return run_until(simulator.state.t + simtime, callbacks)


run_for = run
reset = common.build_reset(simulator)
initialize = common.initialize
get_current_time, get_time_step, _get_min_delay, get_max_delay, num_processes, rank = common.build_state_queries(simulator)


def get_min_delay():
    """The shortest delay: as set up, or with min_delay='auto' the shortest in the network (dt without
    connections)."""
    delay = _get_min_delay()
    if delay != "auto":
        return delay
    delays = [p._attributes["delay"].min() for p in simulator.state.projections if len(p)]
    return float(min(delays)) if delays else simulator.state.dt


def map():  # noqa: A001 - the name pynn_brainscales users know
    """The mapping report of the network as it stands: chips, placement, routing, limits."""
    if simulator.state.engine is None:
        raise RuntimeError("call sim.setup() before sim.map()")
    return simulator.state.engine.map()


def get_fabric_report():
    """What the hardware did in the last run: drops, overruns, synaptic events, energy (a dict)."""
    results = simulator.state.engine.results if simulator.state.engine is not None else None
    if results is None:
        raise errors.NothingToWriteError("get_fabric_report(): nothing has run since setup(), reset() or end(): call sim.run() first")
    return results.fabric_report()


def list_standard_models():
    """The standard cell types NeuroFabric runs."""
    return [model.__name__ for model in SUPPORTED_CELL_TYPES if issubclass(model, StandardCellType)]


create = common.build_create(Population)
connect = common.build_connect(Projection, FixedProbabilityConnector, StaticSynapse)  # noqa: F405
record = common.build_record(simulator)


def record_v(source, filename):
    return record(["v"], source, filename)


def record_gsyn(source, filename):
    return record(["gsyn_exc", "gsyn_inh"], source, filename)
