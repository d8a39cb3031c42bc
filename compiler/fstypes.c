/*
 * fstypes.c: the filesystem types a plan may name (fstypes.h).
 */
#include <libmount/libmount.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fstypes.h"
#include "util.h"

/* Types any Linux kernel of the last decade can have (module or built
 * in), whether or not this host loaded them. */
static const char *const builtin[] = {
	"tmpfs", "ramfs", "proc", "sysfs", "devpts", "devtmpfs", "mqueue", "cgroup",
	"cgroup2", "bind", "overlay", "overlayfs", "aufs", "squashfs", "erofs", "ext2",
	"ext3", "ext4", "xfs", "btrfs", "vfat", "msdos", "exfat", "ntfs", "ntfs3",
	"iso9660", "udf", "f2fs", "jfs", "reiserfs", "nilfs2", "hfs", "hfsplus",
	"nfs", "nfs4", "cifs", "smb3", "9p", "virtiofs", "fuse", "fuseblk", "fusectl",
	"ceph", "glusterfs", "zfs", "securityfs", "debugfs", "tracefs", "bpf",
	"configfs", "efivarfs", "pstore", "selinuxfs", "binfmt_misc", "hugetlbfs",
	"autofs", "rpc_pipefs", "nfsd", "sockfs", "pipefs", "nsfs", "none", "shm",
	"binder", "binderfs", "zonefs", "gfs2", "ocfs2", "orangefs", "afs", "coda",
	"cramfs", "romfs", "minix", "ubifs", "jffs2", "sysv", "qnx4", "qnx6",
	"ufs", "befs", "bfs", "efs", "vboxsf", "vmhgfs", "lustre", "beegfs", "gpfs",
	NULL
};

/* The types of builtin[] kept on a block device or an image file (a
 * source that is a path); not zfs (a dataset), ubifs or jffs2 (a volume
 * name), network or memory filesystems. */
static const char *const on_device[] = {
	"squashfs", "erofs", "ext2", "ext3", "ext4", "xfs", "btrfs", "vfat", "msdos",
	"exfat", "ntfs", "ntfs3", "iso9660", "udf", "f2fs", "jfs", "reiserfs",
	"nilfs2", "hfs", "hfsplus", "fuseblk", "zonefs", "gfs2", "ocfs2", "cramfs",
	"romfs", "minix", "sysv", "qnx4", "qnx6", "ufs", "befs", "bfs", "efs", NULL
};

/* The names of this host's /proc/filesystems, or NULL: read once, by
 * read_host_types (diff's two threads may both ask). */
static char **host_type_names;
static pthread_once_t host_types_once = PTHREAD_ONCE_INIT;

/* Read /proc/filesystems into host_type_names. */
static void read_host_types(void)
{
	char **types = NULL;
	FILE *f;
	char line[256];
	size_t n = 0, cap = 0;

	f = fopen("/proc/filesystems", "re");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		char *name = strchr(line, '\t');

		if (!name)
			continue;
		name[strcspn(name, "\n")] = 0;
		types = xgrow(types, n, &cap, sizeof(*types));
		types[n++] = xstrdup(name + 1);
	}
	fclose(f);
	types = xgrow(types, n, &cap, sizeof(*types));
	types[n] = NULL;
	host_type_names = types;
}

/* The names of this host's /proc/filesystems (read once), or NULL. */
static char **host_types(void)
{
	pthread_once(&host_types_once, read_host_types);
	return host_type_names;
}

/* Is type known?  See fstypes.h. */
bool fstype_known(const char *type)
{
	char **host = host_types();

	for (size_t i = 0; builtin[i]; i++)
		if (strcmp(type, builtin[i]) == 0)
			return true;
	for (size_t i = 0; host && host[i]; i++)
		if (strcmp(type, host[i]) == 0)
			return true;
	return strncmp(type, "fuse.", 5) == 0 || strncmp(type, "fuseblk.", 8) == 0 ||
	       mnt_fstype_is_pseudofs(type) || mnt_fstype_is_netfs(type);
}

/* The closest known type; see fstypes.h. */
const char *fstype_closest(const char *type)
{
	return closest_word(type, builtin);
}

/* Is type kept on a device?  See fstypes.h. */
bool fstype_on_device(const char *type)
{
	for (size_t i = 0; on_device[i]; i++)
		if (strcmp(type, on_device[i]) == 0)
			return true;
	return false;
}
