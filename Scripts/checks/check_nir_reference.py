"""NeuroFabric's run of a NIR graph against NIR's equations evaluated directly in numpy.

The graph is read with the reference `nir` package and stepped at dt as NIR's reference
implementation does (forward Euler; a spike is 1 for one step; CubaLIF's membrane sees the
synaptic current of the step before; spike when v > v_threshold; reset to v_reset or by
subtraction). As on the chips, each hop from a spiking node through linear nodes to a neuron
takes one step, and a neuron's bias acts from the step its first input can arrive (its depth:
the fewest steps from the Input; NeuroFabric's default --nir-bias-onset first-input). Spike times must agree within one step and spike counts exactly; recorded
membranes (LI, CubaLI, I) to 1e-6 of their size (the trace stores float32).
Usage: check_nir_reference.py GRAPH.nir EVENTS.h5 SAMPLE TRACE.h5 [reset=to-v-reset] [integrator=euler] [dt=1e-4]
(integrator exponential: every dt/tau above becomes 1 - exp(-dt/tau), NeuroFabric's --nir-integrator exponential)"""
import sys

import h5py
import nir
import numpy as np

SPIKING = (nir.LIF, nir.CubaLIF, nir.IF, nir.Threshold)
NEURONS = SPIKING + (nir.LI, nir.CubaLI, nir.I)


def flatten(graph, prefix="", top=True, nodes=None, edges=None):
    """Flat nodes by dotted label and edges between labels; nested Input/Output pass values on."""
    nodes = {} if nodes is None else nodes
    edges = [] if edges is None else edges
    ends = {}
    for name, node in graph.nodes.items():
        label = prefix + name
        if isinstance(node, nir.NIRGraph):
            inner = flatten(node, label + ".", False, nodes, edges)
            inputs = [n for n, x in node.nodes.items() if isinstance(x, nir.Input)]
            outputs = [n for n, x in node.nodes.items() if isinstance(x, nir.Output)]
            ends[name] = (inner[inputs[0]][0], inner[outputs[0]][1])
        else:
            nodes[label] = (node, top)
            ends[name] = (label, label)
    for a, b in graph.edges:
        edges.append((ends[a][1], ends[b][0]))
    return ends if not top else (nodes, edges)


