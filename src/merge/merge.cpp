#include "merge/merge.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "core/hash.h"
#include "core/text.h"

namespace annals::merge {
namespace {

bool mention_order(const EventMention& a, const EventMention& b) {
  if (a.source->file != b.source->file) return a.source->file < b.source->file;
  if (a.match.begin != b.match.begin) return a.match.begin < b.match.begin;
  return a.rule_id < b.rule_id;
}


// Two single days next to each other: sources that count a weekday from
// different time zones or publication days ("on Monday" / "on Tuesday").
bool adjacent_days(const DateInterval& a, const DateInterval& b) {
  if (a.first != a.last || b.first != b.last) return false;
  auto d = (a.first - b.first).count();
  return d == 1 || d == -1;
}

// The member whose date dates the entry: the shortest interval (the most
// specific); of two days next to each other, the one more sources give, then
// the earlier. `intervals` are the cluster's distinct dates, `files` the
// sources of each.
std::size_t finest_member(const std::vector<std::size_t>& members, const std::vector<DateInterval>& intervals,
                          const std::vector<std::set<std::string>>& files, const MentionQueue& mentions) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < intervals.size(); ++i) {
    const DateInterval &a = intervals[i], &b = intervals[best];
    auto la = a.last - a.first, lb = b.last - b.first;
    if (la != lb ? la < lb : files[i].size() != files[best].size() ? files[i].size() > files[best].size() : a.first < b.first)
      best = i;
  }
  for (std::size_t m : members)
    if (mentions[m].date->interval->value == intervals[best].value) return m;
  return members.front();
}

// The names an evidence sentence holds: its capitalized words after the
// first (which any sentence capitalizes), outside the attached date, as
// content terms. What two sources share when they tell one event with
// different actors or words ("a judge ruled" / "Judge Amit Mehta handed
// Google a defeat": both name Google). Script-neutral: a word counts when its
// first byte is an ASCII capital.
std::set<std::string> evidence_names(const EventMention& m) {
  std::set<std::string> out;
  const std::string& s = m.evidence;
  bool first = true;
  for (std::size_t i = 0; i < s.size();) {
    auto word_byte = [&](std::size_t k) {
      unsigned char c = static_cast<unsigned char>(s[k]);
      return std::isalnum(c) || c >= 0x80 || c == '-' || c == '\'';
    };
    if (!word_byte(i)) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && word_byte(j)) ++j;
    bool in_date = m.evidence_date && i >= m.evidence_date->begin && i < m.evidence_date->end;
    if (!first && !in_date && s[i] >= 'A' && s[i] <= 'Z')
      for (auto& t : content_terms(std::string_view(s).substr(i, j - i), {})) out.insert(t);
    first = false;
    i = j;
  }
  return out;
}

// An entry that names nobody: no mention has an actor, and no word of its
// identities is a name in its evidence ("Transaction announced", "Judge
// rules"). `evidence_names_of[k]` holds evidence_names(e.mentions[k]).
bool anonymous_entry(const TimelineEntry& e, const std::vector<std::set<std::string>>& evidence_names_of) {
  for (std::size_t k = 0; k < e.mentions.size(); ++k) {
    const EventMention& m = e.mentions[k];
    if (!m.actors.empty()) return false;
    for (auto& t : m.terms)
      if (evidence_names_of[k].count(t)) return false;
  }
  return true;
}

// A word or a source file of the join pass, as its number in the pass's
// Interner: a group holds these, where it held a copy of each string (a set
// node of 80 bytes and more per word, about 1.5 KB a group, a million
// groups in a big merge).
using Word = std::uint32_t;

// Numbers each distinct string of the join pass once.
class Interner {
 public:
  Word operator()(const std::string& s) { return ids_.try_emplace(s, Word(ids_.size())).first->second; }

 private:
  std::unordered_map<std::string, Word> ids_;
};

// Adds the sorted, distinct `more` to the sorted, distinct `into`.
template <typename T>
void insert_sorted(std::vector<T>& into, const std::vector<T>& more) {
  if (more.empty()) return;
  std::vector<T> both;
  both.reserve(into.size() + more.size());
  std::set_union(into.begin(), into.end(), more.begin(), more.end(), std::back_inserter(both));
  into = std::move(both);
}

// A set of words: sorted, distinct, in a vector (4 bytes a word). Sorted by
// number, which no result depends on: the pass only asks whether a word is
// in it, how many two sets share, and for their union.
class Words {
 public:
  Words() = default;
  template <typename Strings>
  Words(const Strings& strings, Interner& intern) {
    words_.reserve(strings.size());
    for (auto& s : strings) words_.push_back(intern(s));
    std::sort(words_.begin(), words_.end());
    words_.erase(std::unique(words_.begin(), words_.end()), words_.end());
  }
  std::size_t count(Word w) const { return std::binary_search(words_.begin(), words_.end(), w) ? 1 : 0; }
  std::size_t size() const { return words_.size(); }
  bool empty() const { return words_.empty(); }
  auto begin() const { return words_.begin(); }
  auto end() const { return words_.end(); }
  void insert(const Words& o) { insert_sorted(words_, o.words_); }
  // Whether the two have a word in common.
  bool meets(const Words& o) const {
    return std::any_of(words_.begin(), words_.end(), [&](Word w) { return o.count(w) > 0; });
  }
  // How many words the two have in common.
  std::size_t shared(const Words& o) const {
    const Words &small = size() < o.size() ? *this : o, &big = size() < o.size() ? o : *this;
    std::size_t n = 0;
    for (Word w : small) n += big.count(w);
    return n;
  }

