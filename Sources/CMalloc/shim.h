#ifndef TRACE_REPORT_CMALLOC_SHIM_H
#define TRACE_REPORT_CMALLOC_SHIM_H

#include <stdlib.h>
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif

/// Makes glibc's malloc give freed memory back to the system once 1 MiB is free at the top of a
/// heap, instead of the up to 64 MiB per thread its adaptive threshold keeps, and serve blocks of
/// 4 MiB and more straight from the system. A no-op elsewhere; a setting the user made with
/// glibc's own variables (MALLOC_TRIM_THRESHOLD_, MALLOC_MMAP_THRESHOLD_) is left alone.
static inline void trace_report_return_freed_memory(void) {
#if defined(__GLIBC__) && defined(M_TRIM_THRESHOLD) && defined(M_MMAP_THRESHOLD)
    if (getenv("MALLOC_TRIM_THRESHOLD_") == NULL && getenv("MALLOC_MMAP_THRESHOLD_") == NULL) {
        mallopt(M_MMAP_THRESHOLD, 4 << 20);
        mallopt(M_TRIM_THRESHOLD, 1 << 20);
    }
#endif
}

/// Gives every free page of every heap back to the system (glibc's `malloc_trim`), for after a
/// stage that freed much of what it held; a no-op elsewhere.
static inline void trace_report_trim_freed_memory(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

#endif