def conv2d(node, x, biased=True):
    w = np.asarray(node.weight, dtype=np.float64)
    c_out, c_in, kh, kw = w.shape
    stride, pad, dil = (np.broadcast_to(np.asarray(v), (2,)) for v in (node.stride, node.padding, node.dilation))
    c, h, wd = x.shape
    oh = (h + 2 * pad[0] - dil[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (wd + 2 * pad[1] - dil[1] * (kw - 1) - 1) // stride[1] + 1
    padded = np.zeros((c, h + 2 * pad[0], wd + 2 * pad[1]))
    padded[:, pad[0]:pad[0] + h, pad[1]:pad[1] + wd] = x
    out = np.zeros((c_out, oh, ow))
    for co in range(c_out):
        for oy in range(oh):
            for ox in range(ow):
                patch = padded[:, oy * stride[0]:oy * stride[0] + dil[0] * (kh - 1) + 1:dil[0],
                               ox * stride[1]:ox * stride[1] + dil[1] * (kw - 1) + 1:dil[1]]
                out[co, oy, ox] = (patch * w[co]).sum() + biased * np.asarray(node.bias, dtype=np.float64)[co]
    return out


def pool(node, x, average):
    k, s, p = (np.asarray(v).astype(int) for v in (node.kernel_size, node.stride, node.padding))
    c, h, w = x.shape
    padded = np.zeros((c, h + 2 * p[0], w + 2 * p[1]))
    padded[:, p[0]:p[0] + h, p[1]:p[1] + w] = x
    oh, ow = (h + 2 * p[0] - k[0]) // s[0] + 1, (w + 2 * p[1] - k[1]) // s[1] + 1
    out = np.zeros((c, oh, ow))
    for oy in range(oh):
        for ox in range(ow):
            out[:, oy, ox] = padded[:, oy * s[0]:oy * s[0] + k[0], ox * s[1]:ox * s[1] + k[1]].sum(axis=(1, 2))
    return out / (k[0] * k[1]) if average else out


def depths(nodes, preds, source, dt):
    """Fewest steps from the Input to each neuron: one per hop through linear nodes, plus Delays."""
    def origins(label):
        found = []
        for p in preds[label]:
            node, _ = nodes[p]
            if p == source or isinstance(node, SPIKING):
                found.append((p, 1))
            elif isinstance(node, nir.Delay):
                (before,) = preds[p]
                found.append((before, 1 + int(np.rint(np.asarray(node.delay, np.float64) / dt).min())))
            elif not isinstance(node, NEURONS):
                found += origins(p)
        return found
    incoming = {label: origins(label) for label, (node, _) in nodes.items() if isinstance(node, NEURONS)}
    depth = {source: 0}
    changed = True
    while changed:
        changed = False
        for label, sources in incoming.items():
            for origin, steps in sources:
                if origin in depth and depth[origin] + steps < depth.get(label, 1 << 30):
                    depth[label] = depth[origin] + steps
                    changed = True
    return depth


def simulate(graph, inputs, steps, dt, reset, integrator="euler"):
    # the fraction of the way to the target a leaky variable moves in one step
    step = (lambda tau: dt / tau) if integrator == "euler" else (lambda tau: 1 - np.exp(-dt / tau))
    nodes, edges = flatten(graph)
    preds = {label: [a for a, b in edges if b == label] for label in nodes}
    shape = {}
    for label, (node, top) in nodes.items():
        if isinstance(node, NEURONS):
            shape[label] = np.asarray(node.threshold if isinstance(node, nir.Threshold) else node.r).shape
        elif isinstance(node, nir.Input) and top:
            shape[label] = tuple(np.asarray(node.input_type["input"]).astype(int))
    state = {label: {"v": np.zeros(shape[label]), "i": np.zeros(shape[label])}
             for label, (node, _) in nodes.items() if isinstance(node, NEURONS)}
    previous = {label: np.zeros(shape[label]) for label in shape}
    spikes = {label: [] for label, (node, _) in nodes.items() if isinstance(node, SPIKING)}
    voltages = {label: [] for label, (node, _) in nodes.items() if isinstance(node, NEURONS) and not isinstance(node, SPIKING)}
    source = next(label for label, (node, top) in nodes.items() if isinstance(node, nir.Input) and top)
    depth = depths(nodes, preds, source, dt)
    history = []  # spikes of every step so far, for Delay nodes
    for k in range(steps):
        memo = {}

        def value(label, biased=True):
            node, top = nodes[label]
            if label in previous:
                return previous[label]
            if label in memo:
                return memo[label]
            if isinstance(node, nir.Delay):
                (spiking,) = preds[label]
                flat = np.zeros(int(np.prod(shape[spiking])))
                lag = np.broadcast_to(np.rint(np.asarray(node.delay, np.float64) / dt).astype(int).reshape(-1), flat.shape)
                for i in range(len(flat)):
                    if k - 1 - lag[i] >= 0:
                        flat[i] = history[k - 1 - lag[i]][spiking].reshape(-1)[i]
                memo[label] = flat
                return flat
            x = sum(value(p, biased) for p in preds[label])
            if isinstance(node, nir.Affine):
                y = np.asarray(node.weight, np.float64) @ x.reshape(-1) + biased * np.asarray(node.bias, np.float64)
            elif isinstance(node, nir.Linear):
                y = np.asarray(node.weight, np.float64) @ x.reshape(-1)
            elif isinstance(node, nir.Scale):
                y = np.asarray(node.scale, np.float64) * x
            elif isinstance(node, nir.Conv2d):
                y = conv2d(node, x, biased)
            elif isinstance(node, (nir.SumPool2d, nir.AvgPool2d)):
                y = pool(node, x, isinstance(node, nir.AvgPool2d))
            elif isinstance(node, nir.Flatten):
                y = x.reshape(-1)
            else:  # a nested graph's Input or Output
                y = x
            memo[label] = y
            return y

        now = {}
        for label, st in state.items():
            node, _ = nodes[label]
            if k < depth.get(label, 0):  # the bias waits for the first input
                memo.clear()
                x = sum(value(p, biased=False) for p in preds[label]).reshape(shape[label])
                memo.clear()
            else:
                x = sum(value(p) for p in preds[label]).reshape(shape[label])
            f = lambda name, default=None: np.asarray(getattr(node, name) if getattr(node, name, None) is not None else default, np.float64)
            if isinstance(node, nir.Threshold):
                st["v"] = x.astype(np.float64)
            elif isinstance(node, (nir.CubaLIF, nir.CubaLI)):
                current = st["i"].copy()
                st["i"] = st["i"] + step(f("tau_syn")) * (-st["i"] + f("w_in", 1.0) * x)
                st["v"] = st["v"] + step(f("tau_mem")) * (f("v_leak") - st["v"] + f("r") * current)
            elif isinstance(node, (nir.LIF, nir.LI)):
                st["v"] = st["v"] + step(f("tau")) * (f("v_leak") - st["v"] + f("r") * x)
            else:  # IF, I
                st["v"] = st["v"] + dt * f("r") * x
            if isinstance(node, nir.Threshold):
                z = st["v"] > f("threshold")
                spikes[label] += [(k, int(i)) for i in np.flatnonzero(z.reshape(-1))]
                now[label] = z.astype(np.float64)
            elif isinstance(node, SPIKING):
                z = st["v"] > f("v_threshold")
                if reset == "subtract":
                    st["v"] = np.where(z, st["v"] - f("v_threshold"), st["v"])
                else:
                    st["v"] = np.where(z, np.broadcast_to(f("v_reset", 0.0), z.shape), st["v"])
                spikes[label] += [(k, int(i)) for i in np.flatnonzero(z.reshape(-1))]
                now[label] = z.astype(np.float64)
            else:
                voltages[label].append(st["v"].reshape(-1).copy())
        now[source] = inputs[k].reshape(shape[source])
        previous.update(now)
        history.append(dict(previous))
    return spikes, voltages


def main():
    graph_path, events_path, sample, trace_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    reset = sys.argv[5] if len(sys.argv) > 5 else "to-v-reset"
    integrator = sys.argv[6] if len(sys.argv) > 6 else "euler"
    dt = float(sys.argv[7]) if len(sys.argv) > 7 else 1e-4
    graph = nir.read(graph_path)
    with h5py.File(trace_path, "r") as f:
        duration = float(f["provenance"].attrs["duration_ms"])
        steps = int(round(duration / 0.1))
        got = {name: (g["node_ids"][:], g["timestamps"][:]) for name, g in f.get("spikes", {}).items()}
        reports = {name: g["data"][:] for name, g in f.get("report", {}).items()}
    nodes, _ = flatten(graph)
    source = next(label for label, (node, top) in nodes.items() if isinstance(node, nir.Input) and top)
    n_in = int(np.prod(np.asarray(nodes[source][0].input_type["input"])))
    with h5py.File(events_path, "r") as f:
        idx, time = f["idx"][sample], f["time"][sample]
    inputs = np.zeros((steps, n_in))
    for i, t in zip(idx, time):
        if i >= 0 and int(t / dt) < steps:
            inputs[int(t / dt), i] += 1
    spikes, voltages = simulate(graph, inputs, steps, dt, reset, integrator)
    failures = 0
    for label, expected in spikes.items():
        if label not in got:
            continue
        ids, times = got[label]
        mine = sorted((int(round(t / 0.1)) - 1, int(i)) for i, t in zip(ids, times))  # node ids count within the population
        ref = sorted(expected)
        shifted = [abs(a[0] - b[0]) <= 1 and a[1] == b[1] for a, b in zip(mine, ref)]
        exact = sum(a == b for a, b in zip(mine, ref))
        ok = len(mine) == len(ref) and all(shifted)
        failures += not ok
        print(f"{label:<16} spikes: numpy {len(ref):>5}  neurofabric {len(mine):>5}  same step {exact:>5}  "
              f"{'ok' if ok else 'DIFFERENT'}")
    for label, expected in voltages.items():
        if label not in reports:
            continue
        ref = np.array(expected)
        data = reports[label][:len(ref)]
        # samples are stored as float32: compare relative to the value's size
        error = float((np.abs(data - ref[:len(data)]) / np.maximum(1, np.abs(ref[:len(data)]))).max()) if len(data) else float("inf")
        ok = len(data) > 0 and error <= 1e-6
        failures += not ok
        print(f"{label:<16} membrane: {len(data)} samples, largest difference {error:.2e}  {'ok' if ok else 'DIFFERENT'}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
