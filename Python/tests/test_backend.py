"""pyNN.neurofabric: PyNN scripts through the engine (the release binary that Scripts/setup builds).
Run by Scripts/test in the venv: .venv/bin/python -m pytest Python/tests"""
import json
import os
import subprocess
import sys

import h5py
import numpy as np
import pytest
import quantities as pq

import pyNN.neurofabric as sim
from neurofabric_pynn.engine import find_binary


def network(seed=5, rate=80.0, i_offset=0.1):
    """Poisson noise onto an excitatory and an inhibitory population, recurrent inhibition."""
    rng = sim.NumpyRNG(seed=seed)
    noise = sim.Population(20, sim.SpikeSourcePoisson(rate=rate), label="noise")
    exc = sim.Population(30, sim.IF_curr_exp(tau_m=15.0, i_offset=i_offset), label="exc")
    exc.initialize(v=sim.RandomDistribution("uniform", (-65.0, -55.0), rng=rng))
    inh = sim.Population(10, sim.IF_cond_exp(tau_m=10.0), label="inh")
    sim.Projection(noise, exc, sim.FixedProbabilityConnector(0.3, rng=rng),
                   sim.StaticSynapse(weight=sim.RandomDistribution("uniform", (0.8, 1.6), rng=rng), delay=1.0))
    sim.Projection(exc[5:25], inh, sim.FixedNumberPreConnector(5, rng=rng), sim.StaticSynapse(weight=0.02, delay=1.5))
    sim.Projection(inh, exc, sim.AllToAllConnector(), sim.StaticSynapse(weight=-0.3, delay=0.8), receptor_type="inhibitory")
    exc.record(["spikes", "v"])
    inh.record("spikes")
    return exc, inh


def trains(population):
    return [np.asarray(t.rescale(pq.ms)) for t in population.get_data().segments[-1].spiketrains]


def same(a, b):
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


@pytest.fixture(autouse=True)
def quiet_setup(tmp_path):
    yield
    sim.end()


@pytest.mark.parametrize("seed", [5, 17])
def test_a_run_in_pieces_is_the_run_in_one(seed, tmp_path):
    sim.setup(timestep=0.1, quiet=True, seed=seed, workdir=str(tmp_path / "pieces"))
    exc, inh = network(seed)
    sim.run(60.0)
    sim.run(90.0)
    assert sim.get_current_time() == pytest.approx(150.0)
    pieces = trains(exc) + trains(inh)
    v_pieces = exc.get_data().segments[-1].analogsignals[0]
    sim.setup(timestep=0.1, quiet=True, seed=seed, workdir=str(tmp_path / "whole"))
    exc, inh = network(seed)
    sim.run(150.0)
    whole = trains(exc) + trains(inh)
    assert sum(len(t) for t in whole) > 50
    assert same(pieces, whole)
    assert np.array_equal(np.asarray(v_pieces), np.asarray(exc.get_data().segments[-1].analogsignals[0]))


def test_data_come_back_as_neo_with_units(tmp_path):
    sim.setup(timestep=0.1, quiet=True, workdir=str(tmp_path))
    exc, _ = network()
    sim.run(100.0)
    segment = exc.get_data().segments[0]
    assert len(segment.spiketrains) == 30 and segment.spiketrains[0].units == pq.ms
    v = segment.analogsignals[0]
    assert v.units == pq.mV and v.shape[1] == 30 and v.sampling_period == 0.1 * pq.ms
    initial = exc._initial["v"]  # the values drawn when initialize() was called (a RandomDistribution draws anew each time)
    assert np.all(initial >= -65.0) and np.all(initial <= -55.0) and np.ptp(initial) > 1
    assert np.allclose(np.asarray(v[0]).ravel(), initial, atol=1.0), "the first sample is the initial potential"
    assert float(v.max()) <= -50.0 + 1e-6 and float(v.min()) > -90.0


