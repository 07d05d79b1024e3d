/// The release of NeuroFabric, printed by `info` and written into trace provenance.
let neuroFabricVersion = "0.1.0"
