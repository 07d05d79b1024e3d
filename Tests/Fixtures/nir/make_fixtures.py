#!/usr/bin/env python3
"""Writes the NIR fixtures of the tests with the reference `nir` package (pip install nir; nir.write).

  feedforward.nir  Input(3) -> Affine(4x3, bias) -> CubaLIF(4, per-neuron thresholds) -> Output
  recurrent.nir    Input(2) -> Affine(3x2) -> [nested NIRGraph: Input -> LIF(3) <-> Linear(3x3)] -> Affine(2x3) -> LI(2) -> Output
                   and the nested graph's spikes -> a second Output
  conv.nir         Input(1,6,6) -> Conv2d(2x1x3x3, padding 1, bias) -> IF(2,6,6) -> SumPool2d(2) -> Flatten -> Affine(3x18) -> LIF(3)
  zoo.nir          Input(1,2,2) -> Scale -> LIF -> Flatten -> Linear -> CubaLI(3); Flatten -> Linear -> I(2); LIF -> AvgPool2d -> CubaLIF(1)
  delays.nir       Input(3) -> Delay -> Affine(2x3) -> LIF(2) -> Linear -> Threshold(2); LIF -> Delay -> Linear -> CubaLIF(2)
  <name>-events.h5 input spikes in NIR's EventData layout: idx and time (s), shape (samples, events), idx -1 pads; labels 0, 1, 0

Time constants are in seconds, as snnTorch, Norse and Rockpool export them. Usage: make_fixtures.py [outdir]
"""
import os
import sys

import h5py
import nir
import numpy as np

out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
f32 = np.float32
rng = np.random.default_rng(20261202)


def feedforward():
    w = np.array([[0.0, 0.5, 0.0], [1.2, 0.0, -0.4], [0.3, 0.3, 0.3], [0.0, -0.7, 0.9]], dtype=f32)
    n = 4
    return nir.NIRGraph(
        nodes={
            "input": nir.Input(input_type={"input": np.array([3])}),
            "fc": nir.Affine(weight=w, bias=np.array([0.0, 0.002, 0.0, 0.004], dtype=f32)),
            "lif": nir.CubaLIF(tau_syn=np.full(n, 0.004, dtype=f32), tau_mem=np.full(n, 0.008, dtype=f32),
                               r=np.ones(n, dtype=f32), v_leak=np.zeros(n, dtype=f32),
                               v_threshold=np.array([0.05, 0.04, 0.06, 0.05], dtype=f32),
                               v_reset=np.zeros(n, dtype=f32), w_in=np.full(n, 4.0, dtype=f32)),
            "output": nir.Output(output_type={"output": np.array([n])}),
        },
        edges=[("input", "fc"), ("fc", "lif"), ("lif", "output")],
    )


def recurrent():
    n = 3
    inner = nir.NIRGraph(
        nodes={
            "input": nir.Input(input_type={"input": np.array([n])}),
            "lif": nir.LIF(tau=np.array([0.01, 0.02, 0.015], dtype=f32), r=np.ones(n, dtype=f32),
                           v_leak=np.zeros(n, dtype=f32), v_threshold=np.full(n, 0.2, dtype=f32),
                           v_reset=np.zeros(n, dtype=f32)),
            "w_rec": nir.Linear(weight=(np.ones((n, n), dtype=f32) - np.eye(n, dtype=f32)) * -0.8),
            "output": nir.Output(output_type={"output": np.array([n])}),
        },
        edges=[("input", "lif"), ("lif", "w_rec"), ("w_rec", "lif"), ("lif", "output")],
    )
    return nir.NIRGraph(
        nodes={
            "input": nir.Input(input_type={"input": np.array([2])}),
            "fc_in": nir.Affine(weight=np.array([[30.0, 0.0], [15.0, 15.0], [0.0, 40.0]], dtype=f32), bias=np.zeros(n, dtype=f32)),
            "rsnn": inner,
            "fc_out": nir.Affine(weight=np.array([[1.0, -0.5, 0.0], [0.0, 0.5, 1.0]], dtype=f32), bias=np.array([0.0, 0.001], dtype=f32)),
            "readout": nir.LI(tau=np.full(2, 0.005, dtype=f32), r=np.ones(2, dtype=f32), v_leak=np.zeros(2, dtype=f32)),
            "output": nir.Output(output_type={"output": np.array([2])}),
            "spikes": nir.Output(output_type={"output": np.array([n])}),
        },
        edges=[("input", "fc_in"), ("fc_in", "rsnn"), ("rsnn", "fc_out"), ("fc_out", "readout"), ("readout", "output"),
               ("rsnn", "spikes")],
    )