def test_a_change_between_runs_is_refused_not_restarted(tmp_path):
    sim.setup(timestep=0.1, quiet=True, workdir=str(tmp_path))
    exc, _ = network()
    sim.run(50.0)
    exc.initialize(v=-60.0)
    with pytest.raises(NotImplementedError, match="checkpoint"):
        sim.run(50.0)
    sim.reset()
    sim.run(50.0)
    assert sim.get_current_time() == pytest.approx(50.0)
    assert len(exc.get_data().segments) == 2


@pytest.mark.parametrize("seed,ranks", [(5, 1), (17, 2)])
def test_parameters_set_between_runs_act_from_then_on(seed, ranks, tmp_path):
    """Population.set between runs (NEST's SetStatus between Simulate calls): what ran before stays
    as it was, spike for spike, and the new values act from the end of the last run on: a larger
    offset current from 60 ms gives the spikes of a DC source of the difference from 60 ms."""
    sim.setup(timestep=0.1, quiet=True, seed=seed, ranks=ranks, workdir=str(tmp_path / "set"))
    exc, inh = network(seed, i_offset=0.25)
    sim.run(60.0)
    first = trains(exc) + trains(inh)
    exc.set(i_offset=0.75)
    sim.run(40.0)
    sim.run(30.0)
    changed = trains(exc) + trains(inh)
    assert same([t[t <= 60.0] for t in changed], first) and sum(len(t) for t in first) > 10
    sim.setup(timestep=0.1, quiet=True, seed=seed, ranks=ranks, workdir=str(tmp_path / "dc"))
    exc, inh = network(seed, i_offset=0.25)
    sim.DCSource(amplitude=0.5, start=60.0, stop=1e9).inject_into(exc)
    sim.run(130.0)
    assert same(changed, trains(exc) + trains(inh))
    assert sum(len(t[t > 60.0]) for t in changed[:30]) > sum(len(t[t <= 60.0]) for t in changed[:30])


def test_a_source_rate_set_between_runs(tmp_path):
    sim.setup(timestep=0.1, quiet=True, workdir=str(tmp_path))
    noise = sim.Population(20, sim.SpikeSourcePoisson(rate=100.0), label="noise")
    cells = sim.Population(5, sim.IF_curr_exp(), label="cells")
    sim.Projection(noise, cells, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.5, delay=1.0))
    noise.record("spikes")
    sim.run(50.0)
    first = trains(noise)
    noise.set(rate=0.0)
    sim.run(50.0)
    noise.set(rate=400.0)
    sim.run(50.0)
    after = trains(noise)
    assert same([t[t <= 50.0] for t in after], first) and sum(len(t) for t in first) > 50
    assert sum(((t > 50.0) & (t <= 100.0)).sum() for t in after) == 0
    assert sum((t > 100.0).sum() for t in after) > 2 * sum(len(t) for t in first)


def test_a_callback_that_sets_a_rate(tmp_path):
    """PyNN's varying-rate idiom: a callback of run() sets a Poisson source's rate every 25 ms."""
    sim.setup(timestep=0.1, quiet=True, workdir=str(tmp_path))
    noise = sim.Population(40, sim.SpikeSourcePoisson(rate=0.0), label="noise")
    noise.record("spikes")
    rates = iter([200.0, 0.0, 400.0, 0.0])

    def set_rate(t):
        noise.set(rate=next(rates, 0.0))
        return t + 25.0

    sim.run(100.0, callbacks=[set_rate])
    times = np.concatenate(trains(noise))
    counts = [int(((times > lo) & (times <= lo + 25.0)).sum()) for lo in (0.0, 25.0, 50.0, 75.0)]
    assert counts[1] == 0 and counts[3] == 0, counts
    assert 100 < counts[0] < 300 and 300 < counts[2] < 500, counts


def test_a_change_to_part_of_a_population_is_refused(tmp_path):
    sim.setup(timestep=0.1, quiet=True, workdir=str(tmp_path))
    exc, _ = network()
    sim.run(20.0)
    exc[0:5].set(tau_m=10.0)
    with pytest.raises(NotImplementedError, match="homogeneous"):
        sim.run(20.0)


