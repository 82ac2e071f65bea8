#pragma once

#include <sys/types.h>

// Giving up privileges for good. Call after the socket is bound and its
// owner and mode are set, before the seccomp filter is loaded, and before
// forking the children (they inherit everything).
namespace mid::sandbox {

// Precondition: the process runs as root (euid 0) and is single-threaded;
// `uid` is not 0 (staying root is the caller's explicit decision).
//
// Becomes uid/gid for good (real, effective and saved ids, no
// supplementary groups), with no capability left in any set (effective,
// permitted, inheritable, bounding, ambient) and no_new_privs set. Then
// verifies all of it independently of libcap-ng (getresuid/getresgid,
// getgroups, capget, PR_CAPBSET_READ, PR_CAP_AMBIENT_IS_SET,
// PR_GET_NO_NEW_PRIVS, and that setuid(0)/setgid(0) now fail). Any
// failure or mismatch ends the process with a message naming it.
void drop_privileges_or_die(uid_t uid, gid_t gid) noexcept;

// For a process not started as root: drops whatever capabilities it was
// given (e.g. a service manager's ambient capabilities) from the
// effective, permitted, inheritable and ambient sets, and from the
// bounding set if it may (CAP_SETPCAP); verifies the first four are empty.
void drop_capabilities_or_die() noexcept;

// Sets PR_SET_NO_NEW_PRIVS (execve can never grant privileges again) and
// verifies it with PR_GET_NO_NEW_PRIVS. Idempotent.
void set_no_new_privs_or_die() noexcept;

}  // namespace mid::sandbox