 private:
  std::vector<Word> words_;
};

// Where a mention is told: its source file, the first byte of its sentence,
// and its match's bytes.
struct Telling {
  Word file = 0;
  std::size_t sentence = 0, begin = 0, end = 0;
  bool operator<(const Telling& o) const { return std::tie(file, sentence, begin, end) < std::tie(o.file, o.sentence, o.begin, o.end); }
  bool operator==(const Telling& o) const = default;
};

// Tellings as a set: sorted, distinct.
std::vector<Telling> distinct(std::vector<Telling> tellings) {
  std::sort(tellings.begin(), tellings.end());
  tellings.erase(std::unique(tellings.begin(), tellings.end()), tellings.end());
  return tellings;
}

// The first and last place in the join order at which a member of a group
// was listed under a word.
struct Listing {
  Word word = 0;
  std::size_t first = 0, last = 0;
  bool operator<(const Listing& o) const { return word < o.word; }
};

// What the join pass knows of a group of entries it has joined (one entry,
// or several that tell one event).
struct Group {
  Word category = 0;
  // The finest date of its members: the TimelineEntry::date of one of them
  // (the entries stay in place during the pass).
  const DateInterval* finest = nullptr;
  Words files;
  Words terms;
  Words object_terms;                  // the terms that are no word of an actor
  Words kinds;                         // the event kinds (identity before '|') of its members
  Words evidence;                      // the names of its evidence sentences (evidence_names)
  std::vector<Telling> tellings;       // where its members are told (distinct, sorted)
  // Each word it can be found by (terms and evidence names), with the first
  // and last place in the join order at which a member was listed under it:
  // the first orders the groups an entry matches as a scan of the word's
  // list would meet them; the last tells whether the list still held the
  // group when the pass ended (see join_across_identities). Sorted by word.
  std::vector<Listing> listed;
  bool publication_dated = false;      // a member is dated by its source's publication day
  bool anonymous = false;              // no member names anyone (see anonymous_entry)
  bool actorless = false;              // no member has an actor ("a container ship rammed", "the bridge collapsed")

  // A word of its identities or a name of its evidence.
  bool names(Word t) const { return terms.count(t) > 0 || evidence.count(t) > 0; }
  // Its listing under `word`, or null.
  const Listing* listing(Word word) const {
    auto it = std::lower_bound(listed.begin(), listed.end(), Listing{word});
    return it != listed.end() && it->word == word ? &*it : nullptr;
  }
  // Lists it under each of `words` (sorted) at `place`; calls fresh(word)
  // for each word it was not listed under before.
  template <typename Fresh>
  void list(const Words& words, std::size_t place, Fresh fresh) {
    std::vector<Listing> added;
    for (Word w : words) {
      auto it = std::lower_bound(listed.begin(), listed.end(), Listing{w});
      if (it != listed.end() && it->word == w) {
        it->last = place;
      } else {
        added.push_back({w, place, place});
        fresh(w);
      }
    }
    merge_listings(added);
  }
  // Takes in listings (sorted) of words; a word listed in both keeps the
  // earliest first and the latest last place.
  void merge_listings(const std::vector<Listing>& more) {
    if (more.empty()) return;
    std::vector<Listing> both;
    both.reserve(listed.size() + more.size());
    auto a = listed.cbegin();
    auto b = more.begin();
    while (a != listed.cend() || b != more.end()) {
      if (b == more.end() || (a != listed.cend() && a->word < b->word)) both.push_back(*a++);
      else if (a == listed.cend() || b->word < a->word) both.push_back(*b++);
      else {
        both.push_back({a->word, std::min(a->first, b->first), std::max(a->last, b->last)});
        ++a, ++b;
      }
    }
    listed = std::move(both);
  }
};

// `into` takes in `from`: their sources, words and names, and the finer date.
// The category stays `into`'s.
void absorb(Group& into, const Group& from) {
  into.files.insert(from.files);
  into.terms.insert(from.terms);
  into.object_terms.insert(from.object_terms);
  into.publication_dated = into.publication_dated || from.publication_dated;
  if (into.finest->contains(*from.finest)) into.finest = from.finest;
  into.anonymous = into.anonymous && from.anonymous;
  into.kinds.insert(from.kinds);
  into.evidence.insert(from.evidence);
  insert_sorted(into.tellings, from.tellings);
  into.actorless = into.actorless && from.actorless;
  into.merge_listings(from.listed);
}

