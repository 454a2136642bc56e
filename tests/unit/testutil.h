/* Helpers shared by the unit tests. */
#ifndef ANYCASTD_TESTUTIL_H
#define ANYCASTD_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Parses hex digits (whitespace ignored) into out; fails the test on bad
 * input or overflow.  Returns the number of bytes. */
size_t hex(const char *s, uint8_t *out, size_t cap);

/* Builds an UPDATE from hex parts, computing the header and the two
 * length fields.  Returns the message length. */
size_t update_msg(const char *withdrawn, const char *attrs, const char *nlri, uint8_t *out,
		  size_t cap);

/* Runs a group with TAP output so that `prove` can read it. */
#define TEST_MAIN(tests)                                                   \
	int main(void)                                                     \
	{                                                                  \
		cmocka_set_message_output(CM_OUTPUT_TAP);                  \
		return cmocka_run_group_tests(tests, NULL, NULL);          \
	}

#endif