def conv():
    kernel = rng.uniform(-0.3, 0.6, size=(2, 1, 3, 3)).astype(f32)
    shape = (2, 6, 6)
    return nir.NIRGraph(
        nodes={
            "input": nir.Input(input_type={"input": np.array([1, 6, 6])}),
            "conv": nir.Conv2d(input_shape=(6, 6), weight=kernel, stride=1, padding=1, dilation=1, groups=1,
                               bias=np.array([0.0, 0.01], dtype=f32)),
            "if": nir.IF(r=np.full(shape, 1000.0, dtype=f32), v_threshold=np.full(shape, 0.5, dtype=f32),
                         v_reset=np.zeros(shape, dtype=f32)),
            "pool": nir.SumPool2d(kernel_size=np.array([2, 2]), stride=np.array([2, 2]), padding=np.array([0, 0])),
            "flat": nir.Flatten(input_type={"input": np.array([2, 3, 3])}, start_dim=0, end_dim=-1),
            "fc": nir.Affine(weight=rng.uniform(-0.2, 0.8, size=(3, 18)).astype(f32), bias=np.zeros(3, dtype=f32)),
            "lif": nir.LIF(tau=np.full(3, 0.005, dtype=f32), r=np.full(3, 2.0, dtype=f32), v_leak=np.zeros(3, dtype=f32),
                           v_threshold=np.full(3, 0.3, dtype=f32), v_reset=np.zeros(3, dtype=f32)),
            "output": nir.Output(output_type={"output": np.array([3])}),
            "feature": nir.Output(output_type={"output": np.array(shape)}),
        },
        edges=[("input", "conv"), ("conv", "if"), ("if", "pool"), ("pool", "flat"), ("flat", "fc"), ("fc", "lif"),
               ("lif", "output"), ("if", "feature")],
    )


def zoo():
    grid = (1, 2, 2)
    return nir.NIRGraph(
        nodes={
            "input": nir.Input(input_type={"input": np.array(grid)}),
            "gain": nir.Scale(scale=np.array([3.0, 2.0, 1.5, 2.5], dtype=f32).reshape(grid)),
            "lif": nir.LIF(tau=np.full(grid, 0.002, dtype=f32), r=np.ones(grid, dtype=f32), v_leak=np.full(grid, 0.01, dtype=f32),
                           v_threshold=np.full(grid, 0.1, dtype=f32), v_reset=np.full(grid, -0.05, dtype=f32)),
            "flat": nir.Flatten(input_type={"input": np.array(grid)}, start_dim=0, end_dim=-1),
            "to_li": nir.Linear(weight=rng.uniform(0.0, 1.0, size=(3, 4)).astype(f32)),
            "cubali": nir.CubaLI(tau_syn=np.full(3, 0.003, dtype=f32), tau_mem=np.full(3, 0.006, dtype=f32),
                                 r=np.full(3, 1.5, dtype=f32), v_leak=np.zeros(3, dtype=f32), w_in=np.ones(3, dtype=f32)),
            "to_i": nir.Linear(weight=np.array([[1.0, -1.0, 0.5, 0.0], [0.0, 0.5, 0.5, 1.0]], dtype=f32)),
            "integrator": nir.I(r=np.full(2, 50.0, dtype=f32)),
            "avg": nir.AvgPool2d(kernel_size=np.array([2, 2]), stride=np.array([2, 2]), padding=np.array([0, 0])),
            "flat_avg": nir.Flatten(input_type={"input": np.array([1, 1, 1])}, start_dim=0, end_dim=-1),
            "cubalif": nir.CubaLIF(tau_syn=np.array([0.002], dtype=f32), tau_mem=np.array([0.004], dtype=f32),
                                   r=np.ones(1, dtype=f32), v_leak=np.zeros(1, dtype=f32), v_threshold=np.array([0.05], dtype=f32),
                                   v_reset=np.zeros(1, dtype=f32), w_in=np.full(1, 4.0, dtype=f32)),
            "out_li": nir.Output(output_type={"output": np.array([3])}),
            "out_i": nir.Output(output_type={"output": np.array([2])}),
            "out_lif": nir.Output(output_type={"output": np.array(grid)}),
            "out_cubalif": nir.Output(output_type={"output": np.array([1])}),
        },
        edges=[("input", "gain"), ("gain", "lif"), ("lif", "flat"), ("flat", "to_li"), ("to_li", "cubali"), ("cubali", "out_li"),
               ("flat", "to_i"), ("to_i", "integrator"), ("integrator", "out_i"), ("lif", "out_lif"),
               ("lif", "avg"), ("avg", "flat_avg"), ("flat_avg", "cubalif"), ("cubalif", "out_cubalif")],
    )


