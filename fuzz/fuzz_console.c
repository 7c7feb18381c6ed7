/*
 * fuzz_console: a libFuzzer target for the console model (core/console.c),
 * which every byte a guest writes to its serial console goes through. The
 * input: the screen's rows and columns, the size of the pieces the bytes
 * come in, a second size to resize to halfway, then the guest's bytes.
 * Property, after every piece: console_feed returned within a second;
 * the cursor, every cell and the damage lie inside the screen; cells have
 * a width of 0, 1 or 2 and colours of -1 to 255; the answers the model
 * owes the guest are taken (a guest cannot make them grow unread).
 *
 * Build: ./configure CC=clang --enable-fuzzing && make fuzz/fuzz_console
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "console.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static long
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static void
check(struct console *c, int rows, int cols)
{
	struct console_cell	cell;
	char			out[4096];
	int			r, col, row, top, bottom;
	bool			vis;

	console_size(c, &r, &col);
	if (r != rows || col != cols)
		abort();
	console_cursor(c, &row, &col, &vis);
	if (row < 0 || row >= rows || col < 0 || col >= cols) {
		fprintf(stderr, "cursor %d,%d outside %dx%d\n", row, col, rows,
		    cols);
		abort();
	}
	if (console_damage(c, &top, &bottom) && (top < 0 || bottom >= rows ||
	    top > bottom)) {
		fprintf(stderr, "damage %d-%d outside %d rows\n", top, bottom,
		    rows);
		abort();
	}
	for (r = 0; r < rows; r++)
		for (col = 0; col < cols; col++) {
			console_cell(c, r, col, 0, &cell);
			if (cell.width > 2 || cell.fg < -1 || cell.fg > 255 ||
			    cell.bg < -1 || cell.bg > 255)
				abort();
		}
	while (console_output(c, out, sizeof out) > 0)
		;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct console	*c;
	size_t		 piece, at, n;
	int		 rows, cols, rows2, cols2;
	long		 t;

	if (size < 5)
		return 0;
	rows = 1 + data[0] % 40;
	cols = 1 + data[1] % 120;
	piece = 1 + data[2] % 97;
	rows2 = 1 + data[3] % 40;
	cols2 = 1 + data[4] % 120;
	data += 5;
	size -= 5;
	if ((c = console_new(rows, cols, 50)) == NULL)
		return 0;
	for (at = 0; at < size; at += n) {
		n = size - at < piece ? size - at : piece;
		if (at <= size / 2 && at + n > size / 2 && (rows2 != rows ||
		    cols2 != cols)) {
			console_resize(c, rows2, cols2);
			rows = rows2;
			cols = cols2;
			check(c, rows, cols);
		}
		t = now_ms();
		console_feed(c, (const char *)data + at, n);
		if (now_ms() - t > 1000) {
			fprintf(stderr, "console_feed of %zu bytes took %ld "
			    "ms\n", n, now_ms() - t);
			abort();
		}
		check(c, rows, cols);
	}
	console_free(c);
	return 0;
}