// Two tellings in one sentence of one source whose matches do not overlap:
// two clauses of the sentence (a mention without a match span, made by hand,
// tells nothing of its clause). (A match inside another is a clause embedded
// in it: "the six missing since the bridge collapsed are presumed dead" tells
// the collapse as background of another event.)
bool told_side_by_side(const std::vector<Telling>& a, const std::vector<Telling>& b) {
  for (auto& x : a)
    for (auto it = std::lower_bound(b.begin(), b.end(), Telling{x.file, x.sentence, 0, 0});
         it != b.end() && it->file == x.file && it->sentence == x.sentence; ++it)
      if (x.begin < x.end && it->begin < it->end && (it->end <= x.begin || x.end <= it->begin)) return true;
  return false;
}

// One real event told by several sources in different words: entries of
// different identities join when they come from disjoint sources, share a
// category, have nested dates and share a content term of their identities
// (an actor or a word of the object). See merge.h.
void join_across_identities(std::vector<TimelineEntry>& entries) {
  std::vector<std::size_t> order(entries.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  // Coarse dates first among equal starts, so an earlier candidate nests
  // with a later entry exactly when it does not end before it.
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto &x = entries[a].date, &y = entries[b].date;
    if (x.first != y.first) return x.first < y.first;
    if (x.last != y.last) return x.last > y.last;
    return entries[a].event_id < entries[b].event_id;
  });

  std::vector<std::size_t> root(entries.size());
  // Union-find over entries: parent[i] == i for a group's root.
  std::vector<std::size_t> parent(entries.size());
  for (std::size_t i = 0; i < parent.size(); ++i) parent[i] = i;
  auto find = [&](std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  std::vector<std::size_t> richness(entries.size(), 0);  // how many object terms each entry has
  // Each entry's identity, where it is: the mentions stay in place until
  // the joined entries take their members' mentions, at the end.
  std::vector<const std::string*> own_identity(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) own_identity[i] = &entries[i].mentions.front().identity;
  Interner intern;
  // By root entry (an entry that joined a group when it was placed has an
  // empty one, never read).
  std::vector<Group> groups(entries.size());
  // Where the candidates of an entry are found. A group can only join an
  // entry when a word of one's identity terms is a term or an evidence name
  // of the other, or when one sentence tells both (told_side_by_side), so
  // three indexes, each of roots that were live when listed (a root whose
  // finest date ended more than a day before the current entry starts can no
  // longer meet any later entry, and is dropped when a scan meets it):
  // word -> groups that name it (terms and evidence names), identity term
  // -> groups that hold it, (file, sentence) -> groups told there. The
  // common evidence names ("North", "Trump") are looked up in the second
  // only, which keeps the scans short however many entries name them.
  std::unordered_map<Word, std::vector<std::size_t>> by_name, by_term;
  std::map<std::pair<Word, std::size_t>, std::vector<std::size_t>> by_sentence;
  // word -> the place in the join order of the last entry that looked for
  // it, and that entry's first day: a list of groups by word, scanned at
  // every lookup, dropped the groups that had ended by then, and the
  // anonymous pass below reads what such lists held at the end.
  std::unordered_map<Word, std::pair<std::size_t, date::sys_days>> last_lookup;
  auto terms_of = [&](const TimelineEntry& e) {
    std::set<std::string> terms;
    for (auto& m : e.mentions) terms.insert(m.terms.begin(), m.terms.end());
    return terms;
  };
  auto object_terms_of = [&](const TimelineEntry& e, const std::set<std::string>& terms) {
    std::set<std::string> actor_words, out;
    for (auto& m : e.mentions)
      for (auto& a : m.actors)
        for (auto& w : content_terms(a, {})) actor_words.insert(w);
    for (auto& t : terms)
      if (!actor_words.count(t)) out.insert(t);
    return out;
  };

  // How many identity terms two entries of one category must share: two
  // within one source; across sources one, when they are of one event kind
  // or a shared word is an actor's or a name in both evidence sentences
  // ("Broadcom"), and
  // two otherwise: one common noun ("tariffs") shared by two kinds of event
  // (China's retaliation, the tariffs taking effect) names no one event.
  const Words* object_terms_now = nullptr;  // of the entry being placed
  auto needed = [&](const Group& g, bool shared_source, const Words& terms, const Words& kinds, const Words& evidence) -> std::size_t {
    if (shared_source) return 2;
    if (g.kinds.shared(kinds) > 0) return 1;
    for (Word t : terms) {
      if (!g.terms.count(t)) continue;
      bool actor_word = !g.object_terms.count(t) || !object_terms_now->count(t);
      if (actor_word || (g.evidence.count(t) && evidence.count(t))) return 1;
    }
    return 2;
  };
  for (std::size_t place = 0; place < order.size(); ++place) {
    const std::size_t i = order[place];
    TimelineEntry& e = entries[i];
    const Word category = intern(e.category);
    const Words files(e.source_files(), intern);
    auto term_strings = terms_of(e);
    const Words terms(term_strings, intern);
    const Words object_terms(object_terms_of(e, term_strings), intern);
    object_terms_now = &object_terms;
    std::vector<std::set<std::string>> evidence_names_of;  // per mention
    evidence_names_of.reserve(e.mentions.size());
    std::set<std::string> kind_strings, evidence_strings;
    for (auto& m : e.mentions) {
      kind_strings.insert(m.identity.substr(0, m.identity.find('|')));
      evidence_names_of.push_back(evidence_names(m));
      evidence_strings.insert(evidence_names_of.back().begin(), evidence_names_of.back().end());
    }
    const Words kinds(kind_strings, intern), evidence(evidence_strings, intern);
    // The words it can be found by: identity terms and evidence names, in
    // the order of their text (the order a scan of their lists takes), and
    // as a set.
    std::set<std::string> name_strings = term_strings;
    name_strings.insert(evidence_strings.begin(), evidence_strings.end());
    std::vector<Word> names_in_order;
    names_in_order.reserve(name_strings.size());
    for (auto& n : name_strings) names_in_order.push_back(intern(n));
    const Words names(name_strings, intern);
    std::vector<Telling> tellings_of;
    for (auto& m : e.mentions) tellings_of.push_back(Telling{intern(m.source->file), m.sentence.begin, m.match.begin, m.match.end});
    const std::vector<Telling> tellings = distinct(std::move(tellings_of));
    bool actorless = std::all_of(e.mentions.begin(), e.mentions.end(), [](const EventMention& m) { return m.actors.empty(); });
    bool publication_dated =
        std::any_of(e.mentions.begin(), e.mentions.end(), [](const EventMention& m) { return m.date_basis == "publication"; });
    richness[i] = object_terms.size();
    // Whether the live group `g` and this entry tell one event.
    auto joins = [&](const Group& g) {
      bool nested = g.finest->nested_with(e.date);
      if (!nested && !adjacent_days(*g.finest, e.date)) return false;
      // A source that tells two events of one kind on one day with one
      // word in common tells two events; across sources, one word is
      // enough (the actor, or the object when the actors differ). An
      // entry that names only its actor ("Trump signs", "Brockman
      // reveals": the clause found no object) says no more than that
      // the actor acted then: it joins an entry of that actor whatever
      // the category or source. Otherwise categories must agree.
      // One sentence that tells one happening from two sides in two
      // clauses, one of them naming no actor ("the bridge collapsed
      // when a container ship rammed into it"): one event, though the
      // sentence's source is on both sides. Two named actors in one
      // sentence ("Acme rose 3% and Brill fell 2%") stay two events.
      if (g.category == category && (g.actorless || actorless) && told_side_by_side(g.tellings, tellings)) {
        return true;
      }
      bool shared_source = files.meets(g.files);
      std::size_t shared = g.terms.shared(terms);
      bool objectless = g.object_terms.empty() || object_terms.empty();
      // Corroboration: the same category, other sources, and two names
      // in common between what their evidence sentences say, where the
      // identities share none ("FTX founder convicted" / "Bankman-Fried
      // found guilty"). Dates must nest, or be a day apart where one
      // side is dated only by its publication day (news of yesterday).
      // One of the shared names must be what one side names as its actor
      // or object: in a story of many events, every sentence names the
      // same leaders and countries ("Trump", "Chinese").
      bool corroborated = !shared_source && g.category == category &&
                          std::count_if(names.begin(), names.end(), [&](Word t) { return g.names(t); }) >= 2 &&
                          (nested || g.publication_dated || publication_dated) &&
                          std::any_of(names.begin(), names.end(), [&](Word t) {
                            return g.names(t) && (g.terms.count(t) || terms.count(t));
                          });
      if (objectless) {
        if (shared == 0 && !corroborated) return false;
      } else if ((g.category != category || shared < needed(g, shared_source, terms, kinds, evidence)) && !corroborated) {
        return false;
      }
      return true;
    };
    std::vector<std::size_t> matches;
    if (e.conflicts_with.empty()) {
      std::vector<std::size_t> candidates;
      auto gather = [&](std::vector<std::size_t>& live) {
        for (auto& r : live) r = find(r);
        live.erase(std::remove_if(live.begin(), live.end(), [&](std::size_t r) { return groups[r].finest->last + date::days{1} < e.date.first; }),
                   live.end());
        candidates.insert(candidates.end(), live.begin(), live.end());
      };
      for (Word term : terms)
        if (auto it = by_name.find(term); it != by_name.end()) gather(it->second);
      for (Word name : names)
        if (auto it = by_term.find(name); it != by_term.end()) gather(it->second);
      for (auto& t : tellings)
        if (auto it = by_sentence.find({t.file, t.sentence}); it != by_sentence.end()) gather(it->second);
      std::sort(candidates.begin(), candidates.end());
      candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
      // Every live group this entry matches, in the order a scan of the
      // lists of its words, in word order, would meet them: it joins the
      // first and brings the others with it (an entry may be what ties two
      // partial groups of one event together), except a group that shares a
      // source with the first one: that source tells two events.
      std::vector<std::tuple<std::size_t, std::size_t, std::size_t>> found;  // (word, first listed, root)
      for (std::size_t r : candidates) {
        const Group& g = groups[r];
        if (!joins(g)) continue;
        for (std::size_t k = 0; k < names_in_order.size(); ++k) {
          if (const Listing* l = g.listing(names_in_order[k])) {
            found.emplace_back(k, l->first, r);
            break;
          }
        }
      }
      std::sort(found.begin(), found.end());
      for (auto& f : found) matches.push_back(std::get<2>(f));
      for (Word name : names) last_lookup[name] = {place, e.date.first};
    }
    Group self{.category = category,
               .finest = &e.date,
               .files = files,
               .terms = terms,
               .object_terms = object_terms,
               .kinds = kinds,
               .evidence = evidence,
               .tellings = tellings,
               .listed = {},
               .publication_dated = publication_dated,
               .anonymous = anonymous_entry(e, evidence_names_of),
               .actorless = actorless};
    if (matches.empty()) {
      groups[i] = std::move(self);
      if (!e.conflicts_with.empty()) continue;  // its conflict ids must stay valid: it never joins
    } else {
      std::size_t into = matches.front();
      parent[i] = into;
      Group& g = groups[into];
      absorb(g, self);
      for (std::size_t k = 1; k < matches.size(); ++k) {
        Group& other = groups[matches[k]];
        bool overlap = other.files.meets(g.files);
        if (overlap || (!other.finest->nested_with(*g.finest) && !adjacent_days(*other.finest, *g.finest))) continue;
        parent[matches[k]] = into;
        absorb(g, other);
      }
    }
    const std::size_t r = find(i);
    Group& g = groups[r];
    g.list(names, place, [&](Word name) { by_name[name].push_back(r); });
    for (Word term : terms)
      if (auto& live = by_term[term]; live.empty() || live.back() != r) live.push_back(r);
    for (auto& t : tellings)
      if (auto& live = by_sentence[{t.file, t.sentence}]; live.empty() || live.back() != r) live.push_back(r);
  }
  // What the lists of groups by word held when the pass ended: a group was
  // dropped from a word's list by a lookup of the word after it was listed
  // there, when it had ended by then (groups end for good: a later member's
  // date nests with the group's, so it never moves the end back before any
  // earlier lookup's day).
  std::unordered_map<Word, std::vector<std::size_t>> listed_at_end;
  for (std::size_t r = 0; r < groups.size(); ++r) {
    if (find(r) != r) continue;
    const Group& g = groups[r];
    for (auto& l : g.listed) {
      auto seen = last_lookup.find(l.word);
      if (seen == last_lookup.end() || l.last >= seen->second.first || g.finest->last + date::days{1} >= seen->second.second)
        listed_at_end[l.word].push_back(r);
    }
  }
  // An anonymous entry ("the transaction, announced in May 2022"; "a judge
  // ruled") names no actor and none of its words is a name: it cannot meet
  // its event through shared terms. It joins the one entry of its category,
  // from other sources, whose date nests with its own, when there is exactly
  // one among the kAnonymousReach nearest of that category; with two or
  // more it cannot tell which event it tells and stays alone.
  constexpr std::size_t kAnonymousReach = 64;
  std::unordered_map<Word, std::vector<std::size_t>> named_by_category;  // roots, by first day
  for (std::size_t r = 0; r < groups.size(); ++r)
    if (find(r) == r && !groups[r].anonymous && entries[r].conflicts_with.empty()) named_by_category[groups[r].category].push_back(r);
  for (auto& [category, roots] : named_by_category)
    std::sort(roots.begin(), roots.end(), [&](std::size_t a, std::size_t b) { return groups[a].finest->first < groups[b].finest->first; });
  for (std::size_t r = 0; r < groups.size(); ++r) {
    Group& g = groups[r];
    if (find(r) != r || !g.anonymous || !entries[r].conflicts_with.empty()) continue;
    auto list = named_by_category.find(g.category);
    if (list == named_by_category.end()) continue;
    const auto& roots = list->second;
    // Candidates start no later than this entry ends; walk back from there.
    auto end = std::upper_bound(roots.begin(), roots.end(), g.finest->last,
                                [&](const date::sys_days& d, std::size_t c) { return d < groups[c].finest->first; });
    std::size_t found = r, seen = 0, candidates = 0;
    for (auto it = end; it != roots.begin() && seen < kAnonymousReach && candidates < 2; ++seen) {
      std::size_t c = find(*--it);
      const Group& o = groups[c];
      if (!o.finest->nested_with(*g.finest)) continue;
      if (o.files.meets(g.files)) continue;
      if (c != found) ++candidates, found = c;
    }
    if (candidates != 1 || seen >= kAnonymousReach) continue;
    // An entry of another source that shares a word with it and whose date
    // nests, of any category, is a second reading ("tariffs take effect"
    // beside "a 10% tariff took effect, and China responded"): ambiguous.
    bool rival = false;
    for (auto& t : g.terms) {
      auto it = listed_at_end.find(t);
      if (it == listed_at_end.end()) continue;
      for (std::size_t c : it->second) {
        c = find(c);
        if (c == r || c == found || !groups[c].finest->nested_with(*g.finest)) continue;
        const Group& o = groups[c];
        if (o.files.meets(g.files)) continue;
        rival = true;
        break;
      }
      if (rival) break;
    }
    if (rival) continue;
    parent[r] = found;
    absorb(groups[found], g);
  }
  for (std::size_t i = 0; i < entries.size(); ++i) root[i] = find(i);
  bool joined = false;
  for (std::size_t i = 0; i < entries.size() && !joined; ++i) joined = root[i] != i;
  if (!joined) return;
  // The title, category and id of a joined entry are those of its member
  // that names the most of what happened (object terms): "Trump orders 25%
  // tariffs", not "Trump signs". Ties keep the first, the root. Set before
  // the members' mentions move to their root: own_identity points into them.
  constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> speaker(entries.size(), kNone);  // root -> member that titles it
  for (std::size_t i : order) {
    std::size_t& s = speaker[root[i]];
    if (s == kNone || richness[i] > richness[s]) s = i;
  }
  for (std::size_t r = 0; r < entries.size(); ++r) {
    TimelineEntry& e = entries[r];
    if (root[r] != r) continue;
    std::size_t s = speaker[r];
    if (s != r) {
      e.title = entries[s].title;
      e.category = entries[s].category;
      e.rule_id = entries[s].rule_id;
    }
    if (groups[r].finest->value != e.date.value || s != r) {
      e.date = *groups[r].finest;
      e.event_id = event_id(*own_identity[s], e.date.value);
    }
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (root[i] == i) continue;
    TimelineEntry& into = entries[root[i]];
    for (auto& m : entries[i].mentions) into.mentions.push_back(std::move(m));
    std::vector<EventMention>().swap(entries[i].mentions);
  }
  for (std::size_t r = 0; r < entries.size(); ++r)
    if (root[r] == r) std::sort(entries[r].mentions.begin(), entries[r].mentions.end(), mention_order);
  entries.erase(std::remove_if(entries.begin(), entries.end(), [](const TimelineEntry& e) { return e.mentions.empty(); }),
                entries.end());
}

}  // namespace

