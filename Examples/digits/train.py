#!/usr/bin/env python3
"""Trains a small SNN on scikit-learn's bundled 8x8 digits (no download) and exports it to NIR.

  64 inputs (latency code: a pixel of value p in 1..16 spikes once, at step round((1 - p/16) * 19);
  blank pixels never) -> Affine(100x64) -> LIF(100) -> Affine(10x100) -> LIF(10) -> Output.
  Surrogate-gradient BPTT in numpy (fast-sigmoid derivative, Zenke & Ganguli 2018), cross-entropy
  on the output spike counts over 40 steps, Adam.

The forward pass is NIR's own discretisation at dt = 1e-4 s, as NeuroFabric steps NIR graphs:
forward Euler v <- v + dt/tau (v_leak - v + r x), spike when v > v_threshold, reset to v_reset.
Writes, next to this script:
  digits.nir   the trained graph (nir.write)
  test.h5      the 500 held-out samples in NIR's EventData layout (idx, time in s; labels), with
               the training forward pass's accuracy on them as attribute software_accuracy
Usage: train.py [epochs=60] [seed=1] (Scripts/train-digits installs scikit-learn and runs it)
"""
import os
import sys

import h5py
import nir
import numpy as np
from sklearn.datasets import load_digits

EPOCHS = int(sys.argv[1]) if len(sys.argv) > 1 else 60
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 1
DT, TAU, STEPS, CODE_STEPS = 1e-4, 1e-3, 40, 20
BETA = 1 - DT / TAU
HIDDEN, CLASSES, THRESHOLD = 100, 10, 1.0
here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(SEED)


def encode(images):
    """(n, 64) pixel values 0..16 -> (n, STEPS, 64) spikes: one spike per lit pixel, brighter earlier."""
    spikes = np.zeros((len(images), STEPS, 64), dtype=np.float32)
    lit = images > 0
    steps = np.rint((1 - images / 16) * (CODE_STEPS - 1)).astype(int)
    n, pixel = np.nonzero(lit)
    spikes[n, steps[n, pixel], pixel] = 1
    return spikes


def surrogate(u):
    return 1 / (1 + 10 * np.abs(u)) ** 2


def forward(params, x, keep=False):
    """NIR's equations layer by layer, all layers within a step (the framework's forward pass)."""
    w1, b1, w2, b2 = params
    batch = x.shape[0]
    v1 = np.zeros((batch, HIDDEN)); v2 = np.zeros((batch, CLASSES))
    trace = []
    counts = np.zeros((batch, CLASSES)); first = np.full((batch, CLASSES), np.inf)
    for t in range(STEPS):
        v1 = BETA * v1 + (1 - BETA) * (x[:, t] @ w1.T + b1)
        z1 = (v1 > THRESHOLD).astype(np.float64)
        pre1 = v1.copy()
        v1 = np.where(z1 > 0, 0.0, v1)
        v2 = BETA * v2 + (1 - BETA) * (z1 @ w2.T + b2)
        z2 = (v2 > THRESHOLD).astype(np.float64)
        pre2 = v2.copy()
        v2 = np.where(z2 > 0, 0.0, v2)
        counts += z2
        first = np.where((z2 > 0) & np.isinf(first), t, first)
        if keep:
            trace.append((pre1, z1, pre2, z2))
    return counts, first, trace


def predict(counts, first):
    """NeuroFabric's spike-count readout: most spikes, ties to the earlier first spike, then the lower index."""
    out = np.full(len(counts), -1)
    for i, (c, f) in enumerate(zip(counts, first)):
        if c.max() > 0:
            best = np.flatnonzero(c == c.max())
            out[i] = min(best, key=lambda j: (f[j], j))
    return out


def gradients(params, x, labels, scale=1.0):
    w1, b1, w2, b2 = params
    counts, _, trace = forward(params, x, keep=True)
    logits = scale * counts
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(len(labels)), labels] + 1e-12).mean()
    dcount = scale * (p - np.eye(CLASSES)[labels]) / len(labels)
    grads = [np.zeros_like(w1), np.zeros_like(b1), np.zeros_like(w2), np.zeros_like(b2)]
    dv1_next = np.zeros((len(x), HIDDEN)); dv2_next = np.zeros((len(x), CLASSES))
    for t in reversed(range(STEPS)):
        pre1, z1, pre2, z2 = trace[t]
        dv2 = dcount * surrogate(pre2 - THRESHOLD) + BETA * dv2_next * (1 - z2)
        d_in2 = (1 - BETA) * dv2
        grads[2] += d_in2.T @ z1; grads[3] += d_in2.sum(axis=0)
        dz1 = d_in2 @ w2
        dv1 = dz1 * surrogate(pre1 - THRESHOLD) + BETA * dv1_next * (1 - z1)
        d_in1 = (1 - BETA) * dv1
        grads[0] += d_in1.T @ x[:, t]; grads[1] += d_in1.sum(axis=0)
        dv1_next, dv2_next = dv1, dv2
    return loss, grads


