/*
 * ttyfilter: the guest's bytes for the user's terminal under --no-tui.
 * The terminal outlives vmtui, so nothing the guest sends may outlive it
 * there or reach beyond the screen: a title, the clipboard (OSC 52), a
 * mode (the alternate screen, mouse reports, bracketed paste, the keypad,
 * insert mode), a scroll region, a charset, a query whose answer the
 * terminal would type. libvterm's parser layer splits the bytes (fed
 * through console_new_parser, which keeps libvterm 0.1.4 from its faults
 * and swallows control strings whole); these callbacks write again only
 * what is harmless, as a whitelist:
 *
 * - text, as valid UTF-8 (anything else becomes U+FFFD);
 * - BEL, BS, HT, LF, CR (VT and FF as LF), IND, NEL, RI, DECSC, DECRC;
 * - CSI without leader or intermediates: cursor moves (CUU CUD CUF CUB
 *   CNL CPL CHA CUP HVP VPA VPR HPA HPR), ED 0-2, EL, ECH, ICH, DCH, and
 *   SGR with its foreground colours and text attributes but no
 *   background colour, reverse or concealed text, so that no guest output
 *   ever has a background: vmtui's own lines, in reverse video, cannot be
 *   forged (TTYFILTER_OWN).
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vterm.h>

#include "buf.h"
#include "console.h"
#include "ttyfilter.h"
#include "utf8.h"

#define TTYFILTER_ARG_MAX	9999	/* a count or position, capped */

struct ttyfilter {
	struct console	*parser;
	struct buf	*out;		/* during a feed */
};

static int
ttyfilter_text(const char *bytes, size_t len, void *user)
{
	struct ttyfilter	*f = user;
	const unsigned char	*s = (const unsigned char *)bytes;
	unsigned int		 cp;
	size_t			 i = 0, k;

	while (i < len && s[i] >= 0x20 && s[i] != 0x7f) {
		if (s[i] < 0x80) {
			for (k = i; k < len && s[k] >= 0x20 && s[k] < 0x7f; k++)
				;
			buf_add(f->out, s + i, k - i);
			i = k;
			continue;
		}
		if ((k = utf8_char(s + i, len - i, &cp)) == 0 ||
		    (cp >= 0x80 && cp < 0xa0)) {
			buf_puts(f->out, "\xef\xbf\xbd");
			k = k == 0 ? 1 : k;
		} else
			buf_add(f->out, s + i, k);
		i += k;
	}
	return (int)(i > 0 ? i : 1);
}

static int
ttyfilter_control(unsigned char c, void *user)
{
	struct ttyfilter	*f = user;

	switch (c) {
	case 0x07: case 0x08: case 0x09: case 0x0a: case 0x0d:
		buf_putc(f->out, (char)c);
		break;
	case 0x0b: case 0x0c:
		buf_putc(f->out, '\n');
		break;
	case 0x84:	/* IND */
		buf_puts(f->out, "\033D");
		break;
	case 0x85:	/* NEL */
		buf_puts(f->out, "\r\n");
		break;
	case 0x8d:	/* RI */
		buf_puts(f->out, "\033M");
		break;
	default:	/* SO, SI (charsets), ENQ (an answerback), ... */
		break;
	}
	return 1;
}

static int
ttyfilter_escape(const char *bytes, size_t len, void *user)
{
	struct ttyfilter	*f = user;

	/* DECSC, DECRC; not RIS, keypad modes, charsets, DECALN, ... */
	if (len == 1 && (bytes[0] == '7' || bytes[0] == '8')) {
		buf_putc(f->out, '\033');
		buf_putc(f->out, bytes[0]);
	}
	return 1;
}

static long
ttyfilter_arg(long a)
{
	a = CSI_ARG(a);
	return a == CSI_ARG_MISSING ? -1 : a > TTYFILTER_ARG_MAX ?
	    TTYFILTER_ARG_MAX : a;
}

/*
 * Whether SGR parameter a is kept: the attributes (bold to strike-out,
 * their ends) and foreground colours; not reverse or concealed text, not
 * fonts, backgrounds or anything rarer.
 */
static bool
ttyfilter_sgr_ok(long a)
{
	return (a >= 0 && a <= 6) || a == 9 || (a >= 21 && a <= 37) ||
	    a == 39 || (a >= 90 && a <= 97);
}

