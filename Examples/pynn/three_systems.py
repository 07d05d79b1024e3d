"""One PyNN script, three machines: a small balanced network (Brunel's model A, current-based) on
the ideal reference system, a SpiNNaker2 board and four BrainScaleS-2 chips, changing only
`system=`. Prints each population's rate and what the hardware did (drops, overruns, energy).

    .venv/bin/python Examples/pynn/three_systems.py            # after Scripts/setup
"""
import numpy as np

import pyNN.neurofabric as sim

SYSTEMS = ["Topologies/ideal-crossbar.toml", "Topologies/spinnaker2-board.toml", "Topologies/bss2-4chips.toml"]
DURATION = 500.0  # ms


def build():
    rng = sim.NumpyRNG(seed=42)
    cell = sim.IF_curr_exp(tau_m=20.0, tau_refrac=2.0, v_thresh=-50.0, v_reset=-60.0, v_rest=-65.0,
                           tau_syn_E=5.0, tau_syn_I=5.0, cm=0.25)
    exc = sim.Population(400, cell, label="exc")
    inh = sim.Population(100, cell, label="inh")
    for population in (exc, inh):
        population.initialize(v=sim.RandomDistribution("uniform", (-65.0, -55.0), rng=rng))
        population.record("spikes")
    noise = sim.Population(100, sim.SpikeSourcePoisson(rate=20.0), label="noise")
    connect = sim.FixedProbabilityConnector(0.1, rng=rng)
    sim.Projection(noise, exc, connect, sim.StaticSynapse(weight=0.12, delay=1.5), receptor_type="excitatory")
    sim.Projection(noise, inh, connect, sim.StaticSynapse(weight=0.12, delay=1.5), receptor_type="excitatory")
    sim.Projection(exc, exc, connect, sim.StaticSynapse(weight=0.03, delay=1.5), receptor_type="excitatory")
    sim.Projection(exc, inh, connect, sim.StaticSynapse(weight=0.03, delay=1.5), receptor_type="excitatory")
    sim.Projection(inh, exc, connect, sim.StaticSynapse(weight=-0.12, delay=1.5), receptor_type="inhibitory")
    sim.Projection(inh, inh, connect, sim.StaticSynapse(weight=-0.12, delay=1.5), receptor_type="inhibitory")
    return exc, inh


def rate(population):
    trains = population.get_data().segments[-1].spiketrains
    return sum(len(t) for t in trains) / population.size / (DURATION / 1000.0)


rows = []
for system in SYSTEMS:
    sim.setup(timestep=0.1, system=system, quiet=True, seed=1)
    exc, inh = build()
    sim.run(DURATION)
    report = sim.get_fabric_report()
    drops = sum(v for k, v in report.get("routers", {}).items() if "drop" in k) + \
        sum(v for k, v in report.get("links", {}).items() if k.startswith("drops"))
    overruns = report.get("pes", {}).get("overruns")
    energy = report.get("energy_j", {}).get("total")
    rows.append((system.split("/")[-1], rate(exc), rate(inh), drops, overruns, energy))
    sim.end()

print(f"{'system':24} {'exc Hz':>7} {'inh Hz':>7} {'drops':>9} {'overruns':>9} {'energy J':>9}")
for name, e, i, drops, overruns, energy in rows:
    print(f"{name:24} {e:7.2f} {i:7.2f} {drops:9d} {'-' if overruns is None else overruns:>9} "
          f"{'-' if energy is None else f'{energy:.3g}':>9}")
assert all(np.isfinite(r[1]) for r in rows)
