/*
 * domxml: the libvirt backend's rendering: the resolved machine as a
 * libvirt domain's XML (what virsh define takes). What libvirt cannot
 * express is refused, naming the key; never dropped.
 */
#ifndef VMTUI_DOMXML_H
#define VMTUI_DOMXML_H

#include <stdbool.h>

#include "resolve.h"

/*
 * The target host: whether it has KVM (for accel = auto), the UUID of the
 * domain a definition replaces (or NULL), whether the serial console is
 * logged to vmtui's console.log (a host that shares this one's files).
 */
struct domxml_target {
	bool		 kvm;
	const char	*uuid;
	bool		 nolog;
};

int	 domxml_render(const struct resolved *, const struct domxml_target *,
	     char **, char **);
int	 domxml_machine(const struct profile *, char **, char **);

#endif
