#ifndef CHDF5_SHIM_H
#define CHDF5_SHIM_H
#include <hdf5.h>
/* H5T_NATIVE_*, H5P_* classes and H5F_ACC_* expand to "(H5open(), X_g)"; Swift imports neither
   the comma expression nor (in Swift 6 mode) the mutable _g globals. */
static inline hid_t    ch5_default(void)         { return H5P_DEFAULT; }
static inline hid_t    ch5_error_default(void)   { return H5E_DEFAULT; }
static inline hid_t    ch5_native_int8(void)     { return H5T_NATIVE_INT8; }
static inline hid_t    ch5_native_uint8(void)    { return H5T_NATIVE_UINT8; }
static inline hid_t    ch5_native_int32(void)    { return H5T_NATIVE_INT32; }
static inline hid_t    ch5_native_uint32(void)   { return H5T_NATIVE_UINT32; }
static inline hid_t    ch5_native_int64(void)    { return H5T_NATIVE_INT64; }
static inline hid_t    ch5_native_uint64(void)   { return H5T_NATIVE_UINT64; }
static inline hid_t    ch5_native_float(void)    { return H5T_NATIVE_FLOAT; }
static inline hid_t    ch5_native_double(void)   { return H5T_NATIVE_DOUBLE; }
static inline hid_t    ch5_std_i8le(void)        { return H5T_STD_I8LE; }
static inline hid_t    ch5_std_u8le(void)        { return H5T_STD_U8LE; }
static inline hid_t    ch5_std_i32le(void)       { return H5T_STD_I32LE; }
static inline hid_t    ch5_std_u32le(void)       { return H5T_STD_U32LE; }
static inline hid_t    ch5_std_i64le(void)       { return H5T_STD_I64LE; }
static inline hid_t    ch5_std_u64le(void)       { return H5T_STD_U64LE; }
static inline hid_t    ch5_ieee_f32le(void)      { return H5T_IEEE_F32LE; }
static inline hid_t    ch5_ieee_f64le(void)      { return H5T_IEEE_F64LE; }
static inline hid_t    ch5_c_s1(void)            { return H5T_C_S1; }
static inline hid_t    ch5_dataset_create(void)  { return H5P_DATASET_CREATE; }
static inline hid_t    ch5_file_access(void)     { return H5P_FILE_ACCESS; }
static inline hid_t    ch5_link_create(void)     { return H5P_LINK_CREATE; }
static inline unsigned ch5_acc_trunc(void)       { return H5F_ACC_TRUNC; }
static inline unsigned ch5_acc_excl(void)        { return H5F_ACC_EXCL; }
static inline unsigned ch5_acc_rdonly(void)      { return H5F_ACC_RDONLY; }
static inline unsigned ch5_acc_rdwr(void)        { return H5F_ACC_RDWR; }
static inline hsize_t  ch5_unlimited(void)       { return H5S_UNLIMITED; }
static inline size_t   ch5_variable(void)        { return H5T_VARIABLE; }
static inline int      ch5_cache_config_version(void) { return H5AC__CURR_CACHE_CONFIG_VERSION; }
#endif
