// retention is header-only (src/core/retention.hpp); this unit keeps the header
// compiled on its own so a missing include shows up in the core build.
#include "core/retention.hpp"
