import CHDF5

/// A Swift number type with its HDF5 memory type and little-endian file type.
public protocol HDF5ElementType: BitwiseCopyable {
  static var memoryType: hid_t { get }
  static var fileType: hid_t { get }
  static var typeName: String { get }
}

extension Int8: HDF5ElementType {
  public static var memoryType: hid_t { ch5_native_int8() }
  public static var fileType: hid_t { ch5_std_i8le() }
  public static var typeName: String { "int8" }
}
extension UInt8: HDF5ElementType {
  public static var memoryType: hid_t { ch5_native_uint8() }
  public static var fileType: hid_t { ch5_std_u8le() }
  public static var typeName: String { "uint8" }
}
extension Int32: HDF5ElementType {
  public static var memoryType: hid_t { ch5_native_int32() }
  public static var fileType: hid_t { ch5_std_i32le() }
  public static var typeName: String { "int32" }
}
extension UInt32: HDF5ElementType {
  public static var memoryType: hid_t { ch5_native_uint32() }
  public static var fileType: hid_t { ch5_std_u32le() }
  public static var typeName: String { "uint32" }
}
extension Int64: HDF5ElementType {
  public static var memoryType: hid_t { ch5_native_int64() }
  public static var fileType: hid_t { ch5_std_i64le() }
  public static var typeName: String { "int64" }
}
extension UInt64: HDF5ElementType {
  public static var memoryType: hid_t { ch5_native_uint64() }
  public static var fileType: hid_t { ch5_std_u64le() }
  public static var typeName: String { "uint64" }
}
extension Float: HDF5ElementType {
  public static var memoryType: hid_t { ch5_native_float() }
  public static var fileType: hid_t { ch5_ieee_f32le() }
  public static var typeName: String { "float32" }
}
extension Double: HDF5ElementType {
  public static var memoryType: hid_t { ch5_native_double() }
  public static var fileType: hid_t { ch5_ieee_f64le() }
  public static var typeName: String { "float64" }
}
