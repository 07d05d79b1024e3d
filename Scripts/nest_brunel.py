#!/usr/bin/env python3
"""The Brunel network of `neurofabric run --network brunel:N=…,indegree=…` in NEST, for the
benchmark in docs/performance.md: same neuron and synapse parameters, Poisson drive per neuron, 1 thread.

Usage: python nest_brunel.py N INDEGREE DURATION_MS [THREADS]   (needs `pip install nest-simulator`)
Prints one JSON line: build and simulate seconds, spikes, synaptic events (as Scripts/compare-nest reads it).
"""
import json
import sys
import time

import nest
from peer_networks import brunel

n, indegree, duration = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
threads = int(sys.argv[4]) if len(sys.argv) > 4 else 1
b = brunel(n, indegree)
ne, ni, ce, ci, g, delay, weight = b["ne"], b["ni"], b["ce"], b["ci"], b["g"], b["delay"], b["weight"]
cm, tau_m, tau_syn, eta, nu_thr = b["cm"], b["tau_m"], b["tau_syn"], b["eta"], b["nu_thr"]
rate = eta * nu_thr * ce

nest.ResetKernel()
nest.verbosity = nest.VerbosityLevel.ERROR
nest.SetKernelStatus({"resolution": 0.1, "local_num_threads": threads, "rng_seed": 1})
params = {"C_m": cm * 1000, "tau_m": tau_m, "t_ref": 2.0, "E_L": -70.0, "V_th": -50.0, "V_reset": -60.0,
          "tau_syn_ex": tau_syn, "tau_syn_in": tau_syn, "I_e": 0.0}
exc = nest.Create("iaf_psc_exp", ne, params=params)
inh = nest.Create("iaf_psc_exp", ni, params=params)
for pop in (exc, inh):
    pop.V_m = nest.random.uniform(-70.0, -50.0)
noise = nest.Create("poisson_generator", params={"rate": rate})
recorder = nest.Create("spike_recorder")
start = time.time()
syn_e = {"weight": weight, "delay": delay}
syn_i = {"weight": -g * weight, "delay": delay}
nest.Connect(exc, exc + inh, {"rule": "fixed_indegree", "indegree": ce, "allow_autapses": False}, syn_e)
nest.Connect(inh, exc + inh, {"rule": "fixed_indegree", "indegree": ci, "allow_autapses": False}, syn_i)
nest.Connect(noise, exc + inh, syn_spec=syn_e)
nest.Connect(exc + inh, recorder)
build = time.time() - start
start = time.time()
nest.Simulate(duration)
run = time.time() - start
spikes = recorder.n_events
events = spikes * indegree + (n * rate * duration / 1000)
print(json.dumps({"simulator": f"NEST {nest.__version__}", "network": f"brunel:N={n},indegree={indegree}",
                  "threads": threads, "spikes": spikes, "mean_rate_hz": round(spikes / n / (duration / 1000), 2),
                  "build_s": round(build, 3), "run_s": round(run, 3), "real_time_factor": round(run / (duration / 1000), 3),
                  "synaptic_events": int(events), "synaptic_events_per_s": int(events / run)}))
