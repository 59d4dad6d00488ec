#ifndef PARADEDUP_DETAIL_INLINE_HPP
#define PARADEDUP_DETAIL_INLINE_HPP

// PARADEDUP_ALWAYS_INLINE: for the few small functions that run once per token or byte inside
// loops that GCC judges too large to inline into (the shingle loop of append_shingles(): there
// a call per CJK character to decode it cost 3% of the article benchmark). As xxHash's
// XXH_FORCE_INLINE and simdjson's simdjson_inline; plain `inline` elsewhere.
#if defined(__GNUC__) || defined(__clang__)
#define PARADEDUP_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define PARADEDUP_ALWAYS_INLINE inline
#endif

#endif  // PARADEDUP_DETAIL_INLINE_HPP