def test_parameter_changes_are_refused_where_the_family_cannot_apply_them(tmp_path):
    sim.setup(timestep=0.1, quiet=True, system="spinnaker2-board.toml", workdir=str(tmp_path))
    cells = sim.Population(10, sim.IF_curr_exp(i_offset=0.5), label="cells")
    cells.record("spikes")
    sim.run(20.0)
    cells.set(i_offset=1.0)
    with pytest.raises(NotImplementedError, match="parameter changes during a run"):
        sim.run(20.0)


def test_ranks_do_not_change_the_spikes(tmp_path):
    results = []
    for ranks in (1, 2):
        sim.setup(timestep=0.1, quiet=True, ranks=ranks, workdir=str(tmp_path / f"r{ranks}"))
        exc, inh = network()
        sim.run(80.0)
        results.append(trains(exc) + trains(inh))
    assert sum(len(t) for t in results[0]) > 20 and same(*results)


def test_current_sources_reach_their_cells(tmp_path):
    sim.setup(timestep=0.1, quiet=True, workdir=str(tmp_path))
    cells = sim.Population(4, sim.IF_curr_exp(), label="cells")
    sim.DCSource(amplitude=1.0, start=20.0, stop=60.0).inject_into(cells[0:2])
    sim.StepCurrentSource(times=[10.0, 50.0, 80.0], amplitudes=[0.0, 1.2, 0.0]).inject_into(cells[2:3])
    cells.record("spikes")
    sim.run(100.0)
    spikes = trains(cells)
    assert all(len(t) > 0 and t.min() >= 20.0 and t.max() <= 61.0 for t in spikes[:2])
    assert len(spikes[2]) > 0 and spikes[2].min() >= 50.0 and spikes[2].max() <= 81.0
    assert len(spikes[3]) == 0


def test_a_hardware_family_reports_what_it_did(tmp_path):
    sim.setup(timestep=0.1, quiet=True, system="Topologies/spinnaker2-chip.toml", workdir=str(tmp_path))
    exc, _ = network()
    sim.run(50.0)
    report = sim.get_fabric_report()
    assert report["family"] == "spinnaker2" and report["complete"] == 1
    assert "overruns" in report["pes"] and report["pes"]["synaptic_events"] > 0
    assert report["energy_j"]["total"] > 0
    mapping = sim.map()
    assert "mapping: " in mapping and "spinnaker2" in mapping


def test_a_hardware_limit_is_named(tmp_path):
    """BrainScaleS-2's MADC samples two membranes: recording v of 30 neurons is refused by name."""
    sim.setup(timestep=0.1, quiet=True, system="Topologies/bss2-chip.toml", workdir=str(tmp_path))
    network()
    with pytest.raises(RuntimeError, match="MADC has 2 channels"):
        sim.run(10.0)


@pytest.mark.parametrize("make", [
    lambda: sim.EIF_cond_alpha_isfa_ista(), lambda: sim.Izhikevich(), lambda: sim.HH_cond_exp(),
    lambda: sim.TsodyksMarkramSynapse(), lambda: sim.STDPMechanism(), lambda: sim.ACSource(), lambda: sim.NoisyCurrentSource(),
    lambda: sim.SpikeSourceGamma(),
])
def test_what_the_engine_lacks_fails_loudly(make, tmp_path):
    sim.setup(timestep=0.1, quiet=True, workdir=str(tmp_path))
    with pytest.raises(NotImplementedError) as refused:
        make()
    assert "NeuroFabric" in str(refused.value) or "engine" in str(refused.value)


def test_recording_what_the_engine_does_not_record_fails_loudly(tmp_path):
    sim.setup(timestep=0.1, quiet=True, workdir=str(tmp_path))
    cells = sim.Population(3, sim.IF_cond_exp(), label="cells")
    with pytest.raises(NotImplementedError, match="gsyn_exc"):
        cells.record("gsyn_exc")


