/* The control protocol: requests as the daemon parses them (any bytes a
 * local user may send) and answers as anycastctl parses them.  A request
 * that parses must encode back to one that parses to the same thing. */
#include <stdlib.h>

#include "ctl/ctl.h"
#include "fuzz.h"

static void check_same(const struct ctl_request *a, const struct ctl_request *b)
{
	FUZZ_CHECK(a->cmd == b->cmd);
	FUZZ_CHECK(!strcmp(a->service, b->service));
	FUZZ_CHECK(a->all == b->all && a->force == b->force && a->level == b->level);
	FUZZ_CHECK(!(ctl_commands[a->cmd].args & CTL_ARG_COUNT) || a->count == b->count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_request r, r2;
	char err[200], code[64];
	if (ctl_request_parse((const char *)data, size, &r, err, sizeof err) == 0) {
		FUZZ_CHECK((unsigned)r.cmd < CTL_N_COMMANDS);
		FUZZ_CHECK(strlen(r.service) <= CTL_SERVICE_MAX);
		FUZZ_CHECK(r.count >= 1 && r.count <= CTL_EVENTS_MAX);
		char *line = ctl_request_encode(&r);
		FUZZ_CHECK(line != NULL);
		FUZZ_CHECK(ctl_request_parse(line, strlen(line), &r2, err, sizeof err) == 0);
		check_same(&r, &r2);
		free(line);
	} else {
		FUZZ_CHECK(strlen(err) < sizeof err);
	}
	json_t *d = NULL;
	int rc = ctl_response_parse((const char *)data, size, &d, err, sizeof err, code, sizeof code);
	FUZZ_CHECK(rc >= -1 && rc <= 1);
	FUZZ_CHECK((rc == 1) == (d != NULL));
	json_decref(d);
	return 0;
}
