/*
 * Unit tests of core/ttyfilter.c: what a hostile guest writes on --no-tui
 * reaches the user's terminal only as harmless text, moves and colours.
 * The attack's payload (a title, the clipboard by OSC 52, the alternate
 * screen, mouse and paste modes, the keypad, insert mode, a scroll
 * region, DEC line drawing, reverse blinking red) leaves nothing that
 * outlives vmtui; the text, cursor moves, erases and foreground colours
 * pass; no guest output has a background or reverse video, which are
 * vmtui's own lines'.
 */
#include "testutil.h"

#include "buf.h"
#include "ttyfilter.h"

/* What the filter makes of s, fed in pieces of piece bytes. */
static char *
filtered(const char *s, size_t len, size_t piece)
{
	struct ttyfilter	*f = ttyfilter_new();
	struct buf		 b;
	size_t			 at, n;

	assert_non_null(f);
	buf_init(&b);
	for (at = 0; at < len; at += n) {
		n = len - at < piece ? len - at : piece;
		ttyfilter_feed(f, s + at, n, &b);
	}
	ttyfilter_free(f);
	buf_putc(&b, '\0');
	assert_false(b.failed);
	return b.data;
}

#define FILTERED(s, piece)	filtered(s, sizeof s - 1, piece)

static void
test_payload(void **state)
{
	static const char payload[] = "before\033]2;PWNED-TITLE\007"
	    "\033]52;c;UFdORUQ=\007\033[?1049h\033[?1000h\033[?1006h"
	    "\033[?2004h\033[?1h\033=\033[4h\033[3;6r\033(0\033[31;5;7m"
	    "\033[?25l\033P$qm\033\\\033_apc\033\\\033^pm\033\\\033Xsos\033\\"
	    "\033c\033#8\016\017\005\033[6n\033[c\033[>c\033[3J\033[2 q"
	    "\033[8m\033[48;5;1m\033[44m\033[7mafter";
	size_t	piece;
	char	*out;

	(void)state;
	for (piece = 1; piece <= sizeof payload; piece += 6) {
		out = FILTERED(payload, piece);
		/* the text, red, blinking: nothing else */
		assert_string_equal(out, "before\033[31;5mafter");
		free(out);
	}
}

static void
test_kept(void **state)
{
	static const char in[] = "a\r\n\tb\bc\007\033[2J\033[H\033[5;10H"
	    "\033[3A\033[2B\033[4C\033[1D\033[K\033[1K\033[2X\033[3P\033[2@"
	    "\033[m\033[1;4;32mx\033[38;5;196my\033[38:2::1:2:3mz"
	    "\033[0;48;5;3;1m\0337\0338\033M\033D\013\033[99999999A";
	char	*out;

	(void)state;
	out = FILTERED(in, sizeof in);
	assert_string_equal(out, "a\r\n\tb\bc\007\033[2J\033[H\033[5;10H"
	    "\033[3A\033[2B\033[4C\033[1D\033[K\033[1K\033[2X\033[3P\033[2@"
	    "\033[0m\033[1;4;32mx\033[38;5;196my\033[38;2;1;2;3mz"
	    "\033[0;1m\0337\0338\033M\033D\n\033[9999A");
	free(out);
}

static void
test_text(void **state)
{
	/* UTF-8 whole, C1 and broken bytes as U+FFFD, never raw */
	static const char in[] = "\xc3\xa9\xe2\x82\xac\x9b" "1m\xc2\x9b"
	    "x\xff\xf0\x9f\x98";
	char	*out;
	size_t	 i;

	(void)state;
	out = FILTERED(in, 1);
	assert_true(strncmp(out, "\xc3\xa9\xe2\x82\xac", 5) == 0);
	for (i = 0; out[i] != '\0'; i++)
		assert_true((unsigned char)out[i] != 0x9b &&
		    (unsigned char)out[i] != 0xff && out[i] != '\033');
	assert_non_null(strstr(out, "1m"));
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_payload),
		cmocka_unit_test(test_kept),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
