#ifndef PARADEDUP_VERSION_HPP
#define PARADEDUP_VERSION_HPP

/// The version of the headers. CMake parses these three lines into project(VERSION).
#define PARADEDUP_VERSION_MAJOR 0
#define PARADEDUP_VERSION_MINOR 1
#define PARADEDUP_VERSION_PATCH 0

/// major * 10000 + minor * 100 + patch, for preprocessor comparisons.
#define PARADEDUP_VERSION \
  (PARADEDUP_VERSION_MAJOR * 10000 + PARADEDUP_VERSION_MINOR * 100 + PARADEDUP_VERSION_PATCH)

namespace paradedup {

/// The version of the compiled library (src/version.cpp), as PARADEDUP_VERSION.
/// Compare with PARADEDUP_VERSION to detect headers and library from different releases.
/// Defined in src/version.cpp, needs paradedup::paradedup.
[[nodiscard]] int version() noexcept;

}  // namespace paradedup

#endif  // PARADEDUP_VERSION_HPP
