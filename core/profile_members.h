/*
 * profile_members.h: the members of the model that hold the profile's
 * keys, declared from schema.def, so that a key is written down once.
 * Included inside each struct of profile.h (no include guard): the
 * includer defines PROFILE_KEYS_<SECTION>(decl) as decl for the sections
 * whose keys that struct holds; every other section declares nothing.
 */
#ifndef PROFILE_KEYS_ROOT
#define PROFILE_KEYS_ROOT(decl)
#endif
#ifndef PROFILE_KEYS_ROOT_DISK
#define PROFILE_KEYS_ROOT_DISK(decl)
#endif
#ifndef PROFILE_KEYS_ROOT_DISK_DRIVE
#define PROFILE_KEYS_ROOT_DISK_DRIVE(decl)
#endif
#ifndef PROFILE_KEYS_DISK
#define PROFILE_KEYS_DISK(decl)
#endif
#ifndef PROFILE_KEYS_DISK_DRIVE
#define PROFILE_KEYS_DISK_DRIVE(decl)
#endif
#ifndef PROFILE_KEYS_SHARE
#define PROFILE_KEYS_SHARE(decl)
#endif
#ifndef PROFILE_KEYS_FORWARD
#define PROFILE_KEYS_FORWARD(decl)
#endif
#ifndef PROFILE_KEYS_BOOT
#define PROFILE_KEYS_BOOT(decl)
#endif
#ifndef PROFILE_KEYS_QEMU
#define PROFILE_KEYS_QEMU(decl)
#endif
#ifndef PROFILE_KEYS_CLOUD_INIT
#define PROFILE_KEYS_CLOUD_INIT(decl)
#endif

#define SCHEMA_KEY(id, path, sec, member, t, ctype, ...) \
	PROFILE_KEYS_##sec(ctype member;)
#include "schema.def"
#undef SCHEMA_KEY

#undef PROFILE_KEYS_ROOT
#undef PROFILE_KEYS_ROOT_DISK
#undef PROFILE_KEYS_ROOT_DISK_DRIVE
#undef PROFILE_KEYS_DISK
#undef PROFILE_KEYS_DISK_DRIVE
#undef PROFILE_KEYS_SHARE
#undef PROFILE_KEYS_FORWARD
#undef PROFILE_KEYS_BOOT
#undef PROFILE_KEYS_QEMU
#undef PROFILE_KEYS_CLOUD_INIT
