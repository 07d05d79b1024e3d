#!/usr/bin/env python3
"""Builds a small point-neuron circuit with BMTK's own NetworkBuilder and PoissonSpikeGenerator (pip
bmtk), written as BMTK writes it: node and edge type files with BMTK's metadata columns
(source_query, target_query, pop_name, ei, location), per-node positions, nsyns per edge, NEST
parameters in dynamics_params JSON files, a SONATA spike file of Poisson inputs, and a circuit and a
simulation config that BMTK PointNet (bmtk.simulator.pointnet on NEST) and `neurofabric run` both read.

  cortex   EXC nest:iaf_psc_exp excitatory and INH inhibitory cells; E->E, E->I, I->E, I->I edges
           (each pair connected with probability P), static_synapse, weights in pA (negative:
           inhibitory), 1.5 ms delay
  input    INPUTS virtual nodes, Poisson at RATE Hz for the whole run (bmtk PoissonSpikeGenerator);
           each cortex cell receives from each input with probability P_IN

Usage: make_bmtk_circuit.py OUTDIR [--exc 400] [--inh 100] [--inputs 100] [--rate 20] [--p 0.1]
                            [--p-in 0.2] [--duration 1000] [--seed 1]
Run it with the venv Scripts/checks/bmtk-pointnet creates (.venv/peers/bmtk).
"""
import argparse
import json
import os
import shutil

import numpy as np
from bmtk.builder import NetworkBuilder
from bmtk.utils.reports.spike_trains import PoissonSpikeGenerator

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("out")
parser.add_argument("--exc", type=int, default=400)
parser.add_argument("--inh", type=int, default=100)
parser.add_argument("--inputs", type=int, default=100)
parser.add_argument("--rate", type=float, default=20.0, help="Poisson rate of each input (Hz)")
parser.add_argument("--p", type=float, default=0.1, help="connection probability within the cortex")
parser.add_argument("--p-in", type=float, default=0.2, help="connection probability input -> cortex")
parser.add_argument("--duration", type=float, default=1000.0, help="ms")
parser.add_argument("--seed", type=int, default=1)
args = parser.parse_args()

out = os.path.abspath(args.out)
shutil.rmtree(out, ignore_errors=True)
for folder in ("network", "inputs", "components/point_neuron_models", "components/synaptic_models"):
    os.makedirs(os.path.join(out, folder))
np.random.seed(args.seed)

# NEST's iaf_psc_exp in NEST's units (pF, ms, mV, pA).
cells = {
    "exc.json": {"C_m": 250.0, "tau_m": 20.0, "t_ref": 2.0, "E_L": -70.0, "V_th": -55.0, "V_reset": -70.0,
                 "tau_syn_ex": 2.0, "tau_syn_in": 2.0, "I_e": 120.0},
    "inh.json": {"C_m": 200.0, "tau_m": 10.0, "t_ref": 1.0, "E_L": -70.0, "V_th": -55.0, "V_reset": -70.0,
                 "tau_syn_ex": 2.0, "tau_syn_in": 2.0, "I_e": 120.0},
}
for name, parameters in cells.items():
    with open(os.path.join(out, "components/point_neuron_models", name), "w") as f:
        json.dump(parameters, f, indent=2)
# BMTK's PointNet examples give each edge type a dynamics_params file; static synapses need nothing in it.
with open(os.path.join(out, "components/synaptic_models", "static_synapse.json"), "w") as f:
    json.dump({}, f)

cortex = NetworkBuilder("cortex")
for label, n, ei in (("exc", args.exc, "e"), ("inh", args.inh, "i")):
    cortex.add_nodes(N=n, pop_name=label, ei=ei, location="L4", model_type="point_neuron",
                     model_template="nest:iaf_psc_exp", dynamics_params=f"{label}.json",
                     positions=np.random.uniform(0.0, 100.0, (n, 3)))


def random_pairs(source, target, p):
    """One synapse with probability p, none onto the cell itself."""
    return int(source.node_id != target.node_id and np.random.random() < p)


weights = {("e", "e"): 60.0, ("e", "i"): 60.0, ("i", "e"): -240.0, ("i", "i"): -240.0}
for (pre, post), weight in weights.items():
    cortex.add_edges(source={"ei": pre}, target={"ei": post}, connection_rule=random_pairs, connection_params={"p": args.p},
                     syn_weight=weight, delay=1.5, dynamics_params="static_synapse.json", model_template="static_synapse")

inputs = NetworkBuilder("input")
inputs.add_nodes(N=args.inputs, pop_name="poisson", model_type="virtual")
inputs.add_edges(source=inputs.nodes(), target=cortex.nodes(), connection_rule=random_pairs, connection_params={"p": args.p_in},
                 syn_weight=150.0, delay=1.0, dynamics_params="static_synapse.json", model_template="static_synapse")

for network in (cortex, inputs):
    network.build()
    network.save(output_dir=os.path.join(out, "network"))

spikes = PoissonSpikeGenerator(population="input", seed=args.seed)
spikes.add(node_ids=range(args.inputs), firing_rate=args.rate, times=(0.0, args.duration / 1000.0))
spikes.to_sonata(os.path.join(out, "inputs", "input_spikes.h5"))

circuit = {
    "manifest": {"$BASE_DIR": ".", "$NETWORK_DIR": "$BASE_DIR/network", "$COMPONENTS_DIR": "$BASE_DIR/components"},
    "components": {"point_neuron_models_dir": "$COMPONENTS_DIR/point_neuron_models",
                   "synaptic_models_dir": "$COMPONENTS_DIR/synaptic_models"},
    "networks": {
        "nodes": [{"nodes_file": f"$NETWORK_DIR/{name}_nodes.h5", "node_types_file": f"$NETWORK_DIR/{name}_node_types.csv"}
                  for name in ("cortex", "input")],
        "edges": [{"edges_file": f"$NETWORK_DIR/{pre}_{post}_edges.h5", "edge_types_file": f"$NETWORK_DIR/{pre}_{post}_edge_types.csv"}
                  for pre, post in (("cortex", "cortex"), ("input", "cortex"))],
    },
}
simulation = {
    "manifest": {"$BASE_DIR": ".", "$OUTPUT_DIR": "$BASE_DIR/output", "$INPUT_DIR": "$BASE_DIR/inputs"},
    "target_simulator": "NEST",
    "run": {"tstop": args.duration, "dt": 0.1},
    "network": "$BASE_DIR/circuit_config.json",
    "inputs": {"poisson": {"input_type": "spikes", "module": "sonata", "input_file": "$INPUT_DIR/input_spikes.h5",
                           "node_set": "input"}},
    "output": {"output_dir": "$OUTPUT_DIR", "spikes_file": "spikes.h5", "log_file": "log.txt", "overwrite_output_dir": True},
}
for name, config in (("circuit_config.json", circuit), ("simulation_config.json", simulation)):
    with open(os.path.join(out, name), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
