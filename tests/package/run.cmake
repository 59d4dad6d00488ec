# Packaging tests, one step per ctest test (registered at the end of tests/CMakeLists.txt):
#
#   cmake -DPACKAGE_TEST=<step> -D<VAR>=<value>... -P tests/package/run.cmake
#
# Steps:
#   install           cmake --install BINARY_DIR into PREFIX (emptied first); the fixture of
#                     find_package and pkg_config.
#   find_package      configure, build and run tests/package/find_package against PREFIX.
#   add_subdirectory  the same for tests/package/add_subdirectory (the source tree, no install).
#   pkg_config        compile find_package/main.cpp with the flags of PREFIX's paradedup.pc.
#
# Variables: SOURCE_DIR, BINARY_DIR (the build under test), PREFIX, WORK_DIR (scratch dir of
# this step), LIBDIR (CMAKE_INSTALL_LIBDIR), LIBRARY_TYPE (STATIC_LIBRARY | SHARED_LIBRARY),
# VERSION, CONFIG (may be empty), GENERATOR, MAKE_PROGRAM, CXX, CONSUMER_FLAGS (compile and link
# flags for consumers, e.g. -fsanitize=... when the library is instrumented), CTEST,
# PKG_CONFIG. Everything runs offline.
cmake_minimum_required(VERSION 3.16)

foreach(_var PACKAGE_TEST SOURCE_DIR BINARY_DIR PREFIX WORK_DIR)
  if(NOT DEFINED ${_var} OR "${${_var}}" STREQUAL "")
    message(FATAL_ERROR "run.cmake: -D${_var}=... is required")
  endif()
endforeach()
set(_package_dir "${SOURCE_DIR}/tests/package")
separate_arguments(_consumer_flags UNIX_COMMAND "${CONSUMER_FLAGS}")

