// mi-plain-echo: the load benchmark's physical limit. The classic
// do-nothing datagram server, with nothing a real daemon adds: one process
// per worker (fork N children sharing one socket), each looping on
// select() + recvfrom() + sendto() and nothing else. No sandbox, no
// privilege drop, no credentials (no SO_PASSCRED), no shared memory, no
// epoll, no statistics, no access rules. The socket is non-blocking, so
// the children that lose the race for a datagram (select wakes them all)
// get EAGAIN and go back to select, and a reply to a full receiver is
// dropped instead of stopping the child.
//
// Three system calls per request: what a user would write in an afternoon
// and compare mi-datagramd with. Takes mi-datagramd's --socket forms
// (a UNIX path, or udp:HOST:PORT) and --children; --foreground is accepted
// (it never detaches). SIGTERM or SIGINT stops the children and removes
// the UNIX socket.
//
// --wait receive --batch N is the experiment behind the daemon's serving
// loop (docs/PERFORMANCE.md, "One datagram per wait"): the same do-nothing
// server shaped as the daemon's loop, each child waiting in a blocking
// recvmmsg(2) of up to N datagrams (MSG_WAITFORONE) and answering them,
// nothing else.

#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Options {
  std::string socket;
  unsigned children = 1;
  bool wait_in_receive = false;  // --wait receive (default: --wait select)
  unsigned batch = 1;            // --batch N: datagrams per recvmmsg, 1..kMaxBatch
};

constexpr unsigned kMaxBatch = 16;

bool parse_count(const std::string& value, unsigned long most, unsigned& out) {
  char* end = nullptr;
  const unsigned long n = std::strtoul(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || n == 0 || n > most) return false;
  out = static_cast<unsigned>(n);
  return true;
}

bool parse_options(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--foreground" || flag == "-F") continue;
    if (i + 1 >= argc) return false;
    const std::string value = argv[++i];
    if (flag == "--socket" || flag == "-s") {
      options.socket = value;
    } else if (flag == "--children" || flag == "-c") {
      if (!parse_count(value, 1024, options.children)) return false;
    } else if (flag == "--wait") {
      if (value != "select" && value != "receive") return false;
      options.wait_in_receive = value == "receive";
    } else if (flag == "--batch") {
      if (!parse_count(value, kMaxBatch, options.batch)) return false;
    } else {
      return false;
    }
  }
  return !options.socket.empty();
}

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "mi-plain-echo: %s: %s\n", what, std::strerror(errno));
  std::exit(1);
}

// udp:HOST:PORT (HOST may be [v6]) through getaddrinfo, numeric only.
int bind_udp(const std::string& spec) {
  const std::size_t colon = spec.rfind(':');
  if (colon == std::string::npos || colon < 4) {
    errno = EINVAL;
    die("udp:HOST:PORT expected");
  }
  std::string host = spec.substr(4, colon - 4);
  if (host.size() > 1 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  addrinfo hints{};
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), spec.c_str() + colon + 1, &hints, &found) != 0) {
    errno = EINVAL;
    die(spec.c_str());
  }
  const int fd = socket(found->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket");
  if (bind(fd, found->ai_addr, found->ai_addrlen) != 0) die(spec.c_str());
  freeaddrinfo(found);
  return fd;
}

int bind_unix(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof address.sun_path) {
    errno = ENAMETOOLONG;
    die(path.c_str());
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket");
  if (bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    die(path.c_str());
  }
  return fd;
}

// The whole server: wait until readable, take one datagram, send it back.
[[noreturn]] void serve(int fd) {
  static char buffer[65536];
  for (;;) {
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(fd, &readable);
    if (select(fd + 1, &readable, nullptr, nullptr, nullptr) < 0) continue;  // EINTR
    sockaddr_storage peer{};
    socklen_t peer_length = sizeof peer;
    const ssize_t size =
        recvfrom(fd, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&peer), &peer_length);
    if (size < 0) continue;  // EAGAIN: another child took it
    (void)sendto(fd, buffer, static_cast<std::size_t>(size), 0,
                 reinterpret_cast<const sockaddr*>(&peer), peer_length);
  }
}

// The daemon's shape: wait in the receive itself (a blocking socket: the
// kernel wakes one waiter per datagram), take up to `batch` datagrams,
// answer them.
[[noreturn]] void serve_in_receive(int fd, unsigned batch) {
  static char buffers[kMaxBatch][65536];
  static sockaddr_storage peers[kMaxBatch];
  static iovec io[kMaxBatch];
  static mmsghdr messages[kMaxBatch];
  const int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) die("fcntl");
  for (;;) {
    for (unsigned i = 0; i < batch; ++i) {
      io[i] = {buffers[i], sizeof buffers[i]};
      messages[i].msg_hdr = msghdr{};
      messages[i].msg_hdr.msg_name = &peers[i];
      messages[i].msg_hdr.msg_namelen = sizeof peers[i];
      messages[i].msg_hdr.msg_iov = &io[i];
      messages[i].msg_hdr.msg_iovlen = 1;
    }
    const int n = recvmmsg(fd, messages, batch, MSG_WAITFORONE, nullptr);
    for (int i = 0; i < n; ++i) {
      (void)sendto(fd, buffers[i], messages[i].msg_len, MSG_DONTWAIT,
                   reinterpret_cast<const sockaddr*>(&peers[i]), messages[i].msg_hdr.msg_namelen);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse_options(argc, argv, options)) {
    std::fputs(
        "usage: mi-plain-echo --socket PATH|udp:HOST:PORT [--children N] [--foreground]\n"
        "                     [--wait select|receive] [--batch N (1..16, with --wait receive)]\n",
        stderr);
    return 2;
  }
  const bool udp = options.socket.rfind("udp:", 0) == 0;
  const int fd = udp ? bind_udp(options.socket) : bind_unix(options.socket);

  // The signals that stop us wait in sigwait, blocked until then.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGCHLD);
  sigprocmask(SIG_BLOCK, &stop, nullptr);
  const pid_t parent = getpid();
  std::vector<pid_t> children;
  for (unsigned i = 0; i < options.children; ++i) {
    const pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (getppid() != parent) _exit(0);
      sigprocmask(SIG_UNBLOCK, &stop, nullptr);
      if (options.wait_in_receive) serve_in_receive(fd, options.batch);
      serve(fd);
    }
    children.push_back(pid);
  }
  int signal = 0;
  sigwait(&stop, &signal);  // a stop, or a child that died
  for (const pid_t pid : children) kill(pid, SIGTERM);
  while (wait(nullptr) > 0) {
  }
  if (!udp) unlink(options.socket.c_str());
  return signal == SIGCHLD ? 1 : 0;
}
