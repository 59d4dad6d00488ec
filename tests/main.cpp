// Debian's Catch2 2.13 package ships no prebuilt Catch2WithMain library, so the test binary
// gets its main from this one translation unit (compiled once, reused by every test file).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
