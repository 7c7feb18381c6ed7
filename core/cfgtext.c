/*
 * cfgtext: comments blanked out of a libconfuse file before it is parsed,
 * so that libconfuse's line numbers are the file's (see cfgtext.h). Where
 * a comment begins and ends is core/lex.c's to say, the one tokenizer
 * that prescan and the round-trip patcher read too.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgtext.h"
#include "diag.h"
#include "io.h"
#include "lex.h"

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
	if ((open = lex_blank(text, len, NULL)) < 0)
		return CFG_PARSE_ERROR;
	if (open != 0 && d != NULL) {
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
