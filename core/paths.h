/*
 * paths: where vmtui keeps things (the XDG base directories of DESIGN.md),
 * and how a PROFILE argument names a file.
 */
#ifndef VMTUI_PATHS_H
#define VMTUI_PATHS_H

#include <stdbool.h>
#include <sys/types.h>

struct strv;

/* A machine's files in its runtime folder, and its console log. */
#define PATHS_QMP	"qmp.sock"	/* QMP, for --stop, --list, snapshots */
#define PATHS_QMP_VIEW	"qmp-view.sock"	/* QMP, held by the view attached */
#define PATHS_QMP_WATCH	"qmp-watch.sock" /* QMP, held by auto-forward's watcher */
#define PATHS_QGA	"qga.sock"	/* the guest agent */
#define PATHS_AUTOFWD	"auto-forwards"	/* the ports forwarded on their own */
#define PATHS_CURRENT	"current.conf"	/* what the machine runs now */
#define PATHS_LIVE_LOCK	"live.lock"	/* locked while it is changed live */
#define PATHS_WATCH_LOCK "watch.lock"	/* locked by its watcher (auto-forward) */
#define PATHS_CONSOLE	"console.sock"	/* the serial console, background */
#define PATHS_PIDFILE	"qemu.pid"	/* locked by QEMU while it runs */
#define PATHS_LOGSTART	"console.start"	/* where this boot begins in the log */
#define PATHS_ATTACHED	"attached"	/* locked by the view attached */
#define PATHS_SNAPSHOT	"snapshot.lock"	/* locked while a snapshot job runs */
#define PATHS_LOG	"console.log"	/* in the state folder */
#define PATHS_VNC	"vnc.sock"	/* display = vnc (or auto, headless) */
#define PATHS_SPICE	"spice.sock"	/* display = spice */
#define PATHS_VNCPASS	"vnc.password"	/* VNC on an address not loopback */
#define PATHS_SPICEPASS	"spice.password" /* SPICE's, as VNC's */

#define PATHS_PROFILE	"profile"	/* the profile it was started from */

/*
 * A machine's identity and its folders, all from its profile (paths_machine):
 * a machine in the profiles folder is its NAME, one elsewhere NAME@HASH,
 * HASH being of the profile's real path; the runtime folder's name has the
 * hash always (two HOMEs of one user share a runtime folder), and the name
 * cut short (QEMU's sockets live there, their paths 107 bytes at most).
 */
#define PATHS_NAME_CUT	20	/* of the name in a runtime folder's name */
#define PATHS_HASH_LEN	12	/* hex digits of the profile's path */

struct paths_machine {
	char	*profile;	/* the profile: its real folder, its file name */
	char	*id;		/* NAME, or NAME@HASH outside the profiles folder */
	char	*data;		/* disk images, UEFI variables */
	char	*state;		/* console.log */
	char	*runtime;	/* sockets, pidfile, the script as it runs */
	char	*legacy;	/* where an earlier vmtui ran it (NAME alone), or NULL */
	char	*legacy_state;	/* and its console log's folder then */
	char	*legacy_data;	/* elsewhere: the data folder it had then */
};

const char *paths_home(void);
char	*paths_profiles_dir(void);
bool	 paths_is_profiles_dir(const char *);
char	*paths_settings_file(void);
char	*paths_absolute(const char *);
char	*paths_profile(const char *, char **);
int	 paths_profile_trusted(const char *, char **);
char	*paths_demo_guest(void);
char	*paths_state_dir(const char *);
char	*paths_downloads_dir(void);
int	 paths_data_dirs(const char *, const char *, struct strv *);
int	 paths_machine(const char *, const char *, const char *,
	    struct paths_machine *);
void	 paths_machine_free(struct paths_machine *);
char	*paths_runtime_base(void);
int	 paths_runtime_bases(struct strv *);
int	 paths_runtime_check(int, char **);
char	*paths_runtime_note(void);

/* What paths_check_dir() found. */
#define PATHS_DIR_OK		0
#define PATHS_DIR_MISSING	1	/* and not to be made */
#define PATHS_DIR_NOT_DIR	2	/* a symlink, or a file */
#define PATHS_DIR_FOREIGN	3	/* another user's, or open to others */
#define PATHS_DIR_UNMADE	4	/* could not be made: errno */
#define PATHS_DIR_UNSEEN	5	/* lstat failed: errno */
struct stat;
int	 paths_check_dir(const char *, bool, bool, struct stat *);
int	 paths_mkdirs(const char *, mode_t);
int	 paths_own_dir(const char *, bool, const char *, char **);
char	*paths_locks_dir(char **);
int	 paths_trust(const char *, char **);

#endif
