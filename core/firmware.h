/*
 * firmware: where UEFI firmware lives on the host, for profiles that leave
 * boot.firmware and boot.efi-vars-template empty.
 */
#ifndef VMTUI_FIRMWARE_H
#define VMTUI_FIRMWARE_H

#include "profile.h"

char	*firmware_code(const struct profile *);
char	*firmware_vars_template(const struct profile *, const char *);

#endif
