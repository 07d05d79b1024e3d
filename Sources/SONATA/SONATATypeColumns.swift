/// The columns of SONATA type files that are not parameters of a cell or synapse model.
///
/// The SONATA spec lets a producer add any column to a type file ("typically ignored by the
/// simulator"), and BMTK's `NetworkBuilder` writes every scalar property given to `add_nodes` or
/// `add_edges` as one (`pop_name`, `ei`, `location`, …), and `source_query` and `target_query`
/// into every edge-types file. NeuroFabric reads a type file's other columns as parameters (PyNN's
/// exporter writes them there), so a column is a parameter unless it is one of these reserved
/// attributes or its value is text that no parameter of the model could take (a label); a number
/// in a column the model does not have is refused, as it may be a misspelled parameter.
enum SONATATypeColumns {
  /// Node attributes the spec reserves that are no point neuron's parameter, and BMTK's usual labels.
  static let nodeAttributes: Set<String> = [
    "node_type_id", "population", "model_type", "model_template", "model_processing", "dynamics_params",
    "morphology", "x", "y", "z", "rotation_angle_xaxis", "rotation_angle_yaxis", "rotation_angle_zaxis", "recenter",
    "pop_name", "ei", "location",
  ]

  /// Edge attributes the spec reserves that are no static synapse's parameter (synapse placement on
  /// morphologies), the columns every BMTK edge-types file has (`source_query`, `target_query`: the
  /// node filters the builder connected), and BMTK's placement options (`target_sections`,
  /// `distance_range`) and `weight_sigma` of its weight functions.
  static let edgeAttributes: Set<String> = [
    "edge_type_id", "population", "model_template", "receptor_type", "dynamics_params",
    "source_query", "target_query",
    "afferent_section_id", "afferent_section_pos", "efferent_section_id", "efferent_section_pos",
    "afferent_center_position", "afferent_surface_position", "efferent_center_position", "efferent_surface_position",
    "target_sections", "distance_range", "weight_sigma", "sign",
  ]

  /// Whether `value` is text no parameter could take (a label), rather than a number, or what a
  /// type file writes for a missing, non-finite or mistyped one (`nan`, `inf`, `0x10`, `1,5`).
  static func isLabel(_ value: String) -> Bool {
    Double(value) == nil && value.range(of: #"^[-+]?\.?[0-9]"#, options: .regularExpression) == nil
  }
}