def test_poisson_sources_spikes_are_recorded(tmp_path):
    """The spikes a Poisson source emits on the chips come back (PyNN's scenario test_SpikeSourcePoisson)."""
    sim.setup(timestep=0.1, quiet=True, workdir=str(tmp_path))
    noise = sim.Population(20, sim.SpikeSourcePoisson(rate=50.0, start=100.0, duration=500.0), label="noise")
    noise.record("spikes")
    sim.run(1000.0)
    spikes = trains(noise)
    count = sum(len(t) for t in spikes)
    assert 350 < count < 650, count  # 20 × 50 Hz × 0.5 s = 500
    assert all(t.size == 0 or (t.min() >= 100.0 and t.max() <= 600.0) for t in spikes)


def test_the_backends_network_is_pyNNs_export(tmp_path):
    """The same network through the backend and through PyNN's export_to_sonata and `neurofabric
    run`: the same spikes (driven by i_offset and spike arrays, so no stream depends on the order in
    which PyNN's exporter lists populations)."""
    from pyNN.serialization import export_to_sonata
    sim.setup(timestep=0.1, quiet=True, workdir=str(tmp_path / "backend"))
    a = sim.Population(12, sim.IF_curr_exp(i_offset=1.1, tau_m=12.0), label="a")
    b = sim.Population(8, sim.IF_cond_exp(i_offset=0.4), label="b")
    c = sim.Population(6, sim.IF_curr_exp(i_offset=0.9, tau_refrac=3.0), label="c")
    rng = sim.NumpyRNG(seed=4)
    projections = [
        sim.Projection(a, b, sim.FixedProbabilityConnector(0.5, rng=rng),
                       sim.StaticSynapse(weight=sim.RandomDistribution("uniform", (0.002, 0.01), rng=rng), delay=1.2)),
        sim.Projection(b, c, sim.AllToAllConnector(), sim.StaticSynapse(weight=-0.2, delay=0.7), receptor_type="inhibitory"),
        sim.Projection(c, a[0:6], sim.OneToOneConnector(), sim.StaticSynapse(weight=0.5, delay=2.0)),
    ]
    for p in (a, b, c):
        p.record("spikes")
    sim.run(120.0)
    backend = {p.label: trains(p) for p in (a, b, c)}
    assert sum(len(t) for t in backend["b"] + backend["c"]) > 10
    export_to_sonata(sim.Network(a, b, c, *projections), str(tmp_path / "export"), target="PyNN")
    out = tmp_path / "run"
    subprocess.run([find_binary(), "run", "--no-progress", "--system", sim.simulator.state.engine.system,
                    "--network", str(tmp_path / "export" / "circuit_config.json"), "--duration", "120ms", "--out", str(out)],
                   check=True, capture_output=True)
    with h5py.File(out / "trace.h5") as f:
        for p in (a, b, c):
            ids, times = f[f"spikes/{p.label}/node_ids"][:], f[f"spikes/{p.label}/timestamps"][:]
            exported = [np.sort(times[ids == i]) for i in range(p.size)]
            assert same(exported, [np.sort(t) for t in backend[p.label]]), p.label


def test_the_three_systems_example_runs():
    """Examples/pynn/three_systems.py: the same script on ideal, SpiNNaker2 and BrainScaleS-2."""
    script = os.path.join(os.path.dirname(__file__), "..", "..", "Examples", "pynn", "three_systems.py")
    result = subprocess.run([sys.executable, script], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [line.split() for line in result.stdout.splitlines() if line.split() and line.split()[0].endswith(".toml")]
    assert [r[0] for r in rows] == ["ideal-crossbar.toml", "spinnaker2-board.toml", "bss2-4chips.toml"], result.stdout
    rates = [(float(r[1]), float(r[2])) for r in rows]
    assert all(e > 0.5 and i > 0.5 for e, i in rates), rates
    assert abs(rates[1][0] - rates[0][0]) < 0.2 * rates[0][0], "SpiNNaker2 follows the reference"


def test_reset_starts_from_the_network_as_it_is(tmp_path):
    """After reset(), spike times set during the last segment hold from t = 0 (as pyNN.nest has it)."""
    sim.setup(timestep=0.1, quiet=True, workdir=str(tmp_path))
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=[10.0]), label="source")
    source.record("spikes")
    sim.run(100.0)
    source.set(spike_times=[20.0, 150.0])
    sim.reset()
    sim.run(200.0)
    assert trains(source)[0].tolist() == [20.0, 150.0]


