#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>

// A hostile local peer in a child process of its own uid: it opens
// `sockets` autobound UNIX sockets, sends `requests_each` copies of
// `request` from each to the daemon (or, with `flood_for`, sends from one
// socket for that long, as fast as the daemon takes them), and never reads
// a reply. Its sockets stay open, holding whatever replies reached them,
// until the object is destroyed.
namespace mid::adversarial {

struct NonReaderPlan {
  uid_t uid = 0;
  unsigned sockets = 1;
  unsigned requests_each = 1;
  std::string request = ":version:\n";
  std::chrono::milliseconds flood_for{0};
  // net.unix.max_dgram_qlen while the sockets are made (0: leave it): 512
  // is what systemd sets on a real host, so each socket holds 513 replies.
  unsigned queue_length = 0;
};

class NonReader {
 public:
  NonReader(const std::string& socket_path, const NonReaderPlan& plan);
  ~NonReader();  // closes the sockets (ends the child)
  NonReader(const NonReader&) = delete;
  NonReader& operator=(const NonReader&) = delete;

  // Blocks until every request has been sent (the daemon took them).
  // Returns how many were sent.
  unsigned wait_sent();

 private:
  pid_t pid_ = -1;
  int from_child_ = -1;
  int to_child_ = -1;
};

// Writes /proc/sys/net/unix/max_dgram_qlen and puts the old value back.
class QueueLength {
 public:
  explicit QueueLength(unsigned value);
  ~QueueLength();
  QueueLength(const QueueLength&) = delete;
  QueueLength& operator=(const QueueLength&) = delete;

 private:
  std::string saved_;
};

}  // namespace mid::adversarial
