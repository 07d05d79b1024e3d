import CHDF5
import Glibc

/// Attributes of groups and datasets: numbers and arrays of numbers, UTF-8 strings, and enums.
extension HDF5Object {
  public var attributeNames: [String] {
    var names: [String] = []
    var info = H5O_info_t()
    guard H5Oget_info2(id, &info, UInt32(H5O_INFO_NUM_ATTRS)) >= 0 else { return [] }
    for index in 0..<info.num_attrs {
      let length = H5Aget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, ch5_default())
      guard length >= 0 else { continue }
      var buffer = [CChar](repeating: 0, count: length + 1)
      H5Aget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, length + 1, ch5_default())
      names.append(String(cString: buffer))
    }
    return names
  }

  public func hasAttribute(_ attribute: String) -> Bool {
    H5Aexists(id, attribute) > 0
  }

  /// A scalar numeric attribute.
  public func setAttribute<T: HDF5ElementType>(_ attribute: String, _ value: T) throws {
    let space = try check(H5Screate(H5S_SCALAR), "create dataspace")
    defer { H5Sclose(space) }
    try writeAttribute(attribute, fileType: T.fileType, memoryType: T.memoryType, space: space, [value])
  }

  /// A 1-D numeric array attribute.
  public func setAttribute<T: HDF5ElementType>(_ attribute: String, _ values: [T]) throws {
    var dims = [hsize_t(values.count)]
    let space = try check(H5Screate_simple(1, &dims, nil), "create dataspace")
    defer { H5Sclose(space) }
    try writeAttribute(attribute, fileType: T.fileType, memoryType: T.memoryType, space: space, values)
  }

  /// A scalar variable-length UTF-8 string attribute (what libsonata expects for `units`).
  public func setAttribute(_ attribute: String, _ value: String) throws {
    try setStrings(attribute, [value], scalar: true)
  }

  /// A 1-D array of variable-length UTF-8 strings.
  public func setAttribute(_ attribute: String, strings: [String]) throws {
    try setStrings(attribute, strings, scalar: false)
  }

  /// A scalar enum attribute over UInt8, e.g. SONATA's `sorting` {none, by_id, by_time}.
  public func setEnumAttribute(_ attribute: String, members: [(name: String, value: UInt8)], value: UInt8) throws {
    let type = try check(H5Tenum_create(ch5_native_uint8()), "create enum type")
    defer { H5Tclose(type) }
    for member in members {
      var v = member.value
      try check(H5Tenum_insert(type, member.name, &v), "insert enum member \(member.name)")
    }
    let space = try check(H5Screate(H5S_SCALAR), "create dataspace")
    defer { H5Sclose(space) }
    try writeAttribute(attribute, fileType: type, memoryType: type, space: space, [value])
  }

  /// A numeric attribute as an array (one element for a scalar), converted to `T` by HDF5.
  public func attribute<T: HDF5ElementType>(_ attribute: String, as type: T.Type = T.self) throws -> [T] {
    let (aid, fileType, count) = try openAttribute(attribute)
    defer { H5Aclose(aid); H5Tclose(fileType) }
    let typeClass = H5Tget_class(fileType)
    guard typeClass == H5T_INTEGER || typeClass == H5T_FLOAT || typeClass == H5T_ENUM else {
      throw HDF5Error.typeMismatch(path: filePath, object: "\(name)@\(attribute)", expected: "numeric (\(T.typeName))")
    }
    var values = [T](unsafeUninitializedCapacity: count) { _, n in n = count }
    try check(H5Aread(aid, T.memoryType, &values), "read attribute \(attribute)")
    return values
  }

  /// A string attribute (variable or fixed length); arrays come back one string per element.
  public func stringAttribute(_ attribute: String) throws -> [String] {
    let (aid, fileType, count) = try openAttribute(attribute)
    defer { H5Aclose(aid); H5Tclose(fileType) }
    guard H5Tget_class(fileType) == H5T_STRING else {
      throw HDF5Error.typeMismatch(path: filePath, object: "\(name)@\(attribute)", expected: "a string")
    }
    if H5Tis_variable_str(fileType) > 0 {
      let memType = try variableStringType(matching: fileType)
      defer { H5Tclose(memType) }
      var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
      try check(H5Aread(aid, memType, &pointers), "read attribute \(attribute)")
      defer { for p in pointers { H5free_memory(p) } }
      return pointers.map { $0.map { String(cString: $0) } ?? "" }
    }
    let size = H5Tget_size(fileType)
    var buffer = [UInt8](repeating: 0, count: size * count)
    try check(H5Aread(aid, fileType, &buffer), "read attribute \(attribute)")
    return (0..<count).map { i in
      let bytes = buffer[(i * size)..<((i + 1) * size)].prefix { $0 != 0 }
      return String(decoding: bytes, as: UTF8.self)
    }
  }

  /// The member name of a scalar enum attribute.
  public func enumAttribute(_ attribute: String) throws -> String {
    let (aid, fileType, _) = try openAttribute(attribute)
    defer { H5Aclose(aid); H5Tclose(fileType) }
    guard H5Tget_class(fileType) == H5T_ENUM else {
      throw HDF5Error.typeMismatch(path: filePath, object: "\(name)@\(attribute)", expected: "an enum")
    }
    var raw = [UInt8](repeating: 0, count: max(H5Tget_size(fileType), 8))
    try check(H5Aread(aid, fileType, &raw), "read attribute \(attribute)")
    var buffer = [CChar](repeating: 0, count: 256)
    try check(H5Tenum_nameof(fileType, raw, &buffer, 256), "name enum value of \(attribute)")
    return String(cString: buffer)
  }

  private func openAttribute(_ attribute: String) throws -> (hid_t, hid_t, Int) {
    guard hasAttribute(attribute) else {
      throw HDF5Error.objectNotFound(path: filePath, object: "\(name)@\(attribute)")
    }
    let aid = try check(H5Aopen(id, attribute, ch5_default()), "open attribute \(attribute)")
    let space = H5Aget_space(aid)
    defer { H5Sclose(space) }
    let count = Int(H5Sget_simple_extent_npoints(space))
    return (aid, H5Aget_type(aid), count)
  }

  /// The memory type for reading variable-length strings: UTF-8, or the stored strings' character
  /// set (HDF5 does not convert ASCII to UTF-8; h5py and PyNN write bytes as ASCII).
  func variableStringType(matching stored: hid_t? = nil) throws -> hid_t {
    let type = try check(H5Tcopy(ch5_c_s1()), "copy string type")
    H5Tset_size(type, ch5_variable())
    H5Tset_cset(type, stored.map { H5Tget_cset($0) } ?? H5T_CSET_UTF8)
    return type
  }

  private func setStrings(_ attribute: String, _ values: [String], scalar: Bool) throws {
    let type = try variableStringType()
    defer { H5Tclose(type) }
    var dims = [hsize_t(values.count)]
    let space = try check(scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dims, nil), "create dataspace")
    defer { H5Sclose(space) }
    let cStrings = values.map { strdup($0) }
    defer { cStrings.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = cStrings.map { UnsafePointer($0) }
    try writeAttribute(attribute, fileType: type, memoryType: type, space: space, pointers)
  }

  private func writeAttribute<T>(_ attribute: String, fileType: hid_t, memoryType: hid_t, space: hid_t, _ values: [T]) throws {
    if hasAttribute(attribute) {
      try check(H5Adelete(id, attribute), "replace attribute \(attribute)")
    }
    let aid = try check(H5Acreate2(id, attribute, fileType, space, ch5_default(), ch5_default()), "create attribute \(attribute)")
    defer { H5Aclose(aid) }
    try values.withUnsafeBytes { buffer in
      try check(H5Awrite(aid, memoryType, buffer.baseAddress), "write attribute \(attribute)")
    }
  }
}
