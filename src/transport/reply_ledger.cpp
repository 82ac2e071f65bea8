#include "transport/reply_ledger.hpp"

#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <span>

#include "transport/reply_charge.hpp"

namespace mid::transport {
namespace {

static_assert((ReplyLedger::kAddresses & (ReplyLedger::kAddresses - 1)) == 0,
              "the address table is indexed by a mask");

// FNV-1a with a per-process seed: addresses are chosen by peers, and a
// seed they cannot see keeps them from aiming at one chain.
std::size_t usable_length(socklen_t length) noexcept {
  return std::min<std::size_t>(length, sizeof(sockaddr_un));
}

std::uint64_t hash_address(const sockaddr_storage& address, socklen_t length,
                           std::uint64_t seed) noexcept {
  std::uint64_t hash = 14695981039346656037ULL ^ seed;
  const std::span<const unsigned char> bytes(reinterpret_cast<const unsigned char*>(&address),
                                             usable_length(length));
  for (const unsigned char byte : bytes) {
    hash ^= byte;
    hash *= 1099511628211ULL;
  }
  return hash;
}

std::uint64_t g_seed = 0;

}  // namespace

unsigned unix_receiver_queue_limit() noexcept {
  constexpr unsigned kFallback = 513;
  std::FILE* file = std::fopen("/proc/sys/net/unix/max_dgram_qlen", "re");
  if (file == nullptr) return kFallback;
  std::array<char, 32> text{};
  const bool read = std::fgets(text.data(), static_cast<int>(text.size()), file) != nullptr;
  (void)std::fclose(file);
  if (!read) return kFallback;
  char* end = nullptr;
  errno = 0;
  const unsigned long value = std::strtoul(text.data(), &end, 10);
  const bool number = errno == 0 && end != text.data() && (*end == '\n' || *end == '\0');
  return number && value < (1UL << 20) ? static_cast<unsigned>(value) + 1 : kFallback;
}

bool ReplyLedger::open(int listening_fd, std::size_t uid_budget,
                       unsigned receiver_queue_limit) noexcept {
  listening_fd_ = listening_fd;
  uid_budget_ = uid_budget;
  receiver_queue_limit_ = receiver_queue_limit > 0 ? receiver_queue_limit : 1;
  entries_.reset(new (std::nothrow) std::array<Entry, kAddresses>);
  if (!entries_) return false;
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  g_seed = (static_cast<std::uint64_t>(ts.tv_nsec) << 20) ^ static_cast<std::uint64_t>(getpid()) ^
           reinterpret_cast<std::uintptr_t>(entries_.get());
  probe_fd_.reset(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  return probe_fd_.valid();
}

bool ReplyLedger::admit(std::uint32_t uid, const sockaddr_storage& address, socklen_t length,
                        std::size_t reply_length) noexcept {
  const std::size_t cost = estimated_charge(reply_length);
  const auto fits = [&] {
    const UidCharge* slot = uid_slot(uid);
    return slot == nullptr ? uid_slot_available() : slot->charge + cost <= uid_budget_;
  };
  // Whether the address is new matters only when the table is full, so
  // the common reply hashes and looks up its address once, in charge().
  if (used_ >= kMaxLoad &&
      find(address, length, hash_address(address, length, g_seed)) == nullptr &&
      !make_room_for_address()) {
    return false;
  }
  if (fits()) return true;
  if (socket_nearly_empty()) {
    clear_charges();
    return fits();
  }
  probe_oldest(uid, true);
  return fits();
}

void ReplyLedger::charge(std::uint32_t uid, const sockaddr_storage& address, socklen_t length,
                         std::size_t reply_length) noexcept {
  const std::uint64_t hash = hash_address(address, length, g_seed);
  Entry* entry = find(address, length, hash);
  if (entry == nullptr) entry = insert(uid, address, length, hash);
  if (entry == nullptr) return;  // admit() found room: only a missed admit gets here
  UidCharge* slot = uid_slot(entry->uid, true);
  if (slot == nullptr) return;
  const std::size_t cost = estimated_charge(reply_length);
  entry->largest = std::max(entry->largest, cost);
  const std::size_t cap = receiver_queue_limit_ * entry->largest;
  const std::size_t added = std::min(cost, cap - std::min(cap, entry->charge));
  entry->charge += added;
  entry->last_charged = ++charges_;
  slot->charge += added;
}

void ReplyLedger::forget(const sockaddr_storage& address, socklen_t length) noexcept {
  Entry* entry = find(address, length, hash_address(address, length, g_seed));
  if (entry != nullptr) erase(*entry);
}

std::size_t ReplyLedger::charge_of(std::uint32_t uid) const noexcept {
  const UidCharge* slot = uid_slot(uid);
  return slot == nullptr ? 0 : slot->charge;
}

ReplyLedger::Entry* ReplyLedger::find(const sockaddr_storage& address, socklen_t length,
                                      std::uint64_t hash) noexcept {
  if (!entries_) return nullptr;
  const std::size_t mask = kAddresses - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    Entry& entry = (*entries_)[i];
    if (!entry.used) return nullptr;
    if (entry.hash == hash && entry.length == length &&
        std::memcmp(&entry.address, &address, usable_length(length)) == 0) {
      return &entry;
    }
  }
}

ReplyLedger::Entry* ReplyLedger::insert(std::uint32_t uid, const sockaddr_storage& address,
                                        socklen_t length, std::uint64_t hash) noexcept {
  if (!entries_ || used_ >= kMaxLoad) return nullptr;
  UidCharge* slot = uid_slot(uid, true);
  if (slot == nullptr) return nullptr;
  const std::size_t mask = kAddresses - 1;
  std::size_t i = hash & mask;
  while ((*entries_)[i].used) i = (i + 1) & mask;
  Entry& entry = (*entries_)[i];
  entry = Entry{};
  entry.used = true;
  entry.uid = uid;
  entry.length = static_cast<socklen_t>(usable_length(length));
  entry.hash = hash;
  std::memcpy(&entry.address, &address, entry.length);
  ++used_;
  ++slot->entries;
  return &entry;
}

// Backward-shift deletion keeps every chain unbroken without tombstones.
void ReplyLedger::erase(Entry& victim) noexcept {
  UidCharge* slot = uid_slot(victim.uid, false);
  if (slot != nullptr) {
    slot->charge -= std::min(slot->charge, victim.charge);
    if (slot->entries > 0) --slot->entries;
    if (slot->entries == 0) *slot = UidCharge{};
  }
  const std::size_t mask = kAddresses - 1;
  auto& table = *entries_;
  std::size_t hole = static_cast<std::size_t>(&victim - table.data());
  table[hole] = Entry{};
  --used_;
  for (std::size_t i = (hole + 1) & mask; table[i].used; i = (i + 1) & mask) {
    const std::size_t home = table[i].hash & mask;
    // Move the entry into the hole unless its home lies in (hole, i].
    const bool home_between = hole < i ? (home > hole && home <= i) : (home > hole || home <= i);
    if (home_between) continue;
    table[hole] = table[i];
    table[i] = Entry{};
    hole = i;
  }
}

ReplyLedger::UidCharge* ReplyLedger::uid_slot(std::uint32_t uid, bool create) noexcept {
  UidCharge* free_slot = nullptr;
  for (UidCharge& slot : uids_) {
    if (slot.used && slot.uid == uid) return &slot;
    if (!slot.used && free_slot == nullptr) free_slot = &slot;
  }
  if (!create || free_slot == nullptr) return nullptr;
  free_slot->used = true;
  free_slot->uid = uid;
  return free_slot;
}

const ReplyLedger::UidCharge* ReplyLedger::uid_slot(std::uint32_t uid) const noexcept {
  for (const UidCharge& slot : uids_) {
    if (slot.used && slot.uid == uid) return &slot;
  }
  return nullptr;
}

// Estimates, not the addresses, are cleared: a peer that stays silent
// while holding replies is found again by its next charge.
void ReplyLedger::clear_charges() noexcept {
  for (Entry& entry : *entries_) entry.charge = 0;
  for (UidCharge& slot : uids_) slot.charge = 0;
}

// The socket's real charge, all workers together: below one uid's budget,
// no uid can hold more than its budget however the estimates read.
bool ReplyLedger::socket_nearly_empty() const noexcept {
  int queued = 0;
  if (ioctl(listening_fd_, SIOCOUTQ, &queued) != 0) return false;
  return static_cast<std::size_t>(queued) < uid_budget_;
}

// connect(2) tells whether a UNIX address still has a socket without
// queueing anything on it: ECONNREFUSED/ENOENT mean it is gone (and its
// unread replies were freed with it); EACCES means we could not reach it
// to send either. Success or EPERM (connected elsewhere) mean it lives.
void ReplyLedger::probe_oldest(std::uint32_t uid, bool only_uid) noexcept {
  std::array<Entry*, kProbesPerCheck> oldest{};
  std::size_t found = 0;
  for (Entry& entry : *entries_) {
    if (!entry.used || (only_uid && (entry.uid != uid || entry.charge == 0))) continue;
    if (found < oldest.size()) {
      oldest[found++] = &entry;
      continue;
    }
    auto* newest = std::max_element(oldest.begin(), oldest.end(), [](Entry* a, Entry* b) {
      return a->last_charged < b->last_charged;
    });
    if (entry.last_charged < (*newest)->last_charged) *newest = &entry;
  }
  std::sort(oldest.begin(), oldest.begin() + static_cast<std::ptrdiff_t>(found),
            [](Entry* a, Entry* b) { return a->last_charged < b->last_charged; });
  // Erasing shifts entries, so probe by copies of the addresses.
  std::array<sockaddr_un, kProbesPerCheck> addresses{};
  std::array<socklen_t, kProbesPerCheck> lengths{};
  for (std::size_t i = 0; i < found; ++i) {
    addresses[i] = oldest[i]->address;
    lengths[i] = oldest[i]->length;
  }
  for (std::size_t i = 0; i < found; ++i) {
    const auto* target = reinterpret_cast<const sockaddr*>(&addresses[i]);
    if (::connect(probe_fd_.get(), target, lengths[i]) == 0 || errno == EPERM) continue;
    if (errno == ECONNREFUSED || errno == ENOENT || errno == EACCES) {
      sockaddr_storage key{};
      std::memcpy(&key, &addresses[i], lengths[i]);
      forget(key, lengths[i]);
    }
  }
}

// The table is full: clear the estimates if the socket holds little, then
// forget addresses whose replies were all read (no charge left), then
// probe the oldest of any uid for addresses that are gone.
bool ReplyLedger::make_room_for_address() noexcept {
  if (socket_nearly_empty()) clear_charges();
  std::size_t index = 0;
  while (index < kAddresses && used_ >= kMaxLoad) {
    Entry& entry = (*entries_)[index];
    if (entry.used && entry.charge == 0) {
      erase(entry);  // may shift a later entry into this slot: look again
      continue;
    }
    ++index;
  }
  if (used_ >= kMaxLoad) probe_oldest(0, false);
  return used_ < kMaxLoad;
}

bool ReplyLedger::uid_slot_available() const noexcept {
  return std::any_of(uids_.begin(), uids_.end(), [](const UidCharge& s) { return !s.used; });
}

}  // namespace mid::transport