def delays():
    return nir.NIRGraph(
        nodes={
            "input": nir.Input(input_type={"input": np.array([3])}),
            "late": nir.Delay(delay=np.array([0.0005, 0.0012, 0.0], dtype=f32)),
            "fc": nir.Affine(weight=np.array([[8.0, 4.0, 0.0], [0.0, 6.0, 9.0]], dtype=f32), bias=np.zeros(2, dtype=f32)),
            "lif": nir.LIF(tau=np.full(2, 0.004, dtype=f32), r=np.ones(2, dtype=f32), v_leak=np.zeros(2, dtype=f32),
                           v_threshold=np.full(2, 0.1, dtype=f32), v_reset=np.zeros(2, dtype=f32)),
            "mix": nir.Linear(weight=np.array([[1.0, 0.5], [-0.5, 1.0]], dtype=f32)),
            "gate": nir.Threshold(threshold=np.array([0.4, 0.7], dtype=f32)),
            "echo": nir.Delay(delay=np.array([0.0003, 0.0006], dtype=f32)),
            "back": nir.Linear(weight=np.array([[3.0, 0.0], [1.0, 2.0]], dtype=f32)),
            "cubalif": nir.CubaLIF(tau_syn=np.full(2, 0.002, dtype=f32), tau_mem=np.full(2, 0.004, dtype=f32),
                                   r=np.ones(2, dtype=f32), v_leak=np.zeros(2, dtype=f32), v_threshold=np.full(2, 0.05, dtype=f32),
                                   v_reset=np.zeros(2, dtype=f32), w_in=np.ones(2, dtype=f32)),
            "out_lif": nir.Output(output_type={"output": np.array([2])}),
            "out_gate": nir.Output(output_type={"output": np.array([2])}),
            "out_cubalif": nir.Output(output_type={"output": np.array([2])}),
        },
        edges=[("input", "late"), ("late", "fc"), ("fc", "lif"), ("lif", "mix"), ("mix", "gate"), ("lif", "echo"),
               ("echo", "back"), ("back", "cubalif"), ("lif", "out_lif"), ("gate", "out_gate"), ("cubalif", "out_cubalif")],
    )


def events(n_inputs, samples=3, rate=400.0, duration=0.03):
    """Poisson-like spikes per input element, times rounded to the 0.1 ms grid's middle."""
    trains = []
    for _ in range(samples):
        count = rng.poisson(rate * duration * n_inputs)
        idx = rng.integers(0, n_inputs, size=count)
        time = (np.floor(rng.uniform(0, duration, size=count) / 1e-4) + 0.5) * 1e-4
        order = np.argsort(time, kind="stable")
        trains.append((idx[order], time[order]))
    width = max(len(i) for i, _ in trains)
    idx = np.full((samples, width), -1, dtype=np.int64)
    time = np.zeros((samples, width), dtype=np.float64)
    for s, (i, t) in enumerate(trains):
        idx[s, :len(i)] = i
        time[s, :len(t)] = t
    return idx, time


graphs = {"feedforward": (feedforward(), 3), "recurrent": (recurrent(), 2), "conv": (conv(), 36), "zoo": (zoo(), 4),
          "delays": (delays(), 3)}
for name, (graph, n_inputs) in graphs.items():
    nir.write(os.path.join(out, f"{name}.nir"), graph)
    idx, time = events(n_inputs)
    with h5py.File(os.path.join(out, f"{name}-events.h5"), "w") as f:
        f["idx"] = idx
        f["time"] = time
        f["labels"] = np.arange(idx.shape[0], dtype=np.int64) % 2
        f.attrs["n_neurons"] = n_inputs
        f.attrs["t_max"] = 0.03
    print(f"wrote {name}.nir and {name}-events.h5 ({idx.shape[0]} samples, {int((idx >= 0).sum())} events)")
