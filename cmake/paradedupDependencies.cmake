# Dependencies of paradedup, shared by the build and by installed consumers (included from
# paradedupConfig.cmake), so both resolve them the same way. Each is skipped when a parent
# project already provides the target.

if(NOT TARGET xxHash::xxhash)
  # Debian's libxxhash-dev ships a pkg-config file but no CMake config: find the header.
  # paradedup includes xxhash.h with XXH_INLINE_ALL, so no library is linked.
  find_path(PARADEDUP_XXHASH_INCLUDE_DIR xxhash.h)
  if(NOT PARADEDUP_XXHASH_INCLUDE_DIR)
    # In an installed config this makes find_package(paradedup) fail cleanly (QUIET or not
    # REQUIRED works); in the build it stops the configure.
    set(paradedup_FOUND FALSE)
    set(paradedup_NOT_FOUND_MESSAGE "xxhash.h not found (Debian: apt-get install libxxhash-dev)")
    if(NOT PARADEDUP_FROM_CONFIG)  # building paradedup itself
      message(FATAL_ERROR "paradedup: ${paradedup_NOT_FOUND_MESSAGE}")
    endif()
    return()
  endif()
  add_library(xxHash::xxhash INTERFACE IMPORTED)
  set_target_properties(xxHash::xxhash PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${PARADEDUP_XXHASH_INCLUDE_DIR}")
endif()

if(NOT TARGET ICU::uc OR NOT TARGET ICU::i18n)
  include(CMakeFindDependencyMacro)
  if(PARADEDUP_FROM_CONFIG)  # consumers: fail find_package(paradedup) cleanly, not the configure
    find_dependency(ICU 60 COMPONENTS uc i18n)
  else()
    find_package(ICU 60 REQUIRED COMPONENTS uc i18n)
  endif()
endif()

# simdjson parses JSON Lines (src/jsonl.cpp); oneTBB runs the corpus pipeline
# (src/corpus_run.cpp). Both are private to the compiled library but, for a static build,
# consumers link them too. Debian ships CMake configs for both.
include(CMakeFindDependencyMacro)
foreach(_pd_dep simdjson TBB)
  if(_pd_dep STREQUAL "simdjson")
    set(_pd_target simdjson::simdjson)
  else()
    set(_pd_target TBB::tbb)
  endif()
  if(NOT TARGET ${_pd_target})
    if(PARADEDUP_FROM_CONFIG)
      find_dependency(${_pd_dep})
    else()
      find_package(${_pd_dep} REQUIRED)
    endif()
  endif()
endforeach()
