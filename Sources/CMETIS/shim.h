#ifndef CMETIS_SHIM_H
#define CMETIS_SHIM_H
/* Debian's libmetis-dev: METIS 5.1 with 32-bit idx_t and real_t; it ships no pkg-config file. */
#include <metis.h>
#endif
