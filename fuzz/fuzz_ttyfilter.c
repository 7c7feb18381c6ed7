/*
 * fuzz_ttyfilter: a libFuzzer target for the --no-tui filter
 * (core/ttyfilter.c), which every byte a guest writes goes through on its
 * way to the user's own terminal. The input: the size of the pieces the
 * bytes come in, then the guest's bytes. Property: what comes out is in
 * the harmless language only, read back here independently of the
 * filter: valid UTF-8 without C1 or other controls but BEL, BS, HT, LF,
 * CR; ESC only as ESC 7, ESC 8, ESC D, ESC M or a CSI without leader or
 * intermediates of a cursor move, an erase within the screen (ED and EL
 * 0-2, ECH, ICH, DCH) or SGR without reverse, concealed text or
 * backgrounds (so no guest output can look like vmtui's own lines); and
 * every feed returns within a second.
 *
 * Build: ./configure CC=clang --enable-fuzzing && make fuzz/fuzz_ttyfilter
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "ttyfilter.h"
#include "utf8.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static long
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static void __attribute__((noreturn))
bad(const char *why, const unsigned char *s, size_t n, size_t at)
{
	(void)s;
	fprintf(stderr, "%s at %zu of %zu\n", why, at, n);
	abort();
}

/* A CSI at s[i] (after ESC [): its length, checked. */
static size_t
check_csi(const unsigned char *s, size_t n, size_t i)
{
	size_t	 j = i;
	long	 v = 0, nargs = 0;
	long	 args[64];
	bool	 have = false;

	for (; j < n && ((s[j] >= '0' && s[j] <= '9') || s[j] == ';'); j++) {
		if (s[j] == ';') {
			if (nargs < 64)
				args[nargs++] = have ? v : 0;
			v = 0;
			have = false;
		} else {
			v = v * 10 + (s[j] - '0');
			have = true;
			if (v > 100000)
				bad("a huge argument", s, n, j);
		}
	}
	if (nargs < 64)
		args[nargs++] = have ? v : 0;
	if (j >= n || strchr("ABCDEFGHfdeaJKX@Pm`", s[j]) == NULL)
		bad("a CSI not on the list", s, n, j);
	if ((s[j] == 'J' || s[j] == 'K') && args[0] > 2)
		bad("an erase beyond the screen", s, n, j);
	if (s[j] == 'm') {
		long k;

		for (k = 0; k < nargs; k++) {
			if (args[k] == 38 && k + 1 < nargs) {
				k += args[k + 1] == 5 ? 2 : 4;
				continue;
			}
			if (args[k] == 7 || args[k] == 8 || args[k] == 48 ||
			    (args[k] >= 40 && args[k] <= 49) ||
			    (args[k] >= 100 && args[k] <= 107))
				bad("reverse, concealed or a background", s, n,
				    j);
		}
	}
	return j + 1 - i;
}

static void
check(const unsigned char *s, size_t n)
{
	unsigned int	cp;
	size_t		i = 0, k;

	while (i < n) {
		if (s[i] == 0x1b) {
			if (i + 1 >= n)
				bad("a lone ESC", s, n, i);
			if (strchr("78DM", s[i + 1]) != NULL && s[i + 1] != 0) {
				i += 2;
				continue;
			}
			if (s[i + 1] != '[')
				bad("an escape not on the list", s, n, i);
			i += 2 + check_csi(s, n, i + 2);
			continue;
		}
		if (s[i] < 0x20 || s[i] == 0x7f) {
			if (strchr("\a\b\t\n\r", s[i]) == NULL || s[i] == 0)
				bad("a control", s, n, i);
			i++;
			continue;
		}
		if ((k = utf8_char(s + i, n - i, &cp)) == 0)
			bad("invalid UTF-8", s, n, i);
		if (cp >= 0x80 && cp < 0xa0)
			bad("a C1 control", s, n, i);
		i += k;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ttyfilter	*f;
	struct buf		 b;
	size_t			 piece, at, n;
	long			 t;

	if (size < 1)
		return 0;
	piece = 1 + data[0] % 97;
	data++;
	size--;
	if ((f = ttyfilter_new()) == NULL)
		return 0;
	buf_init(&b);
	for (at = 0; at < size; at += n) {
		n = size - at < piece ? size - at : piece;
		t = now_ms();
		ttyfilter_feed(f, (const char *)data + at, n, &b);
		if (now_ms() - t > 1000)
			abort();
	}
	/* the whole output, as the terminal gets it, pieces joined */
	if (!b.failed)
		check((const unsigned char *)b.data, b.len);
	buf_free(&b);
	ttyfilter_free(f);
	return 0;
}
