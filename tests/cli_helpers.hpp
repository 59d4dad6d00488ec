#ifndef PARADEDUP_TESTS_CLI_HELPERS_HPP
#define PARADEDUP_TESTS_CLI_HELPERS_HPP

// Running the CLI from tests: run() with shell-quoted arguments, capturing stdout and stderr;
// slurp() and spit() for files; temp_dir() for a per-process scratch folder.

#include <sys/stat.h>  // mkdir
#include <sys/wait.h>  // WEXITSTATUS
#include <unistd.h>    // getpid

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace cli_test {

struct run_result {
  int status = -1;
  std::string out, err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline void spit(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary);
  f << data;
}

inline std::string temp_dir() {
  static const std::string dir = [] {
    std::string d = "/tmp/paradedup_cli_test_" + std::to_string(::getpid());
    ::mkdir(d.c_str(), 0755);
    return d;
  }();
  return dir;
}

// Runs the CLI with a shell-quoted argument string; captures stdout and stderr.
inline run_result run(const std::string& args, const std::string& stdin_file = "") {
  const std::string out = temp_dir() + "/stdout", err = temp_dir() + "/stderr";
  std::string cmd = std::string("'") + PARADEDUP_CLI + "' " + args + " >'" + out + "' 2>'" +
                    err + "'";
  if (!stdin_file.empty()) cmd += " <'" + stdin_file + "'";
  const int raw = std::system(cmd.c_str());
  run_result r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

}  // namespace cli_test

#endif  // PARADEDUP_TESTS_CLI_HELPERS_HPP
