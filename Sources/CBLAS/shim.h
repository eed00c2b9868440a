// OpenBLAS's CBLAS interface (Debian: libopenblas-dev). Imported only by the Kernels target.
#include <cblas.h>