def main():
    digits = load_digits()
    order = rng.permutation(len(digits.target))
    images, labels = digits.data[order], digits.target[order]
    test_images, test_labels = images[:500], labels[:500]
    train_images, train_labels = images[500:], labels[500:]
    x_train, x_test = encode(train_images), encode(test_images)
    params = [rng.normal(0.6, 1.2, (HIDDEN, 64)) / np.sqrt(64) * 8, np.zeros(HIDDEN),
              rng.normal(0.4, 1.0, (CLASSES, HIDDEN)) / np.sqrt(HIDDEN) * 12, np.zeros(CLASSES)]
    m = [np.zeros_like(q) for q in params]; s = [np.zeros_like(q) for q in params]
    step = 0
    for epoch in range(EPOCHS):
        batches = rng.permutation(len(train_labels))
        for start in range(0, len(batches), 64):
            index = batches[start:start + 64]
            loss, grads = gradients(params, x_train[index], train_labels[index])
            step += 1
            for q, g, mq, sq in zip(params, grads, m, s):
                mq *= 0.9; mq += 0.1 * g
                sq *= 0.999; sq += 0.001 * g * g
                q -= 2e-2 * (mq / (1 - 0.9 ** step)) / (np.sqrt(sq / (1 - 0.999 ** step)) + 1e-8)
        if epoch % 5 == 4 or epoch == EPOCHS - 1:
            counts, first, _ = forward(params, x_test)
            print(f"epoch {epoch + 1:3d}  loss {loss:.3f}  test accuracy {(predict(counts, first) == test_labels).mean() * 100:.1f} %")
    w1, b1, w2, b2 = (q.astype(np.float32) for q in params)
    # the accuracy of the graph as exported: float32 parameters, as the file holds them
    counts, first, _ = forward([q.astype(np.float64) for q in (w1, b1, w2, b2)], x_test)
    accuracy = float((predict(counts, first) == test_labels).mean())

    def lif(n):
        return nir.LIF(tau=np.full(n, TAU, np.float32), r=np.ones(n, np.float32), v_leak=np.zeros(n, np.float32),
                       v_threshold=np.full(n, THRESHOLD, np.float32), v_reset=np.zeros(n, np.float32))

    graph = nir.NIRGraph(
        nodes={"input": nir.Input(input_type={"input": np.array([64])}),
               "fc1": nir.Affine(weight=w1, bias=b1), "hidden": lif(HIDDEN),
               "fc2": nir.Affine(weight=w2, bias=b2), "output_lif": lif(CLASSES),
               "output": nir.Output(output_type={"output": np.array([CLASSES])})},
        edges=[("input", "fc1"), ("fc1", "hidden"), ("hidden", "fc2"), ("fc2", "output_lif"), ("output_lif", "output")],
        metadata={"description": "digits 64-100-10 LIF, latency code, dt 1e-4 s, NeuroFabric Examples/digits/train.py"},
    )
    nir.write(os.path.join(here, "digits.nir"), graph)
    spikes = x_test.astype(bool)
    width = int(spikes.sum(axis=(1, 2)).max())
    idx = np.full((len(test_labels), width), -1, np.int64); time = np.zeros((len(test_labels), width))
    for n in range(len(test_labels)):
        t, pixel = np.nonzero(spikes[n])
        idx[n, :len(t)] = pixel; time[n, :len(t)] = (t + 0.5) * DT
    with h5py.File(os.path.join(here, "test.h5"), "w") as f:
        f["idx"] = idx; f["time"] = time; f["labels"] = test_labels.astype(np.int64)
        f.attrs["software_accuracy"] = accuracy
        f.attrs["steps"] = STEPS
        f.attrs["dt"] = DT
    print(f"software accuracy {accuracy * 100:.1f} % on {len(test_labels)} held-out digits; wrote digits.nir and test.h5")


if __name__ == "__main__":
    main()
