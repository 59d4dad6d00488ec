#ifndef PARADEDUP_PARADEDUP_HPP
#define PARADEDUP_PARADEDUP_HPP

/// paradedup: finds and removes repeated paragraphs in text. This header includes the whole
/// public API; deduplicate() in deduplicate.hpp is the place to start.

#include "paradedup/decide.hpp"
#include "paradedup/deduplicate.hpp"
#include "paradedup/detect.hpp"
#include "paradedup/error.hpp"
#include "paradedup/fingerprint.hpp"
#include "paradedup/jsonl.hpp"
#include "paradedup/normalize.hpp"
#include "paradedup/options.hpp"
#include "paradedup/output.hpp"
#include "paradedup/segment.hpp"
#include "paradedup/stats.hpp"
#include "paradedup/tokenize.hpp"
#include "paradedup/utf8.hpp"
#include "paradedup/version.hpp"

#endif  // PARADEDUP_PARADEDUP_HPP