def test_one_source_into_two_groups_of_cells(tmp_path):
    sim.setup(timestep=0.1, quiet=True, workdir=str(tmp_path))
    cells = sim.Population(8, sim.IF_curr_exp(), label="cells")
    dc = sim.DCSource(amplitude=1.5, start=5.0, stop=50.0)
    dc.inject_into(cells[0:2])
    dc.inject_into(cells[5:7])
    cells[7].inject(dc)
    cells.record("spikes")
    sim.run(60.0)
    fired = [len(t) > 0 for t in trains(cells)]
    assert fired == [True, True, False, False, False, True, True, True]


def test_pyNNs_timestep_sets_the_systems_step(tmp_path):
    """setup(timestep=…) steps the ideal system (and SpiNNaker's timer) at that step; a sampling
    interval that is not a whole number of steps is an error, not a relabelled time axis."""
    sim.setup(timestep=0.05, quiet=True, workdir=str(tmp_path / "fine"))
    cells = sim.Population(2, sim.IF_curr_exp(i_offset=1.0), label="cells")
    cells.record("v")
    sim.run(10.0)
    v = cells.get_data().segments[0].analogsignals[0]
    assert v.sampling_period == 0.05 * pq.ms and v.shape[0] == 201
    import h5py as h5
    with h5.File(sim.simulator.state.engine.results.trace) as f:
        assert float(f["provenance"].attrs["dt_ms"]) == 0.05
    sim.setup(timestep=0.1, quiet=True, workdir=str(tmp_path / "odd"))
    cells = sim.Population(2, sim.IF_curr_exp(), label="cells")
    cells.record("v", sampling_interval=0.25)
    with pytest.raises(ValueError, match="not a whole number"):
        sim.run(10.0)


def test_views_of_views_and_numpy_times(tmp_path):
    sim.setup(timestep=0.1, quiet=True, workdir=str(tmp_path))
    cells = sim.Population(10, sim.IF_curr_exp(), label="cells")
    cells[2:8][1:3].set(i_offset=2.0)
    assert cells.get("i_offset").tolist() == [0.0, 0.0, 0.0, 2.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    cells.record("spikes")
    sim.run(np.float64(50.0))
    assert [len(t) > 0 for t in trains(cells)] == [False] * 3 + [True] * 2 + [False] * 5


def test_brainscales1_reports_the_synapses_it_lost(tmp_path):
    """get_fabric_report() carries BrainScaleS-1's synapse loss per PyNN projection."""
    sim.setup(timestep=0.1, quiet=True, system="Topologies/bss1-wafer.toml", workdir=str(tmp_path))
    cells = sim.Population(200, sim.IF_cond_exp(), label="cells")
    noise = sim.Population(50, sim.SpikeSourcePoisson(rate=10.0), label="noise")
    sim.Projection(noise, cells, sim.FixedProbabilityConnector(0.3, rng=sim.NumpyRNG(seed=3)), sim.StaticSynapse(weight=0.002, delay=1.0),
                   label="drive")
    sim.Projection(cells, cells, sim.FixedProbabilityConnector(0.2, rng=sim.NumpyRNG(seed=4)), sim.StaticSynapse(weight=0.001, delay=1.0),
                   label="recurrent")
    cells.record("spikes")
    sim.run(5.0)
    loss = sim.get_fabric_report()["synapse_loss"]
    assert set(loss) == {"drive", "recurrent"}, loss
    assert all(counts["synapses"] > 0 and 0 <= counts["lost"] <= counts["synapses"] for counts in loss.values())
