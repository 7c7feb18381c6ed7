/*
 * cfgtext: comments blanked out of a libconfuse file before it is parsed,
 * so that libconfuse's line numbers are the file's (see cfgtext.h). The
 * lexing follows libconfuse's lexer.l as prescan.c does: # and // to the
 * end of the line, slash-star to star-slash, strings in double or single
 * quotes with backslash escapes; a // or slash-star ends a bare word.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgtext.h"
#include "diag.h"
#include "io.h"

/*
 * Every comment in buf made spaces; newlines stay where they were. The line
 * where a comment opens that is never closed, or 0.
 */
int
cfgtext_blank(char *buf, size_t len)
{
	size_t	i = 0;
	char	q;
	int	line = 1, open;

	while (i < len) {
		if (buf[i] == '"' || buf[i] == '\'') {
			q = buf[i++];
			while (i < len && buf[i] != q) {
				line += buf[i] == '\n' ||
				    (buf[i] == '\\' && i + 1 < len &&
				    buf[i + 1] == '\n');
				i += buf[i] == '\\' && i + 1 < len ? 2 : 1;
			}
			i++;
		} else if (buf[i] == '#' || (buf[i] == '/' && i + 1 < len &&
		    buf[i + 1] == '/')) {
			while (i < len && buf[i] != '\n')
				buf[i++] = ' ';
		} else if (buf[i] == '/' && i + 1 < len && buf[i + 1] == '*') {
			open = line;
			buf[i++] = ' ';
			buf[i++] = ' ';
			while (i < len && !(buf[i] == '*' && i + 1 < len &&
			    buf[i + 1] == '/')) {
				if (buf[i] != '\n')
					buf[i] = ' ';
				else
					line++;
				i++;
			}
			if (i >= len)
				return open;
			buf[i++] = ' ';
			buf[i++] = ' ';
		} else
			line += buf[i++] == '\n';
	}
	return 0;
}

/* Where libconfuse's messages go while a parse runs (it has no user data). */
static struct diag *cfgtext_diag;

static void
cfgtext_error(cfg_t *cfg, const char *fmt, va_list ap)
{
	if (cfgtext_diag != NULL)
		diag_vadd(cfgtext_diag, cfg->line, fmt, ap);
}

/*
 * Parse text (named name in messages) into cfg, its comments blanked in
 * place. libconfuse's messages go into d, at their lines; with d NULL, to
 * the error function cfg has. libconfuse's result: CFG_SUCCESS or
 * CFG_PARSE_ERROR.
 */
int
cfgtext_parse(cfg_t *cfg, const char *name, char *text, size_t len,
    struct diag *d)
{
	FILE	*f;
	int	 r, open;

	free(cfg->filename);
	if ((cfg->filename = strdup(name)) == NULL)
		return CFG_PARSE_ERROR;
	if (len == 0)
		return CFG_SUCCESS;
	if ((open = cfgtext_blank(text, len)) != 0 && d != NULL) {
		diag_add(d, open, CFGTEXT_OPEN_COMMENT);
		return CFG_PARSE_ERROR;
	}
	if ((f = fmemopen(text, len, "r")) == NULL)
		return CFG_PARSE_ERROR;
	if (d != NULL) {
		cfgtext_diag = d;
		cfg_set_error_function(cfg, cfgtext_error);
	}
	r = cfg_parse_fp(cfg, f);
	cfgtext_diag = NULL;
	fclose(f);
	return r;
}

/*
 * The file at path (at most max bytes) parsed into cfg, as cfgtext_parse.
 * CFG_FILE_ERROR with *cause when it cannot be read.
 */
int
cfgtext_load(cfg_t *cfg, const char *path, size_t max, struct diag *d,
    char **cause)
{
	char	*text;
	int	 r;

	*cause = NULL;
	if (io_read_file(path, max, &text, cause) != 0)
		return CFG_FILE_ERROR;
	r = cfgtext_parse(cfg, path, text, strlen(text), d);
	free(text);
	return r;
}
