// corpus_index.hpp: building, merging, saving and loading corpus indexes.

#include "paradedup/corpus_index.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "paradedup/normalize.hpp"

namespace paradedup {
namespace {

constexpr char magic[8] = {'P', 'D', 'D', 'I', 'D', 'X', '\r', '\n'};  // CRLF: text-mode damage shows
constexpr std::uint32_t kind_code_exact = 0, kind_code_bloom = 1;

void put_u32(std::string& out, std::uint32_t v) {
  for (int b = 0; b < 4; ++b) out.push_back(static_cast<char>(v >> (8 * b)));
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int b = 0; b < 8; ++b) out.push_back(static_cast<char>(v >> (8 * b)));
}

// Reads little-endian fields with bounds checks; every failure is errc::corrupt_index.
class reader {
 public:
  reader(std::string_view bytes, std::string_view name) : bytes_(bytes), name_(name) {}
  std::uint32_t u32(const char* what) {
    need(4, what);
    std::uint32_t v = 0;
    for (int b = 0; b < 4; ++b) v |= std::uint32_t{static_cast<unsigned char>(bytes_[pos_++])} << (8 * b);
    return v;
  }
  std::uint64_t u64(const char* what) {
    need(8, what);
    std::uint64_t v = 0;
    for (int b = 0; b < 8; ++b) v |= std::uint64_t{static_cast<unsigned char>(bytes_[pos_++])} << (8 * b);
    return v;
  }
  std::string_view bytes(std::size_t n, const char* what) {
    need(n, what);
    const std::string_view s = bytes_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  // Checks that `count` records of `size` bytes can follow, before anything is allocated
  // for them: a bit flip in a count must not turn into a huge allocation.
  void expect(std::uint64_t count, std::uint64_t size, const char* what) {
    if (size != 0 && count > (bytes_.size() - pos_) / size) fail(std::string(what) + ": count " +
                                                                   std::to_string(count) +
                                                                   " exceeds the file");
  }
  std::size_t pos() const noexcept { return pos_; }
  [[noreturn]] void fail(const std::string& what) const {
    throw error(errc::corrupt_index, pos_,
                std::string(name_) + ": corrupt index at byte " + std::to_string(pos_) + ": " + what);
  }

 private:
  void need(std::size_t n, const char* what) const {
    if (bytes_.size() - pos_ < n) fail(std::string("truncated (reading ") + what + ")");
  }
  std::string_view bytes_;
  std::string_view name_;
  std::size_t pos_ = 0;
};

void put_fingerprints(std::string& out, const detail::fingerprint_map& m) {
  put_u64(out, m.size());
  m.for_each_sorted([&](const fingerprint& fp, detail::seen_at at) {
    put_u64(out, fp.high);
    put_u64(out, fp.low);
    put_u32(out, at.document);
    put_u32(out, at.paragraph);
  });
}

void get_fingerprints(reader& r, detail::fingerprint_map& m, std::uint32_t documents,
                      const char* what) {
  const std::uint64_t n = r.u64(what);
  r.expect(n, 24, what);
  m.reserve(static_cast<std::size_t>(n));
  fingerprint prev{};
  for (std::uint64_t k = 0; k < n; ++k) {
    fingerprint fp;
    fp.high = r.u64(what);
    fp.low = r.u64(what);
    detail::seen_at at;
    at.document = r.u32(what);
    at.paragraph = r.u32(what);
    if (k > 0 && !(prev < fp)) r.fail(std::string(what) + ": entries out of order");
    if (at.document >= documents) r.fail(std::string(what) + ": document ordinal out of range");
    prev = fp;
    m.insert(fp, at);
  }
}

// The low 32 bits of 64-bit hashes, sorted: how sketches store shingles, so that
// ours are looked up among theirs the same way.
void low32_sorted(const std::vector<std::uint64_t>& from, std::vector<std::uint32_t>& to) {
  to.clear();
  to.reserve(from.size());
  for (std::uint64_t h : from) to.push_back(static_cast<std::uint32_t>(h));
  std::sort(to.begin(), to.end());
}

}  // namespace

// ---------------------------------------------------------------------------------------
// repeat_counter

repeat_counter::repeat_counter(const options& o, std::uint64_t expected_items)
    : options_(o), bloom_once_(expected_items > 0) {
  validate(o);
  // Started small: expected_items is an upper bound (the CLI's is input bytes / 3), and the
  // filter grows with the shingles it actually sees.
  if (bloom_once_) {
    once_bloom_ = detail::scalable_bloom(std::min<std::uint64_t>(expected_items, 1u << 20), 1e-3);
  }
}

void repeat_counter::add_document(const std::vector<paragraph_features>& paras) {
  add_document(paras, index_shingles(paras));
}

void repeat_counter::add_document(const std::vector<paragraph_features>& paras,
                                  const shingle_index& idx) {
  if (documents_ == UINT32_MAX - 1) {
    throw error(errc::too_large, 0, "repeat counter: more than 2^32-2 documents");
  }
  const std::uint32_t doc = documents_++;
  // The document's distinct shingles (paragraphs without characters have none: their
  // canonical form holds no token).
  for (std::uint64_t s : idx.distinct) {
    const bool fresh = bloom_once_ ? once_bloom_.insert(s) : once_exact_.insert(s);
    if (!fresh) twice_.insert(s);
  }
  for (std::size_t i = 0; i < paras.size(); ++i) {
    if (paras[i].chars == 0) continue;
    const auto at = detail::seen_at{doc, static_cast<std::uint32_t>(i)};
    const detail::seen_at first = first_.find(paras[i].exact);
    if (first.document == UINT32_MAX) {
      first_.insert(paras[i].exact, at);
    } else if (first.document != doc) {
      second_.insert(paras[i].exact, at);  // keeps the earliest second document
    }
  }
}

corpus_source repeat_counter::other_copy(const fingerprint& fp, std::uint32_t document) const {
  corpus_source out;
  detail::seen_at at = first_.find(fp);
  if (at.document == UINT32_MAX) return out;
  if (at.document == document) {
    at = second_.find(fp);
    if (at.document == UINT32_MAX) return out;
  }
  out.found = out.known = true;
  out.document = at.document;
  out.paragraph = at.paragraph;
  return out;
}

std::size_t repeat_counter::memory_bytes() const noexcept {
  return (bloom_once_ ? once_bloom_.memory_bytes() : once_exact_.memory_bytes()) +
         twice_.memory_bytes() + first_.memory_bytes() + second_.memory_bytes();
}

// ---------------------------------------------------------------------------------------
// corpus_index

corpus_index::corpus_index(const options& o, const index_config& c) : options_(o), config_(c) {
  validate(o);
  if (c.kind == index_kind::bloom) {
    if (!(c.bloom_fp_rate > 0.0 && c.bloom_fp_rate < 0.5)) {
      throw error(errc::invalid_option, 0,
                  "bloom false-positive rate must be in (0, 0.5), got " +
                      detail::format_setting(c.bloom_fp_rate));
    }
    if (c.expected_items == 0) {
      throw error(errc::invalid_option, 0,
                  "a bloom index needs the expected number of items (shingles + paragraphs)");
    }
    bloom_ = detail::bloom_filter(c.expected_items, c.bloom_fp_rate);
  } else if (c.expected_items > 0) {
    shingles_.reserve(static_cast<std::size_t>(c.expected_items));
  }
}

std::string corpus_index::settings_line(const options& o) {
  std::string line;
  visit_settings(o, [&](const setting_info& info, const auto& field) {
    if (!info.shapes_hashes) return;
    line.append(info.name);
    line.push_back('=');
    line.append(detail::format_setting(field));
    line.push_back(';');
  });
  char seed[32];
  std::snprintf(seed, sizeof seed, "%016llx",
                static_cast<unsigned long long>(detail::fingerprint_seed));
  line.append("canonical=" + std::to_string(detail::canonical_form_version) +
              ";unicode=" + unicode_version() + ";seed=" + seed + ";hash=xxh3");
  return line;
}

corpus_source corpus_index::find_paragraph(const fingerprint& fp) const {
  corpus_source out;
  if (config_.kind == index_kind::bloom) {
    out.found = out.approximate = bloom_.contains(fp.low ^ paragraph_salt) &&
                                  bloom_.contains(fp.high ^ paragraph_salt);
    return out;
  }
  const detail::seen_at at = paragraphs_.find(fp);
  if (at.document == UINT32_MAX) return out;
  out.found = out.known = true;
  out.document = at.document;
  out.paragraph = at.paragraph;
  return out;
}

corpus_source corpus_index::find_near_source(const std::vector<std::uint64_t>& shingles,
                                             std::uint32_t before_document) const {
  corpus_source out;
  if (config_.kind != index_kind::exact) return out;
  // Few samples match (four per earlier paragraph): collect them, then count equal runs.
  // Every shingle is a random probe into the samples map, so probes are prefetched ahead.
  constexpr std::size_t ahead = 8;
  std::vector<detail::seen_at> hits;
  for (std::size_t k = 0; k < shingles.size() && k < ahead; ++k) {
    samples_.prefetch(fingerprint{0, shingles[k]});
  }
  for (std::size_t k = 0; k < shingles.size(); ++k) {
    if (k + ahead < shingles.size()) samples_.prefetch(fingerprint{0, shingles[k + ahead]});
    const detail::seen_at at = samples_.find(fingerprint{0, shingles[k]});
    if (at.document < before_document) hits.push_back(at);
  }
  std::sort(hits.begin(), hits.end(), [](const detail::seen_at& x, const detail::seen_at& y) {
    return x.document != y.document ? x.document < y.document : x.paragraph < y.paragraph;
  });
  // Each source is measured through its sketch, which holds low 32 bits, sorted: looked up
  // among ours, sorted the same way.
  std::vector<std::uint32_t> ours;
  if (!hits.empty()) low32_sorted(shingles, ours);
  double best = -1.0;
  for (std::size_t h = 0; h < hits.size();) {  // ascending: ties go to the earliest paragraph
    std::size_t e = h + 1;
    while (e < hits.size() && hits[e].document == hits[h].document &&
           hits[e].paragraph == hits[h].paragraph) {
      ++e;
    }
    const std::pair<std::uint32_t, std::uint32_t> where{hits[h].document, hits[h].paragraph};
    const std::size_t n = e - h;
    h = e;
    const sketch_record* sk = find_sketch(where.first, where.second);
    if (sk == nullptr) continue;  // no sketch: no source
    const std::uint32_t* entries = sketch_data_.at(sk->offset);
    std::size_t in = 0;
    for (std::uint32_t k = 0; k < sk->count; ++k) {
      in += std::binary_search(ours.begin(), ours.end(), entries[k]);
    }
    const bool sampled = sk->count < sk->shingles;
    // Complete: every shingle of the source is in the sketch. Partial: every one up to its
    // largest entry, so ours up to that bound are a uniform sample measured exactly.
    const std::size_t measured =
        sampled ? static_cast<std::size_t>(
                      std::upper_bound(ours.begin(), ours.end(), entries[sk->count - 1]) -
                      ours.begin())
                : ours.size();
    if (measured == 0 || (sampled && measured < min_sample)) continue;
    const double estimate = std::min(1.0, static_cast<double>(in) / static_cast<double>(measured));
    if (estimate > best) {
      best = estimate;
      out.found = out.known = true;
      out.document = where.first;
      out.paragraph = where.second;
      out.samples = static_cast<std::uint32_t>(n);
      out.estimate = estimate;
      out.measured = static_cast<std::uint32_t>(measured);
      out.sampled = sampled;
    }
  }
  return out;
}

void corpus_index::add_paragraph_sketch(const std::vector<paragraph_features>& paras,
                                        std::size_t i, std::uint32_t document) {
  // The sketch of paragraph i: with its neighbours (those with characters) when the three
  // hold at most sketch_size shingles in all, so that a copy merging two short lines is
  // measured exactly; else the paragraph alone, whole when small enough, else its
  // sketch_size smallest low 32 bits.
  static const std::vector<std::uint64_t> none;
  auto list = [&](std::size_t j) -> const std::vector<std::uint64_t>& {
    return j < paras.size() && paras[j].chars != 0 ? paras[j].shingles : none;
  };
  const std::vector<std::uint64_t>& own = paras[i].shingles;
  std::uint32_t sketch[sketch_size];
  std::uint32_t k = 0;
  std::uint64_t size = own.size();
  bool window = false;  // the sketch is the window's
  if (own.size() <= sketch_size) {
    // The window's union, by a 3-way merge that gives up past sketch_size.
    const std::vector<std::uint64_t>* parts[3] = {i > 0 ? &list(i - 1) : &none, &own,
                                                  &list(i + 1)};
    std::size_t pos[3] = {0, 0, 0};
    bool whole = true;
    for (;;) {
      std::uint64_t low = UINT64_MAX;
      bool any = false;
      for (int w = 0; w < 3; ++w) {
        if (pos[w] < parts[w]->size()) {
          low = std::min(low, (*parts[w])[pos[w]]);
          any = true;
        }
      }
      if (!any) break;
      if (k == sketch_size) {
        whole = false;
        break;
      }
      for (int w = 0; w < 3; ++w) pos[w] += pos[w] < parts[w]->size() && (*parts[w])[pos[w]] == low;
      sketch[k++] = static_cast<std::uint32_t>(low);
    }
    if (whole) {
      size = k;
      window = true;
    } else {  // the window is too large: the paragraph alone, whole
      k = 0;
      for (std::uint64_t h : own) sketch[k++] = static_cast<std::uint32_t>(h);
    }
  } else {
    std::vector<std::uint32_t>& low = scratch_;  // its capacity kept: no allocation per paragraph
    low.clear();
    for (std::uint64_t h : own) low.push_back(static_cast<std::uint32_t>(h));
    std::nth_element(low.begin(), low.begin() + sketch_size, low.end());
    k = static_cast<std::uint32_t>(sketch_size);
    std::copy(low.begin(), low.begin() + sketch_size, sketch);
  }
  std::sort(sketch, sketch + k);
  // What the no-loss rule needs of it (verify()): the window's content when the sketch is the
  // window's (a copy merging two lines is verified against both), else its own; tokens as
  // their low 32 bits in text order, then its guards as (position, low 32 bits) pairs.
  std::vector<std::uint32_t>& tokens = scratch_;  // the shingles above are in `sketch` now
  std::vector<std::uint32_t>& guards = scratch_guards_;
  tokens.clear();
  guards.clear();
  std::uint32_t tag = 0;
  auto add_content = [&](const paragraph_content& c) {
    const auto shift = static_cast<std::uint32_t>(tokens.size());
    if (shift == 0) tag = c.tag_tokens;
    for (std::uint64_t t : c.tokens) tokens.push_back(static_cast<std::uint32_t>(t));
    for (const guard& g : c.guards) {
      guards.push_back(g.at + shift);
      guards.push_back(static_cast<std::uint32_t>(g.id));
    }
  };
  if (window && i > 0 && !list(i - 1).empty()) add_content(paras[i - 1].content);
  add_content(paras[i].content);
  if (window && !list(i + 1).empty()) add_content(paras[i + 1].content);
  std::uint32_t token_count = static_cast<std::uint32_t>(tokens.size());
  std::uint32_t guard_count = static_cast<std::uint32_t>(guards.size() / 2);
  if (tokens.size() > max_content_tokens) {  // never a verified near source
    token_count = no_content;
    guard_count = 0;
    tokens.clear();
    guards.clear();
  }
  tokens.insert(tokens.end(), guards.begin(), guards.end());
  add_sketch(document, static_cast<std::uint32_t>(i),
             static_cast<std::uint32_t>(std::min<std::uint64_t>(size, UINT32_MAX)), sketch, k,
             tokens.data(), token_count, guard_count, tag);
}

verdict corpus_index::verify(const paragraph_content& copy, const corpus_source& source) const {
  const sketch_record* sk = source.known ? find_sketch(source.document, source.paragraph) : nullptr;
  if (sk == nullptr || sk->tokens == no_content) {
    verdict v;
    v.holds = false;  // nothing to verify against: not a repeat
    return v;
  }
  const std::uint32_t* data = sketch_data_.at(sk->offset) + sk->count;
  std::vector<basic_guard<std::uint32_t>> guards(sk->guards);
  for (std::uint32_t k = 0; k < sk->guards; ++k) {
    guards[k] = {data[sk->tokens + 2 * k], data[sk->tokens + 2 * k + 1]};
  }
  const detail::content_ref<std::uint32_t> ref{data, sk->tokens, guards.data(), guards.size(),
                                               sk->tag};
  return detail::check_content(copy, ref);
}

void corpus_index::add_sketch(std::uint32_t document, std::uint32_t paragraph,
                              std::uint32_t shingles, const std::uint32_t* entries,
                              std::uint32_t count, const std::uint32_t* content,
                              std::uint32_t tokens, std::uint32_t guards, std::uint32_t tag) {
  const std::size_t content_size = (tokens == no_content ? 0 : tokens) + 2 * std::size_t{guards};
  if (sketch_data_.next_offset(count + content_size) + count + content_size >= UINT32_MAX) {
    throw error(errc::too_large, 0, "corpus index: more than 2^32-1 sketch entries");
  }
  if (sketch_records_.size() >= UINT32_MAX) {
    throw error(errc::too_large, 0, "corpus index: more than 2^32-1 sketches");
  }
  while (sketch_from_.size() <= document) {
    sketch_from_.push_back(static_cast<std::uint32_t>(sketch_records_.size()));
  }
  const auto offset =
      static_cast<std::uint32_t>(sketch_data_.append(entries, count, content, content_size));
  sketch_records_.push_back({paragraph, offset, count, shingles, tokens, guards, tag});
}

const corpus_index::sketch_record* corpus_index::find_sketch(std::uint32_t document,
                                                             std::uint32_t paragraph) const
    noexcept {
  if (document >= sketch_from_.size()) return nullptr;
  const auto first = sketch_records_.begin() + sketch_from_[document];
  const auto last = document + 1 < sketch_from_.size()
                        ? sketch_records_.begin() + sketch_from_[document + 1]
                        : sketch_records_.end();
  const auto it = std::lower_bound(
      first, last, paragraph,
      [](const sketch_record& r, std::uint32_t p) { return r.paragraph < p; });
  return it != last && it->paragraph == paragraph ? &*it : nullptr;
}

std::uint32_t corpus_index::begin_document(std::string_view id) {
  if (ids_.size() >= UINT32_MAX - 1) {
    throw error(errc::too_large, 0, "corpus index: more than 2^32-2 documents");
  }
  ids_.emplace_back(id);
  id_bytes_ += id_heap_bytes(ids_.back());
  return static_cast<std::uint32_t>(ids_.size() - 1);
}

void corpus_index::add_paragraphs(const std::vector<paragraph_features>& paras,
                                  std::uint32_t document, std::vector<corpus_source>& out) {
  if (paras.size() >= UINT32_MAX) {
    throw error(errc::too_large, 0, "corpus index: a document of 2^32-1 paragraphs or more");
  }
  out.assign(paras.size(), corpus_source{});
  if (config_.kind == index_kind::bloom) {
    // Look everything up before adding anything: a paragraph that comes twice in this
    // document must not find itself.
    for (std::size_t i = 0; i < paras.size(); ++i) {
      if (paras[i].chars == 0) continue;
      out[i] = find_paragraph(paras[i].exact);
    }
    for (const paragraph_features& p : paras) {
      if (p.chars == 0) continue;
      bloom_.insert(p.exact.low ^ paragraph_salt);
      bloom_.insert(p.exact.high ^ paragraph_salt);
    }
    return;
  }
  // Each paragraph probes the maps at 5 random places: start loading them a few paragraphs
  // ahead.
  constexpr std::size_t ahead = 4;
  auto prefetch = [&](std::size_t i) {
    const paragraph_features& p = paras[i];
    paragraphs_.prefetch(p.exact);
    const std::size_t k = std::min(p.shingles.size(), samples_per_paragraph);
    for (std::size_t j = 0; j < k; ++j) samples_.prefetch(fingerprint{0, p.shingles[j]});
  };
  for (std::size_t i = 0; i < paras.size() && i < ahead; ++i) prefetch(i);
  for (std::size_t i = 0; i < paras.size(); ++i) {
    if (i + ahead < paras.size()) prefetch(i + ahead);
    const paragraph_features& p = paras[i];
    if (p.chars == 0) continue;  // symbols only: never compared, never stored
    const detail::seen_at at{document, static_cast<std::uint32_t>(i)};
    const detail::seen_at first = paragraphs_.find_or_insert(p.exact, at);
    if (first.document < document) {
      out[i].found = out[i].known = true;
      out[i].document = first.document;
      out[i].paragraph = first.paragraph;
    }
    // A paragraph seen before (in an earlier document or earlier in this one) has the same
    // shingles as its first copy, whose sketch and samples are stored already.
    if (first.document != UINT32_MAX) continue;
    if (!p.shingles.empty()) add_paragraph_sketch(paras, i, document);
    // Samples: the smallest few shingles (bottom-k), so that a near copy that changed the
    // part holding one of them still finds its source through another.
    const std::size_t k = std::min(p.shingles.size(), samples_per_paragraph);
    for (std::size_t j = 0; j < k; ++j) samples_.insert(fingerprint{0, p.shingles[j]}, at);
  }
}

void corpus_index::add_shingles(const shingle_index& shingles,
                                const std::vector<corpus_source>& seen,
                                const repeat_counter* only_repeated, std::vector<char>& present) {
  const std::vector<std::uint64_t>& distinct = shingles.distinct;
  const std::size_t n = distinct.size();
  present.assign(n, 0);
  auto refuse = [] {
    throw error(errc::invalid_option, 0,
                "corpus_index::add_shingles: the shingle index is not index_shingles() of the "
                "paragraphs given to add_paragraphs()");
  };
  if (shingles.holders_end.size() != n) refuse();
  // The shingles to look up: all but those held by a paragraph that an earlier document
  // had (exact kind; not in two-pass mode, where a resumed index may lack shingles its own
  // first pass saw once).
  std::vector<std::uint32_t> todo;
  todo.reserve(n);
  const bool skip_seen = config_.kind == index_kind::exact && only_repeated == nullptr;
  for (std::size_t k = 0, h = 0; k < n; ++k) {
    if (shingles.holders_end[k] > shingles.holders.size()) refuse();
    bool held = false;
    for (; h < shingles.holders_end[k]; ++h) {
      const std::uint32_t i = shingles.holders[h];
      if (i >= seen.size()) refuse();
      held |= seen[i].found;
    }
    if (held && skip_seen) {
      present[k] = 1;
    } else {
      todo.push_back(static_cast<std::uint32_t>(k));
    }
  }
  // Prefetch distances: the shard record 16 hashes ahead, then the slot it points to 8 ahead,
  // so that both cache misses of a lookup are in flight before it is needed.
  constexpr std::size_t ahead = 8;
  const std::size_t m = todo.size();
  if (config_.kind == index_kind::exact) {
    for (std::size_t t = 0; t < m && t < 2 * ahead; ++t) shingles_.prefetch_shard(distinct[todo[t]]);
    for (std::size_t t = 0; t < m && t < ahead; ++t) shingles_.prefetch(distinct[todo[t]]);
  }
  for (std::size_t t = 0; t < m; ++t) {
    const std::size_t k = todo[t];
    const std::uint64_t s = distinct[k];
    if (config_.kind == index_kind::bloom) {
      // Distinct shingles: "not fresh" can only mean an earlier document (or a false positive).
      if (only_repeated == nullptr || only_repeated->repeated(s)) {
        present[k] = !bloom_.insert(s ^ shingle_salt);
      } else {  // not stored; but an index loaded or merged in may hold it
        present[k] = bloom_.contains(s ^ shingle_salt);
      }
      continue;
    }
    if (t + 2 * ahead < m) shingles_.prefetch_shard(distinct[todo[t + 2 * ahead]]);
    if (t + ahead < m) shingles_.prefetch(distinct[todo[t + ahead]]);
    if (only_repeated != nullptr && !only_repeated->repeated(s)) {
      // It occurs in one document of this run only: not stored. It was seen before only if
      // the index held it before the run (loaded, or merged in): a resumed two-pass run
      // must find the near repeats of what the index holds.
      present[k] = shingles_.contains(s);
      continue;
    }
    present[k] = !shingles_.insert(s);
  }
}

std::uint32_t corpus_index::add_document(std::string_view id,
                                         const std::vector<paragraph_features>& paras,
                                         const repeat_counter* only_repeated) {
  const std::uint32_t doc = begin_document(id);
  std::vector<corpus_source> seen;
  add_paragraphs(paras, doc, seen);
  std::vector<char> present;
  add_shingles(index_shingles(paras), seen, only_repeated, present);
  return doc;
}

void corpus_index::merge(const corpus_index& later) {
  if (settings_line(options_) != settings_line(later.options_)) {
    throw error(errc::index_mismatch, 0,
                "cannot merge indexes made with other settings: '" + settings_line(options_) +
                    "' and '" + settings_line(later.options_) + "'");
  }
  if (config_.kind != later.config_.kind) {
    throw error(errc::index_mismatch, 0,
                std::string("cannot merge a ") + std::string(to_string(later.config_.kind)) +
                    " index into a " + std::string(to_string(config_.kind)) + " index");
  }
  if (config_.kind == index_kind::bloom &&
      (bloom_.bits() != later.bloom_.bits() || bloom_.probes() != later.bloom_.probes())) {
    throw error(errc::index_mismatch, 0,
                "cannot merge Bloom filters of other shapes (" + std::to_string(bloom_.bits()) +
                    " bits, " + std::to_string(bloom_.probes()) + " probes vs " +
                    std::to_string(later.bloom_.bits()) + " bits, " +
                    std::to_string(later.bloom_.probes()) + " probes): make both with the same "
                    "expected item count and rate");
  }
  if (ids_.size() + later.ids_.size() >= UINT32_MAX - 1) {
    throw error(errc::too_large, 0, "corpus index: more than 2^32-2 documents");
  }
  const auto offset = static_cast<std::uint32_t>(ids_.size());
  ids_.insert(ids_.end(), later.ids_.begin(), later.ids_.end());
  for (std::size_t k = offset; k < ids_.size(); ++k) id_bytes_ += id_heap_bytes(ids_[k]);
  if (config_.kind == index_kind::bloom) {
    bloom_.merge(later.bloom_);
    return;
  }
  // Insert-if-absent keeps this index's entries: its documents come first. A paragraph new
  // to this index brings its sketch (in one run, only a paragraph's first copy has one).
  std::vector<std::pair<std::uint32_t, std::uint32_t>> new_here;
  later.paragraphs_.for_each_sorted([&](const fingerprint& fp, detail::seen_at at) {
    if (paragraphs_.insert(fp, {at.document + offset, at.paragraph})) {
      new_here.emplace_back(at.document, at.paragraph);
    }
  });
  std::sort(new_here.begin(), new_here.end());
  for (const auto& [doc, para] : new_here) {
    const sketch_record* sk = later.find_sketch(doc, para);
    if (sk == nullptr) continue;
    const std::uint32_t* data = later.sketch_data_.at(sk->offset);
    add_sketch(doc + offset, para, sk->shingles, data, sk->count, data + sk->count, sk->tokens,
               sk->guards, sk->tag);
  }
  later.samples_.for_each_sorted([&](const fingerprint& fp, detail::seen_at at) {
    samples_.insert(fp, {at.document + offset, at.paragraph});
  });
  shingles_.reserve(shingles_.size() + later.shingles_.size());
  later.shingles_.for_each_sorted([&](std::uint64_t h) { shingles_.insert(h); });
}

std::uint64_t corpus_index::shingles() const noexcept {
  return config_.kind == index_kind::exact ? shingles_.size() : bloom_.estimated_items();
}

std::size_t corpus_index::shingle_bytes() const noexcept {
  return config_.kind == index_kind::exact ? shingles_.memory_bytes() : bloom_.memory_bytes();
}

std::size_t corpus_index::shingle_directory_bytes() const noexcept {
  return config_.kind == index_kind::exact ? shingles_.directory_bytes() : 0;
}

std::size_t corpus_index::memory_bytes() const noexcept {
  std::size_t b = shingle_bytes() + paragraphs_.memory_bytes() + samples_.memory_bytes() +
                  sketch_from_.capacity() * 4 + sketch_records_.capacity() * sizeof(sketch_record) +
                  sketch_data_.memory_bytes() +
                  ids_.capacity() * sizeof(std::string) + id_bytes_;
  return b;
}

std::string corpus_index::serialize() const {
  std::string out(magic, sizeof magic);
  put_u32(out, format_version);
  put_u32(out, config_.kind == index_kind::exact ? kind_code_exact : kind_code_bloom);
  const std::string settings = settings_line(options_);
  put_u32(out, static_cast<std::uint32_t>(settings.size()));
  out.append(settings);
  put_u64(out, ids_.size());
  put_u64(out, paragraphs_.size());
  put_u64(out, shingles());
  for (const std::string& id : ids_) {
    put_u32(out, static_cast<std::uint32_t>(id.size()));
    out.append(id);
  }
  if (config_.kind == index_kind::exact) {
    put_fingerprints(out, paragraphs_);
    put_fingerprints(out, samples_);
    // Sketches by (document, paragraph): count, then each one's document, paragraph,
    // shingle count, sketch size, sketch, then its content: token count, guard count, tag
    // tokens, the tokens and the guard pairs.
    put_u64(out, sketch_records_.size());
    for (std::size_t d = 0; d < sketch_from_.size(); ++d) {
      const std::size_t end =
          d + 1 < sketch_from_.size() ? sketch_from_[d + 1] : sketch_records_.size();
      for (std::size_t r = sketch_from_[d]; r < end; ++r) {
        const sketch_record& sk = sketch_records_[r];
        put_u32(out, static_cast<std::uint32_t>(d));
        put_u32(out, sk.paragraph);
        put_u32(out, sk.shingles);
        put_u32(out, sk.count);
        const std::uint32_t* data = sketch_data_.at(sk.offset);
        for (std::uint32_t k = 0; k < sk.count; ++k) put_u32(out, data[k]);
        put_u32(out, sk.tokens);  // no_content when too long to verify against
        put_u32(out, sk.guards);
        put_u32(out, sk.tag);
        const std::size_t content = (sk.tokens == no_content ? 0 : sk.tokens) + 2 * sk.guards;
        for (std::size_t k = 0; k < content; ++k) {
          put_u32(out, data[sk.count + k]);
        }
      }
    }
    put_u64(out, shingles_.size());
    shingles_.for_each_sorted([&](std::uint64_t h) { put_u64(out, h); });
  } else {
    std::uint64_t rate_bits;
    std::memcpy(&rate_bits, &config_.bloom_fp_rate, 8);
    put_u64(out, rate_bits);
    put_u64(out, config_.expected_items);
    put_u64(out, bloom_.bits());
    put_u32(out, bloom_.probes());
    for (std::uint64_t w : bloom_.words()) put_u64(out, w);
  }
  put_u64(out, detail::hash64_seed0(out));
  return out;
}

corpus_index corpus_index::deserialize(std::string_view bytes, const options& o,
                                       std::string_view name) {
  reader r(bytes, name);
  if (bytes.size() < sizeof magic || std::memcmp(bytes.data(), magic, sizeof magic) != 0) {
    r.fail("not a paradedup index (bad magic)");
  }
  r.bytes(sizeof magic, "magic");
  const std::uint32_t version = r.u32("format version");
  if (version != format_version) {
    throw error(errc::index_mismatch, 8,
                std::string(name) + ": index format version " + std::to_string(version) +
                    ", this build reads version " + std::to_string(format_version) +
                    (version > format_version ? " (made by a newer paradedup)" : ""));
  }
  if (bytes.size() < sizeof magic + 4 + 8) r.fail("truncated (no checksum)");
  const std::string_view body = bytes.substr(0, bytes.size() - 8);
  reader tail(bytes.substr(bytes.size() - 8), name);
  if (tail.u64("checksum") != detail::hash64_seed0(body)) {
    throw error(errc::corrupt_index, bytes.size() - 8,
                std::string(name) + ": corrupt index: checksum mismatch (the file was damaged or "
                                    "truncated)");
  }
  reader b(body, name);
  b.bytes(sizeof magic + 4, "header");
  const std::uint32_t kind_code = b.u32("kind");
  if (kind_code != kind_code_exact && kind_code != kind_code_bloom) b.fail("unknown index kind");
  const std::uint32_t settings_size = b.u32("settings length");
  const std::string_view settings = b.bytes(settings_size, "settings");
  const std::string expected = settings_line(o);
  if (settings != expected) {
    throw error(errc::index_mismatch, 0,
                std::string(name) + ": index made with other settings: it has '" +
                    std::string(settings) + "', this run has '" + expected +
                    "'; use the same settings, or a new index");
  }
  index_config c;
  c.kind = kind_code == kind_code_exact ? index_kind::exact : index_kind::bloom;
  const std::uint64_t documents = b.u64("document count");
  const std::uint64_t paragraph_count = b.u64("paragraph count");
  const std::uint64_t shingle_count = b.u64("shingle count");
  if (documents >= UINT32_MAX - 1) b.fail("document count out of range");
  b.expect(documents, 4, "document ids");

  corpus_index out(o, index_config{});
  out.config_.kind = c.kind;
  out.ids_.reserve(static_cast<std::size_t>(documents));
  for (std::uint64_t k = 0; k < documents; ++k) {
    const std::uint32_t len = b.u32("document id length");
    out.ids_.emplace_back(b.bytes(len, "document id"));
    out.id_bytes_ += id_heap_bytes(out.ids_.back());
  }
  const auto docs = static_cast<std::uint32_t>(documents);
  if (c.kind == index_kind::exact) {
    get_fingerprints(b, out.paragraphs_, docs, "paragraphs");
    if (out.paragraphs_.size() != paragraph_count) b.fail("paragraph count disagrees with header");
    get_fingerprints(b, out.samples_, docs, "samples");
    const std::uint64_t sketches = b.u64("sketch count");
    b.expect(sketches, 24, "sketches");
    out.sketch_records_.reserve(static_cast<std::size_t>(sketches));
    std::pair<std::uint32_t, std::uint32_t> prev_at{0, 0};
    for (std::uint64_t k = 0; k < sketches; ++k) {
      const std::uint32_t doc = b.u32("sketch document");
      const std::uint32_t para = b.u32("sketch paragraph");
      const std::uint32_t size = b.u32("sketch shingle count");
      const std::uint32_t count = b.u32("sketch size");
      if (doc >= docs) b.fail("sketches: document ordinal out of range");
      if (k > 0 && !(prev_at < std::make_pair(doc, para))) b.fail("sketches: out of order");
      if (count == 0 || count > sketch_size || count > size) b.fail("sketches: bad size");
      prev_at = {doc, para};
      std::uint32_t entries[sketch_size];
      for (std::uint32_t j = 0; j < count; ++j) {
        entries[j] = b.u32("sketch entry");
        if (j > 0 && entries[j] < entries[j - 1]) b.fail("sketches: entries out of order");
      }
      const std::uint32_t tokens = b.u32("sketch token count");
      const std::uint32_t guards = b.u32("sketch guard count");
      const std::uint32_t tag = b.u32("sketch tag tokens");
      const bool none = tokens == no_content;
      if ((!none && tokens > max_content_tokens) || (none && guards != 0) ||
          guards > (none ? 0 : tokens) || (!none && tag > tokens)) {
        b.fail("sketches: bad content size");
      }
      const std::uint64_t content = (none ? 0 : std::uint64_t{tokens}) + 2 * std::uint64_t{guards};
      b.expect(content, 4, "sketch content");
      std::vector<std::uint32_t>& data = out.scratch_;
      data.resize(static_cast<std::size_t>(content));
      for (std::size_t j = 0; j < data.size(); ++j) data[j] = b.u32("sketch content");
      for (std::uint32_t j = 0; j < guards; ++j) {
        if (data[tokens + 2 * j] >= tokens || (j > 0 && data[tokens + 2 * j] < data[tokens + 2 * j - 2])) {
          b.fail("sketches: guard out of place");
        }
      }
      out.add_sketch(doc, para, size, entries, count, data.data(), tokens, guards, tag);
    }
    const std::uint64_t n = b.u64("shingle count");
    if (n != shingle_count) b.fail("shingle count disagrees with header");
    b.expect(n, 8, "shingles");
    out.shingles_.reserve(static_cast<std::size_t>(n));
    std::uint64_t prev = 0;
    for (std::uint64_t k = 0; k < n; ++k) {
      const std::uint64_t h = b.u64("shingle");
      if (k > 0 && h <= prev) b.fail("shingles out of order");
      prev = h;
      out.shingles_.insert(h);
    }
  } else {
    const std::uint64_t rate_bits = b.u64("bloom rate");
    std::memcpy(&out.config_.bloom_fp_rate, &rate_bits, 8);
    out.config_.expected_items = b.u64("bloom expected items");
    const std::uint64_t bits = b.u64("bloom bits");
    const std::uint32_t k = b.u32("bloom probes");
    if (bits == 0 || bits % 64 != 0 || k == 0 || k > 64) b.fail("bad Bloom filter shape");
    b.expect(bits / 64, 8, "bloom words");
    std::vector<std::uint64_t> words(static_cast<std::size_t>(bits / 64));
    for (std::uint64_t& w : words) w = b.u64("bloom word");
    out.bloom_ = detail::bloom_filter(bits, k, std::move(words));
    if (paragraph_count != 0) b.fail("paragraph count must be 0 in a Bloom index");
    if (shingle_count != out.bloom_.estimated_items()) {
      b.fail("item count disagrees with the Bloom filter's bits");
    }
  }
  if (b.pos() != body.size()) b.fail("trailing bytes after the last section");
  return out;
}

void corpus_index::save(const std::string& path) const {
  const std::string image = serialize();
  const std::size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  std::string tmp = dir + "/.paradedup-index-XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) {
    throw error(errc::io_error, 0, path + ": cannot create a temporary file in " + dir + ": " +
                                       std::strerror(errno));
  }
  auto fail = [&](const char* what) {
    const int e = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    throw error(errc::io_error, 0, path + ": " + what + ": " + std::strerror(e));
  };
  std::size_t done = 0;
  while (done < image.size()) {
    const ssize_t n = ::write(fd, image.data() + done, image.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot write");
    }
    done += static_cast<std::size_t>(n);
  }
  ::fchmod(fd, 0644);
  if (::fsync(fd) != 0) fail("cannot flush");
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    throw error(errc::io_error, 0, path + ": cannot close: " + std::strerror(errno));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    throw error(errc::io_error, 0, path + ": cannot rename into place: " + std::strerror(e));
  }
}

corpus_index corpus_index::load(const std::string& path, const options& o) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    throw error(errc::io_error, 0, path + ": is a directory, not an index file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw error(errc::io_error, 0, path + ": cannot open: " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw error(errc::io_error, 0, path + ": cannot read");
  const std::string bytes = ss.str();
  return deserialize(bytes, o, path);
}

}  // namespace paradedup
