#include "sandbox/privileges.hpp"

#include <cap-ng.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <cerrno>

#include "sandbox/die.hpp"

namespace mid::sandbox {
namespace {

const char* change_id_failure(int code) noexcept {
  static constexpr std::array<const char*, 11> kWhat = {
      "unknown failure",
      "libcap-ng was not initialised",
      "keeping capabilities across the uid change failed",
      "applying the intermediate capabilities failed",
      "changing the gid failed",
      "dropping the supplementary groups failed",
      "changing the uid failed",
      "dropping the ability to keep capabilities failed",
      "clearing the bounding set failed",
      "dropping CAP_SETPCAP or the ambient capabilities failed",
      "initialising the supplementary groups failed",
  };
  const int index = -code;
  return index > 0 && index < static_cast<int>(kWhat.size())
             ? kWhat[static_cast<std::size_t>(index)]
             : kWhat[0];
}

// Effective, permitted and inheritable sets straight from the kernel.
// True when any effective, permitted or inheritable capability is held
// (or capget fails: then assume the worst).
bool holds_any_capability() noexcept {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  std::array<__user_cap_data_struct, _LINUX_CAPABILITY_U32S_3> data{};
  if (syscall(SYS_capget, &header, data.data()) != 0) return true;
  for (const auto& word : data) {
    if ((word.effective | word.permitted | word.inheritable) != 0) return true;
  }
  return false;
}

void verify_capget_empty_or_die() noexcept {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  std::array<__user_cap_data_struct, _LINUX_CAPABILITY_U32S_3> data{};
  if (syscall(SYS_capget, &header, data.data()) != 0) die_errno("verify: capget");
  for (const auto& word : data) {
    if (word.effective != 0) die("verify: an effective capability is left");
    if (word.permitted != 0) die("verify: a permitted capability is left");
    if (word.inheritable != 0) die("verify: an inheritable capability is left");
  }
}

// The bounding and ambient sets, one capability at a time until the kernel
// says EINVAL (past its last capability).
void verify_bounding_and_ambient_empty_or_die() noexcept {
  for (unsigned long cap = 0; cap < 64; ++cap) {
    const int bounding = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
    if (bounding < 0 && errno == EINVAL) break;
    if (bounding != 0) die("verify: capability %lu is left in the bounding set", cap);
    const int ambient = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0);
    if (ambient != 0) die("verify: capability %lu is left in the ambient set", cap);
  }
}

void verify_ids_or_die(uid_t uid, gid_t gid) noexcept {
  uid_t ruid = 0, euid = 0, suid = 0;
  gid_t rgid = 0, egid = 0, sgid = 0;
  if (getresuid(&ruid, &euid, &suid) != 0) die_errno("verify: getresuid");
  if (getresgid(&rgid, &egid, &sgid) != 0) die_errno("verify: getresgid");
  if (ruid != uid || euid != uid || suid != uid || getuid() != uid || geteuid() != uid) {
    die("verify: uids are %u/%u/%u, expected %u", ruid, euid, suid, uid);
  }
  if (rgid != gid || egid != gid || sgid != gid || getgid() != gid || getegid() != gid) {
    die("verify: gids are %u/%u/%u, expected %u", rgid, egid, sgid, gid);
  }
  const int groups = getgroups(0, nullptr);
  if (groups != 0) die("verify: %d supplementary groups are left", groups);
  // Regaining root must be impossible now.
  if (setuid(0) == 0 || seteuid(0) == 0) die("verify: setuid(0) succeeded after the drop");
  if (setgid(0) == 0 || setegid(0) == 0) die("verify: setgid(0) succeeded after the drop");
}

void verify_capabilities_or_die() noexcept {
  if (capng_get_caps_process() != 0) die("verify: capng_get_caps_process failed");
  if (capng_have_capabilities(CAPNG_SELECT_BOTH) != CAPNG_NONE) {
    die("verify: libcap-ng still sees effective or bounding capabilities");
  }
  if (capng_have_permitted_capabilities() != CAPNG_NONE) {
    die("verify: libcap-ng still sees permitted capabilities");
  }
  verify_capget_empty_or_die();
  verify_bounding_and_ambient_empty_or_die();
}

void verify_no_new_privs_or_die() noexcept {
  const int nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
  if (nnp != 1) die("verify: PR_GET_NO_NEW_PRIVS is %d, expected 1", nnp);
}

}  // namespace

void drop_privileges_or_die(uid_t uid, gid_t gid) noexcept {
  if (geteuid() != 0) die("drop privileges: not running as root (euid %u)", geteuid());
  if (uid == 0) die("drop privileges: refusing to drop to uid 0");
  // The kernel reads -1 as "unchanged" and libcap-ng takes int ids.
  if (uid == static_cast<uid_t>(-1) || gid == static_cast<gid_t>(-1)) {
    die("drop privileges: uid or gid is -1");
  }
  // Start from nothing in every set, then change ids: libcap-ng keeps only
  // what we asked for (nothing), clears the bounding and ambient sets while
  // it still holds CAP_SETPCAP, and drops the supplementary groups.
  capng_clear(CAPNG_SELECT_ALL);
  const auto flags =
      static_cast<capng_flags_t>(CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING | CAPNG_CLEAR_AMBIENT);
  const int rc = capng_change_id(static_cast<int>(uid), static_cast<int>(gid), flags);
  if (rc != 0) {
    die("drop privileges: capng_change_id(%u, %u) failed (%d: %s)", uid, gid, rc,
        change_id_failure(rc));
  }
  set_no_new_privs_or_die();
  verify_ids_or_die(uid, gid);
  verify_capabilities_or_die();
  verify_no_new_privs_or_die();
}

void drop_capabilities_or_die() noexcept {
  if (capng_get_caps_process() != 0) die("drop capabilities: capng_get_caps_process failed");
  // Nothing held means nothing to apply: skipping capset(2) lets a unit
  // that starts us unprivileged forbid that call altogether. The check
  // below (capget) fails closed either way.
  const bool holds_any = holds_any_capability();
  const bool may_clear_bounding = capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP) != 0;
  capng_clear(may_clear_bounding ? CAPNG_SELECT_ALL : CAPNG_SELECT_CAPS);
  if (may_clear_bounding && capng_apply(CAPNG_SELECT_BOUNDS) != 0) {
    die("drop capabilities: clearing the bounding set failed");
  }
  if (holds_any && capng_apply(CAPNG_SELECT_CAPS) != 0) {
    die("drop capabilities: capng_apply failed");
  }
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) {
    die_errno("drop capabilities: clearing the ambient set");
  }
  verify_capget_empty_or_die();
}

void set_no_new_privs_or_die() noexcept {
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die_errno("prctl(PR_SET_NO_NEW_PRIVS)");
  verify_no_new_privs_or_die();
}

}  // namespace mid::sandbox
