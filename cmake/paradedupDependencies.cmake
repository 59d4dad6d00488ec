# Dependencies of paradedup, shared by the build and by installed consumers (included from
# paradedupConfig.cmake), so both resolve them the same way. Each is skipped when a parent
# project already provides the target.

if(NOT TARGET xxHash::xxhash)
  # Debian's libxxhash-dev ships a pkg-config file but no CMake config: find the header.
  # paradedup includes xxhash.h with XXH_INLINE_ALL, so no library is linked.
  find_path(PARADEDUP_XXHASH_INCLUDE_DIR xxhash.h)
  if(NOT PARADEDUP_XXHASH_INCLUDE_DIR)
    message(FATAL_ERROR "paradedup: xxhash.h not found (Debian: apt-get install libxxhash-dev)")
  endif()
  add_library(xxHash::xxhash INTERFACE IMPORTED)
  set_target_properties(xxHash::xxhash PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${PARADEDUP_XXHASH_INCLUDE_DIR}")
endif()

if(NOT TARGET ICU::uc OR NOT TARGET ICU::i18n)
  find_package(ICU 60 REQUIRED COMPONENTS uc i18n)
endif()
