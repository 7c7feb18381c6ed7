/*
 * Unit tests of core/firmware.c: the firmware a profile names, and the
 * pristine variable store found beside a firmware file by its name.
 */
#include "testutil.h"

#include "firmware.h"

static void
set(char **field, const char *value)
{
	free(*field);
	*field = strdup(value);
	assert_non_null(*field);
}

static void
test_named(void **state)
{
	struct profile	*p;
	char		*s;

	(void)state;
	p = profile_new("vm", test_dir);
	assert_non_null(p);
	set(&p->firmware, "fw/CODE.fd");
	s = firmware_code(p);
	assert_non_null(s);
	assert_true(strncmp(s, test_dir, strlen(test_dir)) == 0);
	assert_string_equal(s + strlen(test_dir), "/fw/CODE.fd");
	free(s);
	/* a template the profile names is taken as named, found or not */
	set(&p->efi_vars_template, "/nowhere/VARS.fd");
	s = firmware_vars_template(p, "/x/OVMF_CODE_4M.fd");
	assert_string_equal(s, "/nowhere/VARS.fd");
	free(s);
	profile_free(p);
}

/* The template beside the code: by the distributions' pairs of names. */
static void
test_beside(void **state)
{
	static const char *const pairs[][2] = {
		{ "OVMF_CODE_4M.fd", "OVMF_VARS_4M.fd" },
		{ "OVMF_CODE.fd", "OVMF_VARS.fd" },
		{ "AAVMF_CODE.fd", "AAVMF_VARS.fd" },
		{ "edk2-x86_64-code.fd", "edk2-i386-vars.fd" },
	};
	struct profile	*p;
	char		 code[512], want[512], *s;
	size_t		 i;

	(void)state;
	p = profile_new("vm", test_dir);
	assert_non_null(p);
	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		snprintf(code, sizeof code, "%s/%s", test_dir, pairs[i][0]);
		snprintf(want, sizeof want, "%s/%s", test_dir, pairs[i][1]);
		/* no vars file yet: nothing */
		assert_null(firmware_vars_template(p, code));
		test_write_str(pairs[i][1], "vars");
		s = firmware_vars_template(p, code);
		assert_non_null(s);
		assert_string_equal(s, want);
		free(s);
	}
	/* a name of no known pair, and no code at all: nothing */
	snprintf(code, sizeof code, "%s/mystery.fd", test_dir);
	assert_null(firmware_vars_template(p, code));
	assert_null(firmware_vars_template(p, NULL));
	profile_free(p);
}

/* Found on the host: whatever it finds can be read. */
static void
test_host(void **state)
{
	struct profile	*p;
	char		*s;

	(void)state;
	p = profile_new("vm", test_dir);
	assert_non_null(p);
	if ((s = firmware_code(p)) != NULL) {
		assert_int_equal(access(s, R_OK), 0);
		free(s);
	}
	p->arch = ARCH_AARCH64;
	if ((s = firmware_code(p)) != NULL) {
		assert_int_equal(access(s, R_OK), 0);
		free(s);
	}
	profile_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named),
		cmocka_unit_test(test_beside),
		cmocka_unit_test(test_host),
	};

	return cmocka_run_group_tests(tests, test_setup_dir, test_remove_dir);
}