# run(<command> <args>...): echo the command, run it, stop on a non-zero exit.
function(run)
  string(REPLACE ";" " " _line "${ARGN}")
  message("+ ${_line}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "command failed (${_rc}): ${_line}")
  endif()
endfunction()

# consumer(<source dir> <cmake args>...): configure, build and ctest one consumer project.
function(consumer source)
  file(REMOVE_RECURSE "${WORK_DIR}")
  set(_args -S "${source}" -B "${WORK_DIR}" -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX}")
  if(MAKE_PROGRAM)
    list(APPEND _args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
  endif()
  if(CONFIG)
    list(APPEND _args "-DCMAKE_BUILD_TYPE=${CONFIG}")
  endif()
  if(CONSUMER_FLAGS)
    list(APPEND _args "-DCMAKE_CXX_FLAGS=${CONSUMER_FLAGS}"
                      "-DCMAKE_EXE_LINKER_FLAGS=${CONSUMER_FLAGS}")
  endif()
  run("${CMAKE_COMMAND}" ${_args} ${ARGN})
  set(_config)
  if(CONFIG)
    set(_config --config "${CONFIG}")
  endif()
  run("${CMAKE_COMMAND}" --build "${WORK_DIR}" --parallel 2 ${_config})
  if(CONFIG)
    set(_config -C "${CONFIG}")
  endif()
  execute_process(COMMAND "${CTEST}" --output-on-failure ${_config}
                  WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "the consumer's tests failed (${_rc})")
  endif()
endfunction()

if(IS_ABSOLUTE "${LIBDIR}")
  set(_libdir "${LIBDIR}")
else()
  set(_libdir "${PREFIX}/${LIBDIR}")
endif()

if(PACKAGE_TEST STREQUAL "install")
  # Empty first, so that files of an earlier install (a renamed header, a shared library
  # after switching to static) cannot make the consumers pass.
  file(REMOVE_RECURSE "${PREFIX}")
  unset(ENV{DESTDIR})  # a DESTDIR exported for other installs would move this one
  set(_config)
  if(CONFIG)
    set(_config --config "${CONFIG}")
  endif()
  run("${CMAKE_COMMAND}" --install "${BINARY_DIR}" --prefix "${PREFIX}" ${_config})
  foreach(_file include/paradedup/paradedup.hpp include/paradedup/detail/hash.hpp
                ${LIBDIR}/cmake/paradedup/paradedupConfig.cmake
                ${LIBDIR}/cmake/paradedup/paradedupConfigVersion.cmake
                ${LIBDIR}/cmake/paradedup/paradedupDependencies.cmake
                ${LIBDIR}/pkgconfig/paradedup.pc)
    if(NOT EXISTS "${PREFIX}/${_file}")
      message(FATAL_ERROR "not installed: ${PREFIX}/${_file}")
    endif()
  endforeach()
  # paradedup.pc must name the prefix it was installed to, not CMAKE_INSTALL_PREFIX.
  file(STRINGS "${_libdir}/pkgconfig/paradedup.pc" _prefix_line REGEX "^prefix=")
  if(NOT _prefix_line STREQUAL "prefix=${PREFIX}")
    message(FATAL_ERROR "paradedup.pc: expected prefix=${PREFIX}, found ${_prefix_line}")
  endif()
  # The installed CLI (when examples are built) must run from the prefix as installed.
  if(EXISTS "${PREFIX}/bin/paradedup")
    run("${PREFIX}/bin/paradedup" --version)
    # With it, its completions (and its man page, when help2man made one).
    foreach(_file share/bash-completion/completions/paradedup share/zsh/vendor-completions/_paradedup)
      if(NOT EXISTS "${PREFIX}/${_file}")
        message(FATAL_ERROR "not installed: ${PREFIX}/${_file}")
      endif()
    endforeach()
    if(MAN_PAGE AND NOT EXISTS "${PREFIX}/share/man/man1/paradedup.1")
      message(FATAL_ERROR "not installed: ${PREFIX}/share/man/man1/paradedup.1")
    endif()
  endif()

elseif(PACKAGE_TEST STREQUAL "find_package")
  consumer("${_package_dir}/find_package" "-DCMAKE_PREFIX_PATH=${PREFIX}")
  # The package must come from PREFIX, not from a copy installed elsewhere on the system.
  file(STRINGS "${WORK_DIR}/CMakeCache.txt" _dir REGEX "^paradedup_DIR:")
  string(REGEX REPLACE "^[^=]*=" "" _dir "${_dir}")
  if(NOT _dir STREQUAL "${_libdir}/cmake/paradedup")
    message(FATAL_ERROR "found paradedup in ${_dir}, expected ${_libdir}/cmake/paradedup")
  endif()

elseif(PACKAGE_TEST STREQUAL "add_subdirectory")
  # The consumer finds the source tree through its default PARADEDUP_SOURCE_TREE (../../..).
  consumer("${_package_dir}/add_subdirectory")

elseif(PACKAGE_TEST STREQUAL "pkg_config")
  file(REMOVE_RECURSE "${WORK_DIR}")
  file(MAKE_DIRECTORY "${WORK_DIR}")
  set(ENV{PKG_CONFIG_PATH} "${_libdir}/pkgconfig")
  # A static libparadedup.a does not carry its ICU dependency: `pkg-config --static` adds the
  # Requires.private packages (icu-uc icu-i18n). A shared libparadedup.so links ICU itself,
  # and, outside the linker's default path, needs an rpath (or LD_LIBRARY_PATH) to run.
  set(_static)
  set(_rpath)
  if(LIBRARY_TYPE STREQUAL "STATIC_LIBRARY")
    set(_static --static)
  else()
    set(_rpath "-Wl,-rpath,${_libdir}")
  endif()

  execute_process(COMMAND "${PKG_CONFIG}" --modversion paradedup
                  OUTPUT_VARIABLE _version OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0 OR NOT _version STREQUAL "${VERSION}")
    message(FATAL_ERROR "pkg-config --modversion paradedup: '${_version}', expected ${VERSION}")
  endif()
  foreach(_what cflags libs)
    set(_opts --${_what})
    if(_what STREQUAL "libs")
      list(PREPEND _opts ${_static})
    endif()
    execute_process(COMMAND "${PKG_CONFIG}" ${_opts} paradedup OUTPUT_VARIABLE _flags
                    OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
      message(FATAL_ERROR "pkg-config ${_opts} paradedup failed")
    endif()
    string(REPLACE ";" " " _opts "${_opts}")
    message("pkg-config ${_opts} paradedup: ${_flags}")
    separate_arguments(_${_what} UNIX_COMMAND "${_flags}")
  endforeach()

  # Equivalent shell command:
  #   g++ -std=c++17 main.cpp -o consumer $(pkg-config --cflags paradedup) \
  #       $(pkg-config --static --libs paradedup)      # --static: static libparadedup.a
  run("${CXX}" -std=c++17 ${_consumer_flags} ${_cflags} "${_package_dir}/find_package/main.cpp"
      -o "${WORK_DIR}/consumer" ${_libs} ${_rpath})
  run("${WORK_DIR}/consumer")
  # The header-only part needs the compile flags alone: no library at all.
  run("${CXX}" -std=c++17 ${_consumer_flags} ${_cflags}
      "${_package_dir}/find_package/headers_only.cpp" -o "${WORK_DIR}/consumer_headers")
  run("${WORK_DIR}/consumer_headers")

else()
  message(FATAL_ERROR "run.cmake: unknown PACKAGE_TEST '${PACKAGE_TEST}'")
endif()
