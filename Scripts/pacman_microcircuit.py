#!/usr/bin/env python3
"""Times sPyNNaker/PACMAN mapping the Potjans & Diesmann microcircuit on a virtual SpiNNaker1
machine (no board: `virtual_board = True`), the peer of `neurofabric map --network microcircuit`.
Same populations, in-degrees (fixed in-degree with multapses), Poisson background per neuron and
0.1 ms tick as NeuroFabric's built-in microcircuit; mapping only (sim.run on a virtual board maps
and skips execution).

Usage (in a venv with `pip install sPyNNaker`):
    Scripts/pacman_microcircuit.py [N_scaling] [neurons_per_core]
"""
import os
import sys
import tempfile
import time

n_scaling = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
per_core = int(sys.argv[2]) if len(sys.argv) > 2 else 64

work = tempfile.mkdtemp(prefix="pacman-")
os.chdir(work)
os.environ["HOME"] = work  # sPyNNaker reads ~/.spynnaker.cfg; keep the user's own untouched
with open(".spynnaker.cfg", "w") as cfg:
    cfg.write("[Machine]\nvirtual_board = True\nversion = 5\nwidth = 48\nheight = 24\n"
              "[Reports]\nwrite_energy_report = False\n")

import pyNN.spiNNaker as sim  # noqa: E402
from peer_networks import MICROCIRCUIT_K_EXT, MICROCIRCUIT_NAMES, MICROCIRCUIT_SIZES, microcircuit_indegree  # noqa: E402

names, sizes, k_ext = MICROCIRCUIT_NAMES, MICROCIRCUIT_SIZES, MICROCIRCUIT_K_EXT

start = time.perf_counter()
sim.setup(timestep=0.1)
sim.set_number_of_neurons_per_core(sim.IF_curr_exp, per_core)
cell = dict(cm=0.25, tau_m=10.0, tau_refrac=2.0, tau_syn_E=0.5, tau_syn_I=0.5, v_rest=-65.0, v_thresh=-50.0, v_reset=-65.0)
n = [max(1, round(s * n_scaling)) for s in sizes]
pops = [sim.Population(n[i], sim.IF_curr_exp(**cell), label=names[i]) for i in range(8)]
for i in range(8):
    for j in range(8):
        indegree = microcircuit_indegree(i, j, n_scaling)
        if indegree > 0:
            sim.Projection(pops[j], pops[i], sim.FixedNumberPreConnector(indegree, with_replacement=True),
                           sim.StaticSynapse(weight=0.1, delay=1.5 if j % 2 == 0 else 0.8),
                           receptor_type="excitatory" if j % 2 == 0 else "inhibitory")
    bg = sim.Population(n[i], sim.SpikeSourcePoisson(rate=8.0 * k_ext[i]), label="bg_" + names[i])
    sim.Projection(bg, pops[i], sim.OneToOneConnector(), sim.StaticSynapse(weight=0.1, delay=1.5))
built = time.perf_counter()
sim.run(1000.0)
mapped = time.perf_counter()
sim.end()
print(f"sPyNNaker virtual board: microcircuit N_scaling={n_scaling}, {per_core} neurons/core: "
      f"build {built - start:.1f} s, map (sim.run on a virtual board) {mapped - built:.1f} s, total {mapped - start:.1f} s")
