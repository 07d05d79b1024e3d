#!/usr/bin/env python3
"""The microcircuit of `neurofabric run --network microcircuit:N_scaling=…` in NEST (Potjans &
Diesmann 2014 as in NEST's Potjans_2014 example and Sources/Model/StandardNetworks/Microcircuit.swift):
same sizes, in-degrees (fixed_indegree with multapses, round(K / N_post)), weights, delays,
initial potentials and Poisson background (one generator per population, independent trains per
target), dt 0.1 ms, K_scaling 1.

Usage: python nest_microcircuit.py N_SCALING DURATION_MS OUT.h5 [THREADS] [SEED]
Writes the spikes as our trace.h5 does (/spikes/<population>/{timestamps, node_ids}, node ids
from 0 within each population) and prints one JSON line with build and simulate seconds.
"""
import json
import sys
import time

import h5py
import nest
import numpy as np
from peer_networks import (MICROCIRCUIT_K_EXT, MICROCIRCUIT_NAMES, MICROCIRCUIT_SIZES, MICROCIRCUIT_V0_MEAN,
                           MICROCIRCUIT_V0_SD, microcircuit_indegree, psp_per_current)

n_scaling, duration, out = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
threads = int(sys.argv[4]) if len(sys.argv) > 4 else 1
seed = int(sys.argv[5]) if len(sys.argv) > 5 else 1

names, full_sizes, k_ext = MICROCIRCUIT_NAMES, MICROCIRCUIT_SIZES, MICROCIRCUIT_K_EXT
v0_mean, v0_sd = MICROCIRCUIT_V0_MEAN, MICROCIRCUIT_V0_SD
bg_rate, psp_e, g, dt = 8.0, 0.15, -4.0, 0.1
cm, tau_m, tau_syn = 0.25, 10.0, 0.5  # nF, ms, ms
psp_per_na = psp_per_current(cm, tau_m, tau_syn)
psc_e = psp_e / psp_per_na * 1000  # pA

nest.ResetKernel()
nest.verbosity = nest.VerbosityLevel.ERROR
nest.SetKernelStatus({"resolution": dt, "local_num_threads": threads, "rng_seed": seed})
params = {"C_m": cm * 1000, "tau_m": tau_m, "t_ref": 2.0, "E_L": -65.0, "V_th": -50.0, "V_reset": -65.0,
          "tau_syn_ex": tau_syn, "tau_syn_in": tau_syn, "I_e": 0.0}
start = time.time()
sizes = [int(round(n * n_scaling)) for n in full_sizes]
pops = []
for i, size in enumerate(sizes):
    pop = nest.Create("iaf_psc_exp", size, params=params)
    pop.V_m = nest.random.normal(v0_mean[i], v0_sd[i])
    pops.append(pop)
recorders = [nest.Create("spike_recorder") for _ in pops]
synapses, outgoing = 0, [0] * 8
for i in range(8):
    for j in range(8):
        indegree = microcircuit_indegree(i, j, n_scaling)
        if indegree == 0:
            continue
        psp = psp_e * (2 if (i, j) == (0, 2) else 1) * (1 if j % 2 == 0 else g)
        w = psp / psp_per_na * 1000
        d = 1.5 if j % 2 == 0 else 0.75
        weight = nest.math.redraw(nest.random.normal(w, abs(w) * 0.1), min=0.0 if w > 0 else -np.inf,
                                  max=np.inf if w > 0 else 0.0)
        delay = nest.math.redraw(nest.random.normal(d, d * 0.5), min=dt, max=np.inf)
        nest.Connect(pops[j], pops[i], {"rule": "fixed_indegree", "indegree": indegree, "allow_multapses": True},
                     {"synapse_model": "static_synapse", "weight": weight, "delay": delay})
        synapses += indegree * sizes[i]
        outgoing[j] += indegree * sizes[i]
for i, pop in enumerate(pops):
    generator = nest.Create("poisson_generator", params={"rate": bg_rate * k_ext[i]})
    nest.Connect(generator, pop, "all_to_all", {"weight": psc_e, "delay": 1.5})
    nest.Connect(pop, recorders[i])
nest.Prepare()
build = time.time() - start
start = time.time()
nest.Run(duration)
run = time.time() - start
nest.Cleanup()

spikes, events = 0, 0.0
with h5py.File(out, "w") as f:
    for name, pop, recorder in zip(names, pops, recorders):
        recorded = recorder.get("events")
        group = f.create_group(f"spikes/{name}")
        group.attrs.create("sorting", 2, dtype=h5py.enum_dtype({"none": 0, "by_id": 1, "by_time": 2}, basetype="u1"))
        group.attrs["n_nodes"] = np.uint64(len(pop))
        order = np.argsort(recorded["times"], kind="stable")
        group["timestamps"] = np.asarray(recorded["times"], dtype=np.float64)[order]
        group["timestamps"].attrs["units"] = "ms"
        group["node_ids"] = (np.asarray(recorded["senders"], dtype=np.int64) - pop[0].global_id)[order].astype(np.uint64)
        spikes += len(order)
        events += len(order) * outgoing[names.index(name)] / len(pop)  # recurrent deliveries
    f.attrs["simulator"] = f"NEST {nest.__version__}"
    f.attrs["network"] = f"microcircuit:N_scaling={n_scaling}"
events += sum(sizes[i] * bg_rate * k_ext[i] for i in range(8)) * duration / 1000  # background spikes
print(json.dumps({"simulator": f"NEST {nest.__version__}", "network": f"microcircuit:N_scaling={n_scaling}",
                  "threads": threads, "neurons": sum(sizes), "synapses": synapses + sum(sizes), "spikes": spikes,
                  "build_s": round(build, 3), "run_s": round(run, 3), "real_time_factor": round(run / (duration / 1000), 3),
                  "synaptic_events": int(events), "synaptic_events_per_s": int(events / run)}))
