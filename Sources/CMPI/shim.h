#ifndef CMPI_SHIM_H
#define CMPI_SHIM_H
#include <mpi.h>
/* MPI handles and special pointers are macros (casts in MPICH, addresses of globals in Open MPI);
   Swift imports some of them and not others. These accessors import everywhere. */
static inline MPI_Comm       cmpi_comm_world(void)     { return MPI_COMM_WORLD; }
static inline MPI_Errhandler cmpi_errors_return(void)  { return MPI_ERRORS_RETURN; }
static inline MPI_Datatype   cmpi_byte(void)           { return MPI_BYTE; }
static inline MPI_Datatype   cmpi_int(void)            { return MPI_INT; }
static inline MPI_Datatype   cmpi_int64(void)          { return MPI_INT64_T; }
static inline MPI_Datatype   cmpi_double(void)         { return MPI_DOUBLE; }
static inline MPI_Op         cmpi_min(void)            { return MPI_MIN; }
static inline MPI_Op         cmpi_max(void)            { return MPI_MAX; }
static inline MPI_Op         cmpi_sum(void)            { return MPI_SUM; }
static inline void          *cmpi_in_place(void)       { return MPI_IN_PLACE; }
static inline MPI_Status    *cmpi_status_ignore(void)  { return MPI_STATUS_IGNORE; }
static inline int            cmpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }
static inline int            cmpi_max_library_version_string(void) { return MPI_MAX_LIBRARY_VERSION_STRING; }
#endif
