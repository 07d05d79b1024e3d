#!/usr/bin/env python3
"""Runs a SONATA simulation config with BMTK PointNet on NEST (bmtk.simulator.pointnet), from the
config's directory, as BMTK's examples' run_pointnet.py does; spikes go where the config's output says.

Usage: run_pointnet.py SIMULATION_CONFIG
"""
import os
import sys

from bmtk.simulator import pointnet

config_path = os.path.abspath(sys.argv[1])
os.chdir(os.path.dirname(config_path))
config = pointnet.Config.from_json(os.path.basename(config_path))
config.build_env()
network = pointnet.PointNetwork.from_config(config)
pointnet.PointSimulator.from_config(config, network).run()