namespace {

// Rearranges `mentions` so that position p holds what was at order[p] (a
// permutation), moving each mention once along its cycle: a sort of the
// mentions themselves would move them at every swap, and a second container
// would hold them twice.
void permute(MentionQueue& mentions, const std::vector<std::size_t>& order) {
  std::vector<bool> placed(order.size(), false);
  for (std::size_t p = 0; p < order.size(); ++p) {
    if (placed[p]) continue;
    EventMention held = std::move(mentions[p]);
    std::size_t at = p;
    for (; order[at] != p; at = order[at]) {
      mentions[at] = std::move(mentions[order[at]]);
      placed[at] = true;
    }
    mentions[at] = std::move(held);
    placed[at] = true;
  }
}

// Moves the first `n` mentions of `from` to the end of `into`, freeing each
// one's place in `from` as it goes, so that the two never hold a mention
// twice.
void take_front(MentionQueue& from, std::size_t n, std::vector<EventMention>& into) {
  into.reserve(into.size() + n);
  for (std::size_t k = 0; k < n; ++k) {
    into.push_back(std::move(from.front()));
    from.pop_front();
  }
}

}  // namespace

std::string event_id(const std::string& identity, const std::string& date_value) {
  return fmt::format("ev-{:012x}", fnv1a(identity + "@" + date_value) & 0xffffffffffffull);
}

