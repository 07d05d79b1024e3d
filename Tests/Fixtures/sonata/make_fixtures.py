#!/usr/bin/env python3
"""Writes the SONATA fixtures of the tests with PyNN 0.13's own exporter (pip install pyNN==0.13.0;
pyNN.serialization.export_to_sonata, mock backend: no simulator needed).

  pynn/      a network exported by export_to_sonata: Poisson noise -> IF_curr_exp exc, exc -> IF_cond_exp
             inh through a PopulationView, inh -> exc inhibitory, per-connection random weights and
             delays. PyNN writes global
             node ids, int16 group indices, fixed-length node_population attributes, no magic in
             edge files, and file names with b'...' in them: the reader must take it as it is.
  pynn.toml  the same network as a NeuroFabric network file (populations, from_list connections),
             in the order the SONATA import builds it, so that both give the same spikes.
  split/     Poisson noise -> an IF_curr_exp population whose i_offset takes two values (PyNN writes
             them per node in dynamics_params), which the import splits into two populations.

Usage: make_fixtures.py [outdir]
"""
import json
import os
import shutil
import sys

import numpy as np
import pyNN.mock as sim
from pyNN.network import Network
from pyNN.random import NumpyRNG, RandomDistribution
from pyNN.serialization import export_to_sonata

out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
target = os.path.join(out, "pynn")
shutil.rmtree(target, ignore_errors=True)

sim.setup(timestep=0.1, min_delay=0.1)
rng = NumpyRNG(seed=20261204)
noise = sim.Population(20, sim.SpikeSourcePoisson(rate=60.0, start=5.0, duration=300.0), label="noise")
exc = sim.Population(24, sim.IF_curr_exp(tau_m=15.0, v_thresh=-52.0, tau_refrac=2.0), label="exc")
exc.set(i_offset=0.3)
inh = sim.Population(8, sim.IF_cond_exp(tau_m=10.0, e_rev_I=-75.0), label="inh")

projections = [
    sim.Projection(noise, exc, sim.FixedProbabilityConnector(0.4, rng=rng),
                   sim.StaticSynapse(weight=RandomDistribution("uniform", (0.8, 1.6), rng=rng), delay=1.0),
                   receptor_type="excitatory", label="noise-exc"),
    sim.Projection(exc[4:20], inh, sim.FixedNumberPreConnector(5, rng=rng),
                   sim.StaticSynapse(weight=0.02, delay=RandomDistribution("uniform", (0.5, 2.5), rng=rng)),
                   receptor_type="excitatory", label="exc-inh"),
    sim.Projection(inh, exc, sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=-0.3, delay=0.8), receptor_type="inhibitory", label="inh-exc"),
]


def export(network, directory):
    """export_to_sonata, then $BASE_DIR set to ".": PyNN writes the path it was given, and the SONATA
    spec takes relative paths from the config's directory, so the files work wherever they are."""
    export_to_sonata(network, directory, target="PyNN")
    path = os.path.join(directory, "circuit_config.json")
    config = json.load(open(path))
    config["manifest"]["$BASE_DIR"] = "."
    json.dump(config, open(path, "w"), indent=2)


export(Network(noise, exc, inh, *projections), target)

# The network file with the same cells and connections, in the import's order: node files and edge
# files as circuit_config.json lists them.
config = json.load(open(os.path.join(target, "circuit_config.json")))
by_label = {p.label: p for p in (noise, exc, inh)}
order = [next(iter(entry["populations"])) if "populations" in entry else
         os.path.basename(entry["nodes_file"])[len("nodes_"):-len(".h5")] for entry in config["networks"]["nodes"]]
lines = ['[network]', 'name = "pynn export"', '']
for label in order:
    p = by_label[label]
    cell = type(p.celltype).__name__
    lines += ['[[population]]', f'label = "{label}"', f'size = {p.size}']
    if cell == "SpikeSourcePoisson":
        rate, start, duration = (float(p.get(name, simplify=True)) for name in ("rate", "start", "duration"))
        lines += [f'cell = "{cell}"', f'rate = {rate}', f'start = {start}', f'stop = {start + duration}', '']
        continue
    lines += [f'cell = "{cell}"', '[population.parameters]']
    for name in p.celltype.default_parameters:
        value = p.get(name, simplify=True)
        if np.ndim(value) == 0:
            lines.append(f'{name} = {float(value)}')
    lines.append('')
edge_labels = [os.path.basename(e["edges_file"]) for e in config["networks"]["edges"]]
for name in edge_labels:
    projection = next(pr for pr in projections if pr.label.replace("→", "-") in name)
    pre = projection.pre.parent if hasattr(projection.pre, "parent") else projection.pre
    post = projection.post
    connections = []
    for i, j, w, d in projection.get(["weight", "delay"], format="list", with_address=True):
        pre_index = int(projection.pre.id_to_index(projection.pre.all_cells[int(i)])) if pre is projection.pre else \
            int(pre.id_to_index(projection.pre.all_cells[int(i)]))
        connections.append(f"[{pre_index}, {int(j)}, {abs(float(w))!r}, {float(d)!r}]")
    lines += ['[[projection]]', f'label = "{projection.label}"', f'pre = "{pre.label}"', f'post = "{post.label}"',
              f'receptor = "{projection.receptor_type}"',
              'connector = { type = "from_list", connections = [' + ", ".join(connections) + '] }',
              'weight = 1.0', 'delay = 1.0', '']
lines += ['[[record]]', 'population = "exc"', 'variables = ["spikes"]', '',
          '[[record]]', 'population = "inh"', 'variables = ["spikes"]', '']
open(os.path.join(out, "pynn.toml"), "w").write("\n".join(lines))

split = os.path.join(out, "split")
shutil.rmtree(split, ignore_errors=True)
sim.setup(timestep=0.1, min_delay=0.1)
noise = sim.Population(6, sim.SpikeSourcePoisson(rate=50.0), label="noise")
cells = sim.Population(10, sim.IF_curr_exp(tau_m=12.0), label="cells")
cells[:4].set(i_offset=0.1)
cells[4:].set(i_offset=0.7)
drive = sim.Projection(noise, cells, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.5, delay=1.5), label="drive")
export(Network(noise, cells, drive), split)
print("wrote", target, "pynn.toml and", split)
