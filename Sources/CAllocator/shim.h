// The C library allocator's knobs that Swift's Glibc module does not import (malloc.h).
#ifndef GROVE_CALLOCATOR_SHIM_H
#define GROVE_CALLOCATOR_SHIM_H

#include <stddef.h>
#include <stdlib.h> // defines __GLIBC__ on glibc
#if defined(__GLIBC__)
#include <malloc.h>
#endif

/// Serves allocations of at least `bytes` with their own mappings, returned to the system when
/// freed, and stops glibc from raising that threshold as large blocks come and go. Returns 1 on
/// success, 0 where unsupported.
static inline int grove_allocator_map_large_blocks(size_t bytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, (int)bytes);
#else
    (void)bytes;
    return 0;
#endif
}

/// Lets each heap keep up to `bytes` of free memory at its top instead of returning it to the
/// system whenever more than 128 KiB is free there (glibc's default once the mapping threshold
/// is fixed). Returns 1 on success, 0 where unsupported.
static inline int grove_allocator_keep_free_top(size_t bytes) {
#if defined(__GLIBC__)
    return mallopt(M_TRIM_THRESHOLD, (int)bytes);
#else
    (void)bytes;
    return 0;
#endif
}

/// Returns free heap memory to the system. Returns 1 if any was returned.
static inline int grove_allocator_trim(void) {
#if defined(__GLIBC__)
    return malloc_trim(0);
#else
    return 0;
#endif
}

#endif
