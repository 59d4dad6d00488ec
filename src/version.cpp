#include "paradedup/version.hpp"

namespace paradedup {

int version() noexcept { return PARADEDUP_VERSION; }

}  // namespace paradedup