Timeline merge(MentionQueue mentions, std::vector<SourceRecord> sources, std::vector<Diagnostic> diagnostics,
               const Options& options) {
  return join_identities(merge_identities(std::move(mentions)), std::move(sources), std::move(diagnostics), options);
}

Timeline merge_identities(MentionQueue mentions) {
  Timeline t;
  // Sort indices, not mentions: a mention is a large object, and a million
  // of them are moved twice (into place in `mentions`, then into their
  // entry: permute, take_front), instead of at every swap.
  std::vector<std::size_t> dated, undated;
  for (std::size_t i = 0; i < mentions.size(); ++i) (mentions[i].dated() ? dated : undated).push_back(i);
  // Ties (one rule at one offset of one file: a source kept twice) keep
  // the input order, so that the result over one identity's mentions is
  // that identity's part of the result over all of them (a bucket reduced
  // an identity at a time, interchange/shards.h): an unstable sort orders
  // ties by what else the array holds.
  auto by_mention_order = [&](std::size_t a, std::size_t b) {
    const EventMention &x = mentions[a], &y = mentions[b];
    if (mention_order(x, y)) return true;
    return !mention_order(y, x) && a < b;
  };
  // Identity, then coarse dates first (so that a finer date finds the entry
  // it refines), then mention order.
  std::sort(dated.begin(), dated.end(), [&](std::size_t a, std::size_t b) {
    const EventMention &x = mentions[a], &y = mentions[b];
    if (int c = x.identity.compare(y.identity)) return c < 0;
    const auto &dx = *x.date->interval, &dy = *y.date->interval;
    if (dx.first != dy.first) return dx.first < dy.first;
    if (dx.last != dy.last) return dx.last > dy.last;
    return by_mention_order(a, b);
  });
  // Where each entry's members are in `taken` (the order the mentions go
  // to their entries in), and how many there are.
  std::vector<std::size_t> taken, first_taken, members;
  taken.reserve(dated.size());
  for (std::size_t g = 0; g < dated.size();) {
    std::size_t end = g;
    const std::string identity = mentions[dated[g]].identity;
    while (end < dated.size() && mentions[dated[end]].identity == identity) ++end;
    // Clusters of dates that pairwise nest, or are two days next to each
    // other told by different sources (see merge.h): checking the distinct
    // intervals of a cluster is enough.
    const bool once_only = !mentions[dated[g]].recurring;
    struct Cluster {
      std::vector<std::size_t> members;
      std::vector<DateInterval> intervals;          // distinct
      std::vector<std::set<std::string>> files;     // the sources of each interval
    };
    std::vector<Cluster> clusters;
    for (std::size_t k = g; k < end; ++k) {
      const EventMention& m = mentions[dated[k]];
      const DateInterval& d = *m.date->interval;
      auto it = std::find_if(clusters.begin(), clusters.end(), [&](const Cluster& c) {
        for (std::size_t i = 0; i < c.intervals.size(); ++i) {
          const DateInterval& o = c.intervals[i];
          if (o.nested_with(d)) continue;
          if (once_only && adjacent_days(o, d) && !c.files[i].count(m.source->file)) continue;
          return false;
        }
        return true;
      });
      if (it == clusters.end()) it = clusters.insert(clusters.end(), Cluster{});
      it->members.push_back(dated[k]);
      auto same = std::find_if(it->intervals.begin(), it->intervals.end(), [&](const DateInterval& o) { return o.value == d.value; });
      if (same == it->intervals.end()) {
        it->intervals.push_back(d);
        it->files.push_back({m.source->file});
      } else {
        it->files[std::size_t(same - it->intervals.begin())].insert(m.source->file);
      }
    }
    std::size_t first_entry = t.entries.size();
    for (auto& c : clusters) {
      TimelineEntry e;
      std::size_t finest = finest_member(c.members, c.intervals, c.files, mentions);
      e.date = *mentions[finest].date->interval;
      e.title = mentions[finest].title;
      e.category = mentions[finest].category;
      e.rule_id = mentions[finest].rule_id;
      e.event_id = event_id(identity, e.date.value);
      std::sort(c.members.begin(), c.members.end(), by_mention_order);
      first_taken.push_back(taken.size());
      members.push_back(c.members.size());
      taken.insert(taken.end(), c.members.begin(), c.members.end());
      t.entries.push_back(std::move(e));
    }
    // A once-only event with more than one entry: its sources disagree.
    // Each entry names the best-supported others (most mentions first), at
    // most kConflictsListed, and counts them all: 50,000 dates of one event
    // are not 2.5 billion ids.
    if (clusters.size() > 1 && !mentions[taken[first_taken[first_entry]]].recurring) {
      std::vector<std::size_t> best(t.entries.size() - first_entry);
      std::iota(best.begin(), best.end(), first_entry);
      auto support = [&](std::size_t a, std::size_t b) {
        return members[a] != members[b] ? members[a] > members[b] : t.entries[a].event_id < t.entries[b].event_id;
      };
      std::size_t keep = std::min(best.size(), kConflictsListed + 1);
      std::partial_sort(best.begin(), best.begin() + std::ptrdiff_t(keep), best.end(), support);
      for (std::size_t i = first_entry; i < t.entries.size(); ++i) {
        TimelineEntry& e = t.entries[i];
        e.conflict_count = best.size() - 1;
        for (std::size_t k = 0; k < keep && e.conflicts_with.size() < kConflictsListed; ++k)
          if (best[k] != i) e.conflicts_with.push_back(t.entries[best[k]].event_id);
      }
    }
    g = end;
  }
  std::vector<std::size_t>().swap(dated);
  // An undated mention of a once-only event that has exactly one entry still
  // states that event: it joins the entry (its own date stays unresolved).
  // Where the event is recurring or its sources disagree, there is no way to
  // tell which entry it means, so it stays undated. The entries are in
  // identity order, so an identity's entries are found by bisection.
  auto identity_of = [&](std::size_t entry) -> const std::string& { return mentions[taken[first_taken[entry]]].identity; };
  auto entry_of = [&](const std::string& identity) {  // its entry, npos when it has none or several
    std::size_t lo = 0, hi = t.entries.size();
    while (lo < hi) {
      std::size_t mid = lo + (hi - lo) / 2;
      if (identity_of(mid) < identity) lo = mid + 1;
      else hi = mid;
    }
    bool one = lo < t.entries.size() && identity_of(lo) == identity && (lo + 1 == t.entries.size() || identity_of(lo + 1) != identity);
    return one ? lo : std::string::npos;
  };
  std::sort(undated.begin(), undated.end(), by_mention_order);
  std::vector<std::pair<std::size_t, std::size_t>> joined;  // (entry, mention), in mention order
  std::vector<std::size_t> left_undated;
  for (std::size_t i : undated) {
    std::size_t entry = mentions[i].recurring ? std::string::npos : entry_of(mentions[i].identity);
    if (entry != std::string::npos) joined.emplace_back(entry, i);
    else left_undated.push_back(i);
  }
  std::vector<std::size_t>().swap(undated);
  std::stable_sort(joined.begin(), joined.end(), [](auto& a, auto& b) { return a.first < b.first; });
  // The order the mentions go in: each entry's members, then the undated
  // mentions that join it, then those that stay undated.
  std::vector<std::size_t> order, joining(t.entries.size(), 0);
  order.reserve(mentions.size());
  for (std::size_t k = 0, j = 0; k < t.entries.size(); ++k) {
    auto first = taken.begin() + std::ptrdiff_t(first_taken[k]);
    order.insert(order.end(), first, first + std::ptrdiff_t(members[k]));
    for (; j < joined.size() && joined[j].first == k; ++j, ++joining[k]) order.push_back(joined[j].second);
  }
  order.insert(order.end(), left_undated.begin(), left_undated.end());
  std::vector<std::size_t>().swap(taken);
  std::vector<std::size_t>().swap(left_undated);
  permute(mentions, order);
  std::vector<std::size_t>().swap(order);
  for (std::size_t k = 0; k < t.entries.size(); ++k) {
    auto& ms = t.entries[k].mentions;
    take_front(mentions, members[k] + joining[k], ms);
    // The same sort, of the same sequence, as when the undated mentions were
    // pushed onto the entry one by one: ties (one rule at one offset of one
    // file, a source read twice) keep their order.
    if (joining[k] > 0) std::sort(ms.begin(), ms.end(), mention_order);
  }
  take_front(mentions, mentions.size(), t.undated);
  return t;
}