/* SGR's parameters, those kept, to b ("" when none is). */
static void
ttyfilter_sgr(struct buf *b, const long args[], int argc)
{
	long		 a, sub[5];
	int		 i = 0, n, k;
	const char	*sep = "";

	while (i < argc) {
		a = ttyfilter_arg(args[i]);
		/* a parameter's own, after colons */
		for (n = 0; CSI_ARG_HAS_MORE(args[i]) && i + 1 < argc; n++) {
			i++;
			if (n < 5)
				sub[n] = ttyfilter_arg(args[i]);
		}
		n = n < 5 ? n : 5;
		i++;
		/* 38, 48, 58 ;5;N or ;2;R;G;B: the colour's own, taken */
		if ((a == 38 || a == 48 || a == 58) && n == 0 && i < argc) {
			k = (int)ttyfilter_arg(args[i]);
			n = k == 5 ? 2 : k == 2 ? 4 : 1;
			if (n > argc - i)
				n = argc - i;
			for (k = 0; k < n; k++)
				sub[k] = ttyfilter_arg(args[i + k]);
			i += n;
		}
		if (a == 38 && n >= 2 && sub[0] == 5 && sub[1] >= 0 &&
		    sub[1] < 256)
			buf_printf(b, "%s38;5;%ld", sep, sub[1]);
		else if (a == 38 && n >= 4 && sub[0] == 2 &&
		    sub[n - 3] >= 0 && sub[n - 3] < 256 && sub[n - 2] >= 0 &&
		    sub[n - 2] < 256 && sub[n - 1] >= 0 && sub[n - 1] < 256)
			buf_printf(b, "%s38;2;%ld;%ld;%ld", sep, sub[n - 3],
			    sub[n - 2], sub[n - 1]);
		else if (ttyfilter_sgr_ok(a < 0 ? 0 : a) && a != 38)
			buf_printf(b, "%s%ld", sep, a < 0 ? 0 : a);
		else
			continue;
		sep = ";";
	}
}

static int
ttyfilter_csi(const char *leader, const long args[], int argc,
    const char *intermed, char command, void *user)
{
	struct ttyfilter	*f = user;
	struct buf		*b = f->out;
	long			 a;
	size_t			 before = b->len;
	int			 i;

	if ((leader != NULL && leader[0] != '\0') ||
	    (intermed != NULL && intermed[0] != '\0') ||
	    strchr("ABCDEFGHfdeaJKX@Pm`", command) == NULL || command == '\0')
		return 1;
	buf_puts(b, "\033[");
	if (command == 'm') {
		ttyfilter_sgr(b, args, argc);
		if (b->len == before + 2 && argc > 0) {
			b->len = before;	/* nothing of it kept */
			return 1;
		}
	} else {
		/* ED 3 (the terminal's scrollback) is beyond the screen */
		a = argc > 0 ? ttyfilter_arg(args[0]) : -1;
		if ((command == 'J' || command == 'K') && a > 2) {
			b->len = before;
			return 1;
		}
		for (i = 0; i < argc && i < 2; i++) {
			a = ttyfilter_arg(args[i]);
			if (i > 0)
				buf_putc(b, ';');
			if (a >= 0)
				buf_printf(b, "%ld", a);
		}
	}
	buf_putc(b, command);
	return 1;
}

static int
ttyfilter_string(const char *command, size_t len, void *user)
{
	(void)command;
	(void)len;
	(void)user;
	return 1;	/* OSC, DCS: dropped */
}

static const VTermParserCallbacks ttyfilter_callbacks = {
	.text = ttyfilter_text,
	.control = ttyfilter_control,
	.escape = ttyfilter_escape,
	.csi = ttyfilter_csi,
	.osc = ttyfilter_string,
	.dcs = ttyfilter_string,
};

struct ttyfilter *
ttyfilter_new(void)
{
	struct ttyfilter	*f;

	if ((f = calloc(1, sizeof *f)) == NULL)
		return NULL;
	if ((f->parser = console_new_parser(&ttyfilter_callbacks, f)) == NULL) {
		free(f);
		return NULL;
	}
	return f;
}

/* The guest's n bytes at p, what of them is harmless appended to out. */
void
ttyfilter_feed(struct ttyfilter *f, const char *p, size_t n, struct buf *out)
{
	f->out = out;
	console_feed(f->parser, p, n);
	f->out = NULL;
}

void
ttyfilter_free(struct ttyfilter *f)
{
	if (f == NULL)
		return;
	console_free(f->parser);
	free(f);
}
