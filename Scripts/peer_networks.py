"""The figures of NeuroFabric's built-in networks for the peers' twins (nest_brunel.py,
brian2_brunel.py, nest_microcircuit.py, pacman_microcircuit.py). The Swift originals are
Sources/Model/StandardNetworks/Brunel.swift and Microcircuit.swift."""
import math

# Potjans & Diesmann (2014), Table 5: populations, full-scale sizes, connection probabilities
# (row = target, column = source), external in-degrees; NEST's example's initial potentials (mV).
MICROCIRCUIT_NAMES = ["L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"]
MICROCIRCUIT_SIZES = [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948]
MICROCIRCUIT_P = [[0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
                  [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
                  [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0],
                  [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
                  [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
                  [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0],
                  [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
                  [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443]]
MICROCIRCUIT_K_EXT = [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100]
MICROCIRCUIT_V0_MEAN = [-68.28, -63.16, -63.33, -63.45, -63.11, -61.66, -66.72, -61.43]
MICROCIRCUIT_V0_SD = [5.36, 4.57, 4.74, 4.94, 4.94, 4.55, 5.46, 4.48]


def microcircuit_indegree(target, source, n_scaling):
    """Synapses per target neuron: round(round(K_full · N_scaling) / N_post), K_full = ln(1 − p) / ln(1 − 1/(N_pre N_post))."""
    p = MICROCIRCUIT_P[target][source]
    if p == 0:
        return 0
    product = MICROCIRCUIT_SIZES[target] * MICROCIRCUIT_SIZES[source]
    full = math.log(1 - p) / math.log((product - 1) / product)
    return int(round(round(full * n_scaling) / round(MICROCIRCUIT_SIZES[target] * n_scaling)))


def psp_per_current(cm, tau_m, tau_syn):
    """Peak PSP (mV) of a 1 nA exponential current into a LIF neuron (cm in nF, times in ms)."""
    peak = tau_m * tau_syn / (tau_m - tau_syn) * math.log(tau_m / tau_syn)
    return tau_syn / cm / (tau_m - tau_syn) * (math.exp(-peak / tau_m) - math.exp(-peak / tau_syn)) * tau_m


def brunel(n, indegree):
    """Brunel's network as `brunel:N=…,indegree=…`: sizes, in-degrees, weight (pA), drive rate per source (Hz)."""
    g, eta, j = 5.0, 2.0, 0.1
    cm, tau_m, tau_syn = 0.25, 20.0, 0.5  # nF, ms, ms
    ce = indegree * 4 // 5
    nu_thr = 20 / (j * ce * tau_m) * 1000
    return {"ne": n * 4 // 5, "ni": n - n * 4 // 5, "ce": ce, "ci": indegree - ce, "g": g, "delay": 1.5,
            "cm": cm, "tau_m": tau_m, "tau_syn": tau_syn, "weight": j / psp_per_current(cm, tau_m, tau_syn) * 1000,
            "nu_thr": nu_thr, "eta": eta}
