/*
 * firmware: finds UEFI firmware (OVMF for x86_64, AAVMF for aarch64) in the
 * places Debian and other distributions install it, and the pristine
 * variable store that belongs beside a given firmware file.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "firmware.h"

static const char *const firmware_x86_64[] = {
	"/usr/share/OVMF/OVMF_CODE_4M.fd",
	"/usr/share/OVMF/OVMF_CODE.fd",
	"/usr/share/edk2/ovmf/OVMF_CODE.fd",
	"/usr/share/edk2/x64/OVMF_CODE.4m.fd",
	"/usr/share/qemu/edk2-x86_64-code.fd",
	NULL
};

static const char *const firmware_aarch64[] = {
	"/usr/share/AAVMF/AAVMF_CODE.fd",
	"/usr/share/edk2/aarch64/QEMU_EFI-pflash.raw",
	"/usr/share/qemu/edk2-aarch64-code.fd",
	NULL
};

/* Pairs of (code suffix, vars suffix) that name a firmware's vars. */
static const char *const firmware_pairs[][2] = {
	{ "OVMF_CODE_4M.fd", "OVMF_VARS_4M.fd" },
	{ "OVMF_CODE.fd", "OVMF_VARS.fd" },
	{ "OVMF_CODE.4m.fd", "OVMF_VARS.4m.fd" },
	{ "AAVMF_CODE.fd", "AAVMF_VARS.fd" },
	{ "QEMU_EFI-pflash.raw", "vars-template-pflash.raw" },
	{ "edk2-x86_64-code.fd", "edk2-i386-vars.fd" },
	{ "edk2-aarch64-code.fd", "edk2-arm-vars.fd" },
};

/* The firmware the profile names, else the first one installed; or NULL. */
char *
firmware_code(const struct profile *p)
{
	const char *const	*list;

	if (*p->firmware != '\0')
		return profile_path(p, p->firmware);
	list = p->arch == ARCH_AARCH64 ? firmware_aarch64 : firmware_x86_64;
	for (; *list != NULL; list++)
		if (access(*list, R_OK) == 0)
			return strdup(*list);
	return NULL;
}

/* The vars template the profile names, else the one beside code; or NULL. */
char *
firmware_vars_template(const struct profile *p, const char *code)
{
	size_t	 i, clen, slen;
	char	*s;

	if (*p->efi_vars_template != '\0')
		return profile_path(p, p->efi_vars_template);
	if (code == NULL)
		return NULL;
	clen = strlen(code);
	for (i = 0; i < sizeof firmware_pairs / sizeof firmware_pairs[0]; i++) {
		slen = strlen(firmware_pairs[i][0]);
		if (clen < slen ||
		    strcmp(code + clen - slen, firmware_pairs[i][0]) != 0)
			continue;
		if (asprintf(&s, "%.*s%s", (int)(clen - slen), code,
		    firmware_pairs[i][1]) < 0)
			return NULL;
		if (access(s, R_OK) == 0)
			return s;
		free(s);
	}
	return NULL;
}
