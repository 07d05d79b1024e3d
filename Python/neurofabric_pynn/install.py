"""Makes `import pyNN.neurofabric` work: writes a module into the installed PyNN package that
re-exports this one (what sPyNNaker's `setup_pynn` does for `pyNN.spiNNaker`).

    python -m neurofabric_pynn.install
"""
import os

import pyNN

STUB = '"""NeuroFabric\'s PyNN backend (the package neurofabric_pynn; written by neurofabric_pynn.install)."""\n' \
       "from neurofabric_pynn import *  # noqa: F401,F403\n" \
       "from neurofabric_pynn import __doc__  # noqa: F401\n"


def main():
    directory = os.path.join(os.path.dirname(pyNN.__file__), "neurofabric")
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "__init__.py")
    with open(path, "w") as f:
        f.write(STUB)
    print(f"neurofabric_pynn.install: wrote {path}")


if __name__ == "__main__":
    main()
