#ifndef PARADEDUP_CLI_IO_HPP
#define PARADEDUP_CLI_IO_HPP

// The CLI's file handling, shared by the single-document and the corpus mode: reading whole
// inputs, writing outputs atomically (temporary file, fsync, rename), and removing the
// temporary files when a signal ends the run.

#include <fcntl.h>     // open
#include <sys/stat.h>  // fstat, S_ISDIR
#include <unistd.h>    // read, write, fsync, close

#include <algorithm>  // std::min
#include <cerrno>
#include <cstring>  // std::strerror, std::memcpy
#include <string>
#include <string_view>

namespace paradedup_cli {

enum class read_status { ok, failed, too_large };

// Reads a whole file (or stdin for "-") into out. On failure returns failed and sets `why`.
// When the input is longer than `limit`, stops after limit + 1 bytes and returns too_large
// with the descriptor left open in `fd`, so that the caller can pass the rest through.
inline read_status read_input(const std::string& name, std::string& out, std::string& why,
                       std::size_t limit, int& fd) {
  out.clear();
  const bool is_stdin = name == "-";
  fd = is_stdin ? 0 : ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    why = std::strerror(errno);
    return read_status::failed;
  }
  auto fail = [&](const char* what) {
    why = what;
    if (!is_stdin) ::close(fd);
    return read_status::failed;
  };
  struct stat st {};
  if (::fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) return fail("is a directory");
    if (S_ISREG(st.st_mode) && st.st_size > 0) {
      out.reserve(std::min<std::size_t>(static_cast<std::size_t>(st.st_size), limit + 1));
    }
  }
  char buf[1 << 16];
  while (out.size() <= limit) {
    const ssize_t got = ::read(fd, buf, std::min(sizeof buf, limit + 1 - out.size()));
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      return fail(std::strerror(errno));
    }
    out.append(buf, static_cast<std::size_t>(got));
  }
  if (out.size() > limit) return read_status::too_large;
  if (!is_stdin) ::close(fd);
  return read_status::ok;
}

inline bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t put = ::write(fd, data.data(), data.size());
    if (put < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(put));
  }
  return true;
}

// Temporary files to remove when a signal ends the run (SIGINT, SIGTERM, SIGHUP): the
// handler may only call async-signal-safe functions, so the names live in fixed buffers.
// (SIGKILL cannot be caught: it leaves a NAME.paradedup-XXXXXX file, and NAME intact.)
inline char g_temp_files[2][4096];

extern "C" inline void remove_temp_files_and_exit(int sig) {
  for (auto& name : g_temp_files) {
    if (name[0] != '\0') ::unlink(name);
  }
  ::_exit(128 + sig);
}

inline void register_temp_file(const std::string& name, bool add) {
  for (auto& slot : g_temp_files) {
    if (add && slot[0] == '\0' && name.size() < sizeof slot) {
      std::memcpy(slot, name.c_str(), name.size() + 1);
      return;
    }
    if (!add && name == slot) {
      slot[0] = '\0';
      return;
    }
  }
}

// An output written as it goes and made visible at the end: stdout (fd 1) or stderr (fd 2)
// as they are, or a file written to a temporary file in the same folder, flushed to disk and
// renamed over the target by commit(). Until commit() the previous file stays intact; a run
// that fails (or is killed) leaves it untouched.
class output_file {
 public:
  // path: a file name, or "" for stdout, or "-" for stderr.
  bool open(const std::string& path, std::string& why) {
    path_ = path;
    if (path.empty() || path == "-") {
      fd_ = path.empty() ? 1 : 2;
      return true;
    }
    tmp_ = path + ".paradedup-XXXXXX";
    fd_ = ::mkstemp(tmp_.data());
    if (fd_ < 0) {
      why = std::string("cannot create a temporary file next to it: ") + std::strerror(errno);
      tmp_.clear();
      return false;
    }
    register_temp_file(tmp_, true);
    return true;
  }
  bool write(std::string_view data, std::string& why) {
    if (write_all(fd_, data)) return true;
    why = std::strerror(errno);
    return false;
  }
  bool commit(std::string& why) {
    if (tmp_.empty()) return true;
    // The new file gets the mode of the one it replaces, or 0666 less the umask (mkstemp
    // makes 0600).
    struct stat st {};
    if (::stat(path_.c_str(), &st) == 0) {
      ::fchmod(fd_, st.st_mode & 07777);
    } else {
      const mode_t mask = ::umask(0);
      ::umask(mask);
      ::fchmod(fd_, 0666 & ~mask);
    }
    bool ok = ::fsync(fd_) == 0;
    if (!ok) why = std::strerror(errno);
    if (::close(fd_) != 0 && ok) {
      ok = false;
      why = std::strerror(errno);
    }
    fd_ = -1;
    if (ok && ::rename(tmp_.c_str(), path_.c_str()) != 0) {
      ok = false;
      why = std::strerror(errno);
    }
    if (!ok) ::unlink(tmp_.c_str());
    register_temp_file(tmp_, false);
    tmp_.clear();
    return ok;
  }
  ~output_file() {  // not committed: drop the temporary file
    if (tmp_.empty()) return;
    if (fd_ >= 0) ::close(fd_);
    ::unlink(tmp_.c_str());
    register_temp_file(tmp_, false);
  }

 private:
  std::string path_, tmp_;
  int fd_ = -1;
};

inline std::string display_name(const std::string& name) { return name == "-" ? "<stdin>" : name; }

}  // namespace paradedup_cli

#endif  // PARADEDUP_CLI_IO_HPP
