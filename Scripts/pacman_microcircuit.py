#!/usr/bin/env python3
"""Times sPyNNaker/PACMAN mapping the Potjans & Diesmann microcircuit on a virtual SpiNNaker1
machine (no board: `virtual_board = True`), the peer of `neurofabric map --network microcircuit`.
Same populations, in-degrees (fixed in-degree with multapses), Poisson background per neuron and
0.1 ms tick as NeuroFabric's built-in microcircuit; mapping only (sim.run on a virtual board maps
and skips execution).

Usage (in a venv with `pip install sPyNNaker`):
    Scripts/pacman_microcircuit.py [N_scaling] [neurons_per_core]
"""
import math
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

names = ["L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"]
sizes = [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948]
p = [[0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
     [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
     [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0],
     [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
     [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
     [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0],
     [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
     [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443]]
k_ext = [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100]

start = time.perf_counter()
sim.setup(timestep=0.1)
sim.set_number_of_neurons_per_core(sim.IF_curr_exp, per_core)
cell = dict(cm=0.25, tau_m=10.0, tau_refrac=2.0, tau_syn_E=0.5, tau_syn_I=0.5, v_rest=-65.0, v_thresh=-50.0, v_reset=-65.0)
n = [max(1, round(s * n_scaling)) for s in sizes]
pops = [sim.Population(n[i], sim.IF_curr_exp(**cell), label=names[i]) for i in range(8)]
for i in range(8):
    for j in range(8):
        if p[i][j] == 0:
            continue
        full = math.log(1 - p[i][j]) / math.log(1 - 1 / (sizes[i] * sizes[j]))
        indegree = round(full * n_scaling / n[i])
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
