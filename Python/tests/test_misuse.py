"""Misuse of pyNN.neurofabric is refused as PyNN's contract says, with PyNN's exception types and
the offending value named; nothing internal (IndexError, KeyError, tracebacks of subprocess) reaches
the script (issue 30, item 6)."""
import math

import numpy as np
import pytest
from pyNN import errors

import pyNN.neurofabric as sim


@pytest.fixture(autouse=True)
def ended():
    yield
    sim.end()


def cells(kind=None, size=3):
    sim.setup(timestep=0.1, quiet=True)
    source = sim.Population(size, sim.SpikeSourceArray(spike_times=[1.0, 5.0]), label="src")
    target = sim.Population(size, kind or sim.IF_curr_exp(), label="cells")
    return source, target


@pytest.mark.parametrize("kind,receptor,weight,sign", [
    (sim.IF_curr_exp, "excitatory", -0.5, "positive"),
    (sim.IF_curr_exp, "inhibitory", 0.5, "negative"),
    (sim.IF_cond_exp, "excitatory", -0.01, "positive"),
    (sim.IF_cond_exp, "inhibitory", -0.01, "positive"),
])
@pytest.mark.parametrize("connector", ["one_to_one", "from_list", "set"])
def test_a_weight_of_the_wrong_sign_is_refused(kind, receptor, weight, sign, connector):
    source, target = cells(kind())
    if connector == "one_to_one":
        make = lambda: sim.Projection(source, target, sim.OneToOneConnector(), sim.StaticSynapse(weight=weight),
                                      receptor_type=receptor)
    elif connector == "from_list":
        make = lambda: sim.Projection(source, target, sim.FromListConnector([(0, 1, weight, 1.0)]), receptor_type=receptor)
    else:
        projection = sim.Projection(source, target, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.0), receptor_type=receptor)
        make = lambda: projection.set(weight=weight)
    with pytest.raises(errors.ConnectionError, match=f"weight {weight!r} .*must be {sign}.*receptor_type='{receptor}'"):
        make()


def test_weights_of_the_right_sign_are_taken():
    source, target = cells(sim.IF_curr_exp())
    inhibitory = sim.Projection(source, target, sim.OneToOneConnector(), sim.StaticSynapse(weight=-0.5), receptor_type="inhibitory")
    excitatory = sim.Projection(source, target, sim.FromListConnector([(0, 0, 0.5, 1.0)]), receptor_type="excitatory")
    conductances = sim.Population(3, sim.IF_cond_exp(), label="cond")
    sim.Projection(source, conductances, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.01), receptor_type="inhibitory")
    assert list(inhibitory.get("weight", format="array").diagonal()) == [-0.5] * 3
    assert excitatory.get("weight", format="list") == [(0, 0, 0.5)]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("name,receptor", [("weight", "excitatory"), ("weight", "inhibitory"), ("delay", "excitatory")])
def test_a_weight_or_delay_that_is_not_finite_is_named_as_such(value, name, receptor):
    source, target = cells()
    synapse = sim.StaticSynapse(**{name: value})
    with pytest.raises(errors.ConnectionError, match=f"{name} {value!r} of the connection 0 → 0 .*must be finite"):
        sim.Projection(source, target, sim.OneToOneConnector(), synapse, receptor_type=receptor)


def test_a_connection_set_to_nan_is_refused():
    source, target = cells()
    projection = sim.Projection(source, target, sim.OneToOneConnector(), sim.StaticSynapse(weight=1.0, delay=1.0))
    with pytest.raises(errors.ConnectionError, match="delay nan of the connection 1 → 1 .*finite"):
        projection[1].delay = math.nan
    with pytest.raises(errors.ConnectionError, match="delay -2.0 .*> 0"):
        projection.set(delay=-2.0)
    assert projection.get("delay", format="list")[1] == (1, 1, 1.0)


@pytest.mark.parametrize("times,bad", [([1.0, math.nan], "nan"), ([-0.5, 2.0], "-0.5"), ([1.0, math.inf], "inf"),
                                       ([2e9], "2000000000.0")])
def test_spike_times_that_are_not_times_are_refused(times, bad):
    sim.setup(quiet=True)
    with pytest.raises(errors.InvalidParameterValueError, match=f"cell 0 of stim: {bad} ms is not a spike time"):
        sim.Population(2, sim.SpikeSourceArray(spike_times=times), label="stim")
    stim = sim.Population(2, sim.SpikeSourceArray(spike_times=[1.0]), label="later")
    with pytest.raises(errors.InvalidParameterValueError, match=f"cell 0 of later: {bad} ms"):
        stim.set(spike_times=times)


@pytest.mark.parametrize("ranks", [0, -1, 1.5, 2.0, "2", True, None])
def test_ranks_must_be_a_whole_number_from_one(ranks):
    with pytest.raises(errors.InvalidParameterValueError, match=f"ranks={ranks!r}"):
        sim.setup(quiet=True, ranks=ranks)


@pytest.mark.parametrize("arguments,named", [({"seed": -1}, "seed=-1"), ({"seed": "x"}, "seed='x'"),
                                             ({"timestep": 0.0}, "timestep=0.0"), ({"timestep": math.nan}, "timestep=nan"),
                                             ({"binary": "/nonexistent/neurofabric"}, "/nonexistent/neurofabric")])
