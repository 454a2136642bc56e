#include "lib/sort.h"

#include <stdlib.h>

void sort_if_needed(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *b = base;
	size_t i;
	for (i = 1; i < n; i++)
		if (cmp(b + (i - 1) * size, b + i * size) > 0)
			break;
	if (i < n)
		qsort(base, n, size, cmp);
}
