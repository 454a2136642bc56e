/* Sorting that is cheap on data already in order (prefix lists and
 * Adj-RIB-Out plans usually are).  Pure. */
#ifndef ANYCASTD_LIB_SORT_H
#define ANYCASTD_LIB_SORT_H

#include <stddef.h>

/* qsort, unless one O(n) pass finds base already sorted by cmp. */
void sort_if_needed(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

#endif