def test_other_setup_values_are_checked(arguments, named):
    with pytest.raises(errors.InvalidParameterValueError, match=named):
        sim.setup(quiet=True, **arguments)


@pytest.mark.parametrize("call,value,why", [("run", -0.04, "time never moves backwards"), ("run", math.nan, "finite"),
                                            ("run", math.inf, "finite"), ("run_until", math.nan, "finite"),
                                            ("run", 2e9, "at most 1e\\+09 ms")])
def test_time_never_moves_backwards_nor_to_nowhere(call, value, why):
    source, target = cells()
    target.record("spikes")
    sim.run(5.0)
    with pytest.raises(errors.InvalidParameterValueError, match=why):
        getattr(sim, call)(value)
    assert sim.get_current_time() == 5.0


def test_run_until_half_a_step_back_keeps_the_time():
    cells()
    sim.run(5.0)
    assert sim.run_until(4.96) == 5.0
    with pytest.raises(ValueError, match="in the past"):
        sim.run_until(4.0)


def test_get_data_before_any_run_is_nothing_to_write(tmp_path):
    source, target = cells()
    target.record("spikes")
    with pytest.raises(errors.NothingToWriteError, match="data of cells: nothing has run"):
        target.get_data()
    with pytest.raises(errors.NothingToWriteError, match="data of cells"):
        target.write_data(str(tmp_path / "out.pkl"))
    with pytest.raises(errors.NothingToWriteError, match="get_fabric_report"):
        sim.get_fabric_report()


def test_a_second_setup_starts_a_new_network_as_pyNN_nest_does():
    source, target = cells()
    sim.Projection(source, target, sim.OneToOneConnector(), sim.StaticSynapse(weight=5.0))
    target.record("spikes")
    sim.run(10.0)
    first = sim.simulator.state.workdir
    new_source, new_target = cells()
    assert sim.get_current_time() == 0.0 and len(sim.simulator.state.populations) == 2
    assert not __import__("os").path.exists(first), "the first setup's temporary workdir is removed"
    with pytest.raises(errors.ConnectionError, match="src was created before the last sim.setup"):
        sim.Projection(source, new_target, sim.OneToOneConnector())
    new_target.record("spikes")
    sim.run(10.0)
    assert len(new_target.get_data().segments) == 1


def test_end_twice_and_data_after_end():
    source, target = cells()
    sim.Projection(source, target, sim.OneToOneConnector(), sim.StaticSynapse(weight=5.0))
    target.record("spikes")
    sim.run(10.0)
    assert sum(len(t) for t in target.get_data().segments[0].spiketrains) == 6, "each cell fires on each of its two input spikes"
    target.record("v")
    sim.reset()
    sim.run(10.0)
    workdir = sim.simulator.state.workdir
    report = sim.get_fabric_report()
    sim.end()
    sim.end()
    assert not __import__("os").path.exists(workdir)
    data = target.get_data()  # PyNN: end() does not erase the recorded data (its test_issue499)
    assert [sum(len(t) for t in s.spiketrains) for s in data.segments] == [6, 6]
    assert data.segments[1].analogsignals[0].shape == (101, 3)
    assert sim.get_fabric_report() == report


def test_an_engine_failure_carries_the_engines_message():
    source, target = cells()
    sim.Projection(source, target, sim.OneToOneConnector(), sim.StaticSynapse(weight=1.0, delay=0.05))
    with pytest.raises(sim.EngineError, match="(?s)neurofabric run failed .*delays down to 0.05 ms are shorter than the step"):
        sim.run(10.0)


def test_a_missing_mpiexec_is_named(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    sim.setup(quiet=True, ranks=2)
    sim.Population(2, sim.IF_curr_exp())
    with pytest.raises(sim.EngineError, match="cannot start mpiexec"):
        sim.run(1.0)


def test_a_workdir_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("")
    sim.setup(quiet=True, workdir=str(tmp_path / "file"))
    sim.Population(2, sim.IF_curr_exp())
    with pytest.raises(errors.InvalidParameterValueError, match="file' is not a directory"):
        sim.run(1.0)
    assert np.isclose(sim.get_current_time(), 0.0)


def test_weights_beyond_the_engines_range_and_not_numbers_are_refused():
    source, target = cells()
    with pytest.raises(errors.ConnectionError, match="weight 1e\\+300 of the connection 0 → 0 .*beyond the engine's ±1e\\+06"):
        sim.Projection(source, target, sim.OneToOneConnector(), sim.StaticSynapse(weight=1e300))
    projection = sim.Projection(source, target, sim.OneToOneConnector(), sim.StaticSynapse(weight=1.0))
    with pytest.raises(errors.ConnectionError, match="weight 'x': weights must be numbers"):
        projection[0].weight = "x"


def test_a_callback_that_returns_nan_is_refused():
    cells()
    with pytest.raises(errors.InvalidParameterValueError, match="run until nan ms"):
        sim.run(10.0, callbacks=[lambda t: math.nan])
    assert sim.get_current_time() == 0.0