bool undated_order(const EventMention& a, const EventMention& b) { return mention_order(a, b); }

Timeline join_identities(Timeline t, std::vector<SourceRecord> sources, std::vector<Diagnostic> diagnostics, const Options& options) {
  std::sort(sources.begin(), sources.end(), [](auto& a, auto& b) { return a.info.file < b.info.file; });
  std::vector<SignedSource> signatures;
  for (auto& s : sources) signatures.push_back({s.info.file, &s.signature});
  t.near_duplicates = options.near_duplicate_groups ? *options.near_duplicate_groups
                                                    : near_duplicate_groups(signatures, options.near_duplicates);
  // The signatures (512 bytes a source) are not needed past this point:
  // freed, and the metadata moved, before the join, the peak of a merge.
  std::vector<SignedSource>().swap(signatures);
  t.sources.reserve(sources.size());
  for (auto& s : sources) t.sources.push_back(std::move(s.info));
  std::vector<SourceRecord>().swap(sources);
  std::map<std::string, std::string> group_of;  // file -> first file of its near-duplicate group
  for (auto& g : t.near_duplicates)
    for (auto& f : g) group_of[f] = g.front();
  std::sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.file, a.line, a.column, a.rule_id, a.message) < std::tie(b.file, b.line, b.column, b.rule_id, b.message);
  });
  t.diagnostics = std::move(diagnostics);
  join_across_identities(t.entries);
  std::sort(t.entries.begin(), t.entries.end(), [](const TimelineEntry& a, const TimelineEntry& b) {
    if (a.date.first != b.date.first) return a.date.first < b.date.first;
    if (a.date.last != b.date.last) return a.date.last > b.date.last;  // coarser first
    if (a.title != b.title) return a.title < b.title;
    return a.event_id < b.event_id;
  });
  for (auto& e : t.entries) {
    std::sort(e.conflicts_with.begin(), e.conflicts_with.end());
    std::set<std::string> independent;
    for (auto& f : e.source_files()) independent.insert(group_of.count(f) ? group_of[f] : f);
    e.independent_sources = independent.size();
  }
  return t;
}

}  // namespace annals::merge
