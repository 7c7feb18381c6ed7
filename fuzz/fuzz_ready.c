/*
 * fuzz_ready: a guest's console bytes read for the line that says its
 * sshd has started (core/ready.c). The first input byte says where to
 * cut the rest into two reads. Properties:
 * - a marker is found only when whole on its line: the scanner finds one
 *   exactly when some line of the input that ended (a newline came), no
 *   longer than READY_LINE_MAX, is one (ready_line on an exact-size copy),
 *   however the bytes are cut into reads;
 * - bounded memory: the line held never passes READY_LINE_MAX, whatever
 *   the input (a read past the buffer is an ASan error).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzutil.h"
#include "ready.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* What the scanner must say: a whole line of the text is a marker. */
static bool
reference(const char *text, size_t len)
{
	const char	*p = text, *end = text + len, *nl;
	char		*copy;
	bool		 r;

	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		if ((size_t)(nl - p) <= READY_LINE_MAX) {
			copy = fuzz_exact(p, (size_t)(nl - p));
			r = ready_line(copy, (size_t)(nl - p));
			free(copy);
			if (r)
				return true;
		}
		p = nl + 1;
	}
	return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ready_scan	 s;
	const char		*text = (const char *)data + 1;
	size_t			 len, cut;
	char			*a, *b;
	bool			 want;

	if (size < 1)
		return 0;
	len = size - 1;
	cut = len > 0 ? data[0] % (len + 1) : 0;
	a = fuzz_exact(text, cut);
	b = fuzz_exact(text + cut, len - cut);
	ready_scan_init(&s);
	ready_scan_feed(&s, a, cut);
	if (s.len > READY_LINE_MAX)
		abort();
	ready_scan_feed(&s, b, len - cut);
	if (s.len > READY_LINE_MAX)
		abort();
	want = reference(text, len);
	if (s.found != want)
		abort();
	free(a);
	free(b);
	return 0;
}
