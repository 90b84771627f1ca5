#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "merge/merge.h"
#include "temporal/calendar.h"

using namespace annals;

namespace {
EventMention mention(std::string file, std::string identity, std::string date_value, bool recurring = false) {
  EventMention m;
  m.rule_id = "r";
  m.identity = identity;
  m.title = identity;
  m.recurring = recurring;
  m.source.edit().file = std::move(file);
  if (!date_value.empty()) {
    DateMention d;
    d.value = date_value;
    d.interval = temporal::interval_of(date_value);
    REQUIRE(d.interval);
    m.date = d;
  }
  return m;
}
}  // namespace

TEST_CASE("mentions with nested dates merge into one entry dated by the most specific") {
  auto t = merge::merge({mention("a", "r|x", "2025"), mention("b", "r|x", "2025-01"), mention("c", "r|x", "2025-01-20")});
  REQUIRE(t.entries.size() == 1);
  CHECK(t.entries[0].date.value == "2025-01-20");
  CHECK(t.entries[0].source_files() == std::vector<std::string>{"a", "b", "c"});
  CHECK(t.entries[0].conflicts_with.empty());
}

TEST_CASE("a once-only event with disjoint dates is a conflict, listed on both entries") {
  auto t = merge::merge({mention("a", "r|x", "2024"), mention("b", "r|x", "2025-01")});
  REQUIRE(t.entries.size() == 2);
  CHECK(t.entries[0].conflicts_with == std::vector<std::string>{t.entries[1].event_id});
  CHECK(t.entries[1].conflicts_with == std::vector<std::string>{t.entries[0].event_id});
}

TEST_CASE("a recurring event with disjoint dates is two entries without conflict") {
  auto t = merge::merge({mention("a", "r|x", "2024", true), mention("b", "r|x", "2025", true)});
  REQUIRE(t.entries.size() == 2);
  CHECK(t.entries[0].conflicts_with.empty());
}

TEST_CASE("entries are chronological and a coarser date sorts before finer ones inside it") {
  auto t = merge::merge({mention("a", "r|day", "2025-01-05"), mention("a", "r|year", "2025"), mention("a", "r|old", "2023")});
  REQUIRE(t.entries.size() == 3);
  CHECK(t.entries[0].date.value == "2023");
  CHECK(t.entries[1].date.value == "2025");
  CHECK(t.entries[2].date.value == "2025-01-05");
}

TEST_CASE("mentions without a usable date are kept as undated") {
  auto t = merge::merge({mention("a", "r|other", ""), mention("b", "r|x", "2025")});
  CHECK(t.entries.size() == 1);
  CHECK(t.undated.size() == 1);
}

TEST_CASE("merge output does not depend on input order and event ids are stable") {
  std::vector<EventMention> ms{mention("a", "r|x", "2025"), mention("b", "r|x", "2025-03"), mention("c", "r|y", "2024"),
                               mention("d", "r|y", "2024-W10"), mention("e", "r|z", "2023")};
  auto reference = merge::merge(merge::MentionQueue(ms.begin(), ms.end()));
  std::mt19937 rng(7);
  for (int i = 0; i < 20; ++i) {
    std::shuffle(ms.begin(), ms.end(), rng);
    auto t = merge::merge(merge::MentionQueue(ms.begin(), ms.end()));
    REQUIRE(t.entries.size() == reference.entries.size());
    for (std::size_t k = 0; k < t.entries.size(); ++k) {
      CHECK(t.entries[k].event_id == reference.entries[k].event_id);
      CHECK(t.entries[k].source_files() == reference.entries[k].source_files());
    }
  }
  CHECK(merge::event_id("r|x", "2025-03") == reference.entries[2].event_id);
}

TEST_CASE("an undated mention of a once-only event with one entry joins that entry") {
  auto t = merge::merge({mention("a", "r|x", "2025-01"), mention("b", "r|x", ""), mention("c", "r|y", "")});
  REQUIRE(t.entries.size() == 1);
  CHECK(t.entries[0].source_files() == std::vector<std::string>{"a", "b"});
  CHECK(t.entries[0].date.value == "2025-01");
  REQUIRE(t.undated.size() == 1);
  CHECK(t.undated[0].source->file == "c");
}

TEST_CASE("an undated mention stays undated when its event is recurring or its sources disagree") {
  auto recurring = merge::merge({mention("a", "r|x", "2024", true), mention("b", "r|x", "", true)});
  CHECK(recurring.undated.size() == 1);
  auto conflict = merge::merge({mention("a", "r|x", "2024"), mention("b", "r|x", "2025"), mention("c", "r|x", "")});
  CHECK(conflict.entries.size() == 2);
  CHECK(conflict.undated.size() == 1);
}

namespace {
EventMention told(std::string file, std::string identity, std::string category, std::vector<std::string> terms,
                  std::string date_value) {
  EventMention m = mention(std::move(file), std::move(identity), std::move(date_value));
  m.category = std::move(category);
  m.terms = std::move(terms);
  return m;
}
EventMention by(EventMention m, std::string actor) {
  m.actors.push_back(std::move(actor));
  return m;
}
}  // namespace

TEST_CASE("sources that tell one event in different words merge when category, terms and dates agree") {
  auto t = merge::merge({told("a", "clause|broadcom vmware acquisition", "other", {"acquisition", "broadcom", "vmware"}, "2023-11-22"),
                         told("b", "clause|broadcom deal", "other", {"broadcom", "deal"}, "2023-11"),
                         told("c", "clause|openai altman", "appointment", {"altman", "openai"}, "2023-11-22")});
  REQUIRE(t.entries.size() == 2);
  auto& deal = t.entries[0].category == "other" ? t.entries[0] : t.entries[1];
  CHECK(deal.source_files() == std::vector<std::string>{"a", "b"});
  CHECK(deal.date.value == "2023-11-22");
}

TEST_CASE("different identities stay apart when the category differs, no term is shared or dates do not meet") {
  auto t = merge::merge({told("a", "x|acme buys brill", "acquisition", {"acme", "brill"}, "2024-03-01"),
                         told("b", "y|acme sues brill", "lawsuit", {"acme", "brill"}, "2024-03-01"),
                         told("c", "z|corvid buys ansel", "acquisition", {"ansel", "corvid"}, "2024-03-01"),
                         told("d", "w|acme buys kestrel", "acquisition", {"acme", "kestrel"}, "2024-03-05")});
  CHECK(t.entries.size() == 4);
}

TEST_CASE("two sources a day apart on one event merge, and one source needs two shared terms to merge itself") {
  auto t = merge::merge({by(told("a", "x|acme confirms breach", "announcement", {"acme", "breach"}, "2023-12-04"), "Acme"),
                         by(told("b", "y|acme discloses", "announcement", {"acme"}, "2023-12-05"), "Acme")});
  REQUIRE(t.entries.size() == 1);
  CHECK(t.entries[0].date.value == "2023-12-04");
  auto same = merge::merge({told("a", "x|acme launches phone", "product launch", {"acme", "phone"}, "2024-05-01"),
                            told("a", "y|acme launches watch", "product launch", {"acme", "watch"}, "2024-05-01")});
  CHECK(same.entries.size() == 2);
}

TEST_CASE("one event dated a day apart by two sources is one entry, each mention keeping its own date") {
  // Time zones and publication days: "on Monday" in one source is "on
  // Tuesday" or "yesterday" in another. Regression: such mentions of one
  // identity used to become two entries in conflict (a split event).
  auto t = merge::merge({mention("a", "x|acme recalls cars", "2024-03-04"), mention("b", "x|acme recalls cars", "2024-03-05"),
                         mention("c", "x|acme recalls cars", "2024-03-05")});
  REQUIRE(t.entries.size() == 1);
  CHECK(t.entries[0].conflicts_with.empty());
  CHECK(t.entries[0].date.value == "2024-03-05");  // the day more sources give
  REQUIRE(t.entries[0].mentions.size() == 3);
  CHECK(t.entries[0].mentions[0].date->value == "2024-03-04");
}

TEST_CASE("days further apart, one source giving two days, or a recurring event stay separate entries") {
  auto far = merge::merge({mention("a", "x|acme recalls cars", "2024-03-04"), mention("b", "x|acme recalls cars", "2024-03-06")});
  CHECK(far.entries.size() == 2);
  CHECK_FALSE(far.entries[0].conflicts_with.empty());
  auto self = merge::merge({mention("a", "x|acme recalls cars", "2024-03-04"), mention("a", "x|acme recalls cars", "2024-03-05")});
  CHECK(self.entries.size() == 2);
  auto recurring = merge::merge({mention("a", "x|shares fall", "2024-03-04", true), mention("b", "x|shares fall", "2024-03-05", true)});
  CHECK(recurring.entries.size() == 2);
  // A chain of three days does not become one entry: its ends are two days apart.
  auto chain = merge::merge({mention("a", "x|acme recalls cars", "2024-03-04"), mention("b", "x|acme recalls cars", "2024-03-05"),
                             mention("c", "x|acme recalls cars", "2024-03-06")});
  CHECK(chain.entries.size() == 2);
}


TEST_CASE("two events of one actor under different categories stay apart though they share the actor's words") {
  // "European Union clears bid" and "European Union clinches agreement on
  // rules" share two words, both of the actor's name.
  auto t = merge::merge({by(told("a", "x|european union clears bid", "regulation", {"bid", "clears", "european", "union"}, "2023"),
                            "European Union"),
                         by(told("b", "y|european union clinches agreement", "agreement", {"agreement", "clinches", "european", "union"},
                                 "2023-12-08"),
                            "European Union"),
                         by(told("b", "z|acme launches phone", "product launch", {"acme", "phone"}, "2023-12-08"), "Acme"),
                         by(told("b", "w|acme sues brill", "lawsuit", {"acme", "brill", "sues"}, "2023-12-08"), "Acme")});
  CHECK(t.entries.size() == 4);
}

TEST_CASE("an entry that names only its actor joins that actor's entry of another source and takes its title") {
  auto t = merge::merge({by(told("a", "x|trump signs", "agreement", {"trump"}, "2025-02-01"), "Trump"),
                         by(told("b", "y|trump orders 25% tariffs", "other", {"25", "tariffs", "trump"}, "2025-02-01"), "Trump")});
  REQUIRE(t.entries.size() == 1);
  CHECK(t.entries[0].title == "y|trump orders 25% tariffs");
  CHECK(t.entries[0].category == "other");
  CHECK(t.entries[0].event_id == merge::event_id("y|trump orders 25% tariffs", "2025-02-01"));
}

TEST_CASE("an entry that names only its actor joins that actor's entry of the same source and day") {
  // "..., Brockman has revealed": the report of an event the sentence also states.
  auto t = merge::merge({by(told("a", "x|brockman reveals", "announcement", {"brockman"}, "2023-11-17"), "Brockman"),
                         by(told("a", "y|greg brockman fired", "appointment", {"brockman", "fired", "greg"}, "2023-11-17"), "Greg Brockman")});
  REQUIRE(t.entries.size() == 1);
  CHECK(t.entries[0].category == "appointment");
}

TEST_CASE("regression: 3,000 conflicting dates of one event name at most kConflictsListed others each and count them all, not 9 million ids") {
  merge::MentionQueue ms;
  auto day = temporal::parse_iso_day("2020-01-01");
  REQUIRE(day);
  // Two days apart: sources a day apart may tell one event (merge.h).
  for (int i = 0; i < 3000; ++i) ms.push_back(mention("s" + std::to_string(i), "r|x", temporal::format_iso_day(*day + date::days(2 * i))));
  // Two sources agree on the first day: the best-supported date, named by every other entry.
  ms.push_back(mention("again", "r|x", "2020-01-01"));
  auto t = merge::merge(std::move(ms));
  REQUIRE(t.entries.size() == 3000);
  std::size_t ids = 0;
  for (auto& e : t.entries) {
    CHECK(e.conflict_count == 2999);
    CHECK(e.conflicts_with.size() == merge::kConflictsListed);
    CHECK(std::find(e.conflicts_with.begin(), e.conflicts_with.end(), e.event_id) == e.conflicts_with.end());
    ids += e.conflicts_with.size();
  }
  CHECK(ids == 3000 * merge::kConflictsListed);
  std::string best = t.entries.front().event_id;  // 2020-01-01 sorts first
  REQUIRE(t.entries.front().mentions.size() == 2);
  for (std::size_t i = 1; i < t.entries.size(); ++i)
    CHECK(std::find(t.entries[i].conflicts_with.begin(), t.entries[i].conflicts_with.end(), best) != t.entries[i].conflicts_with.end());
}

namespace {
EventMention saying(EventMention m, std::string evidence) {
  m.evidence = std::move(evidence);
  return m;
}
}  // namespace

TEST_CASE("sources whose identities share no word merge when their evidence sentences share two names") {
  // "a judge ruled" / "Judge Ada Ruiz handed Corvid a defeat": the actors
  // differ, the sentences both name Corvid and a judge.
  auto t = merge::merge(
      {saying(told("a", "x|judge", "lawsuit", {"judge"}, "2024-06-03"), "The search engine run by Corvid broke the law, a judge ruled on Monday."),
       saying(told("b", "y|ada ruiz corvid defeat", "lawsuit", {"ada", "corvid", "defeat", "ruiz"}, "2024-06-03"),
              "On that day Judge Ada Ruiz handed Corvid a defeat.")});
  CHECK(t.entries.size() == 1);
}

TEST_CASE("evidence names alone never merge one source's events, other categories, one shared name or days apart") {
  const std::string ruling = "In the end Corvid lost, Judge Ada Ruiz ruled.";
  const std::string fine = "Later Judge Ada Ruiz fined Corvid.";
  // One article, two events of one kind on one day that name the same people.
  auto same = merge::merge({saying(told("a", "x|ruiz rules", "lawsuit", {"rules", "ruiz"}, "2024-06-03"), ruling),
                            saying(told("a", "y|corvid fined", "lawsuit", {"corvid", "fined"}, "2024-06-03"), fine)});
  CHECK(same.entries.size() == 2);
  // The verb class tells a ruling from an acquisition, whatever the names.
  auto other = merge::merge({saying(told("a", "x|ruiz rules", "lawsuit", {"rules", "ruiz"}, "2024-06-03"), ruling),
                             saying(told("b", "y|corvid buys", "acquisition", {"buys", "corvid"}, "2024-06-03"), fine)});
  CHECK(other.entries.size() == 2);
  // One name in common is not enough ("Then Corvid ..." / "... Corvid ...").
  auto one = merge::merge({saying(told("a", "x|k1", "lawsuit", {"k1"}, "2024-06-03"), "Shares of Corvid fell."),
                           saying(told("b", "y|k2", "lawsuit", {"k2"}, "2024-06-03"), "Analysts said Corvid would appeal.")});
  CHECK(one.entries.size() == 2);
  // A day apart, neither dated by its publication day: two days, two events.
  auto apart = merge::merge({saying(told("a", "x|ruiz rules", "lawsuit", {"rules", "ruiz"}, "2024-06-03"), ruling),
                             saying(told("b", "y|corvid fined", "lawsuit", {"corvid", "fined"}, "2024-06-04"), fine)});
  CHECK(apart.entries.size() == 2);
  // ... but news of the publication day may report yesterday's event.
  auto reported = told("b", "y|corvid fined", "lawsuit", {"corvid", "fined"}, "2024-06-04");
  reported.date_basis = "publication";
  auto told_next_day = merge::merge({saying(told("a", "x|ruiz rules", "lawsuit", {"rules", "ruiz"}, "2024-06-03"), ruling),
                                     saying(reported, fine)});
  CHECK(told_next_day.entries.size() == 1);
}

TEST_CASE("an entry that matches two groups of one event ties them into one entry whatever the input order") {
  // Regression: the pass joined an entry to the first group it matched, so
  // "United States to hold off" (actor only) stayed apart from the pause
  // that a third source told with both actors.
  std::vector<EventMention> ms{
      by(told("a", "x|trump tariff pause", "tariff", {"pause", "tariff", "trump"}, "2025-02-03"), "Trump"),
      by(told("b", "y|united states", "other", {"states", "united"}, "2025-02-03"), "United States"),
      by(told("c", "z|united states tariff pause", "tariff", {"pause", "states", "tariff", "united"}, "2025-02-03"), "United States")};
  for (int rotation = 0; rotation < 3; ++rotation) {
    std::rotate(ms.begin(), ms.begin() + 1, ms.end());
    auto t = merge::merge(merge::MentionQueue(ms.begin(), ms.end()));
    REQUIRE(t.entries.size() == 1);
    CHECK(t.entries[0].source_files() == std::vector<std::string>{"a", "b", "c"});
  }
}

TEST_CASE("an entry that matches two groups does not tie them when they share a source") {
  // Source a tells two tariff moves of one day, one per country; b's
  // objectless "Trump acts" may join one of them, never fuse the two.
  auto t = merge::merge({by(told("a", "x|trump canada tariff", "tariff", {"canada", "tariff", "trump"}, "2025-02-03"), "Trump"),
                         by(told("a", "y|trump mexico levy", "tariff", {"levy", "mexico", "trump"}, "2025-02-03"), "Trump"),
                         by(told("b", "z|trump", "other", {"trump"}, "2025-02-03"), "Trump")});
  REQUIRE(t.entries.size() == 2);
  CHECK(t.entries[0].mentions.size() + t.entries[1].mentions.size() == 3);
}

TEST_CASE("an anonymous entry joins the one named entry of its category whose date nests with its own") {
  // "The transaction, announced in May 2022, ..." names nobody; another
  // source says who bought whom that year.
  auto t = merge::merge({saying(told("a", "x|transaction announced", "acquisition", {"announced", "transaction"}, "2022-05"),
                                "The transaction, announced in May 2022, made the chipmaker bigger."),
                         by(saying(told("b", "y|corvid kestrel", "acquisition", {"corvid", "kestrel"}, "2022"),
                                   "Corvid announced its plan to buy Kestrel in 2022."),
                            "Corvid")});
  REQUIRE(t.entries.size() == 1);
  CHECK(t.entries[0].date.value == "2022-05");
}

TEST_CASE("an anonymous entry stays alone beside two candidates, its own source, another category or a date that does not nest") {
  auto anonymous = [] {
    return saying(told("a", "x|deal announced", "acquisition", {"announced", "deal"}, "2022-05"), "The deal was announced in May 2022.");
  };
  auto named = [](std::string file, std::string who, std::string category, std::string date) {
    return by(saying(told(file, "y|" + who, category, {who}, date), "Then " + who + " bought Brill."), who);
  };
  // Two acquisitions in May 2022 from other sources: which one?
  CHECK(merge::merge({anonymous(), named("b", "corvid", "acquisition", "2022"), named("c", "ansel", "acquisition", "2022-05-10")})
            .entries.size() == 3);
  // The same source names the buyer elsewhere: that source tells two events.
  CHECK(merge::merge({anonymous(), named("a", "corvid", "acquisition", "2022")}).entries.size() == 2);
  CHECK(merge::merge({anonymous(), named("b", "corvid", "lawsuit", "2022")}).entries.size() == 2);
  CHECK(merge::merge({anonymous(), named("b", "corvid", "acquisition", "2022-06")}).entries.size() == 2);
  // Two anonymous entries never join each other this way (without a word in common).
  CHECK(merge::merge({anonymous(), saying(told("b", "z|merger unveiled", "acquisition", {"merger", "unveiled"}, "2022"),
                                          "The merger was unveiled in 2022.")})
            .entries.size() == 2);
}

TEST_CASE("one common word shared by two kinds of event of one day joins nothing, a name or one kind does") {
  // "Every one of the tariffs was to kick in" / "Ruritania responded with its
  // own tariffs": both tariff events of that day, not one event.
  auto kinds = merge::merge({saying(told("a", "takes-effect|vance tariffs effect", "tariff", {"effect", "tariffs", "vance"}, "2025-02-04"),
                                    "The tariffs Vance ordered were to kick in on Tuesday."),
                             by(saying(told("b", "retaliation|ruritania own tariffs", "tariff", {"ruritania", "tariffs"}, "2025-02-04"),
                                       "Ruritania responded with its own tariffs."),
                                "Ruritania")});
  CHECK(kinds.entries.size() == 2);
  // The same kind of event told by two sources: one word is enough.
  auto kind = merge::merge({saying(told("a", "takes-effect|tariffs effect", "tariff", {"effect", "tariffs"}, "2025-02-04"),
                                   "Every one of the tariffs was to kick in on Tuesday."),
                            saying(told("b", "takes-effect|import tax effect", "tariff", {"effect", "import", "tax"}, "2025-02-04"),
                                   "Goods face an import tax, which would take effect on Tuesday.")});
  CHECK(kind.entries.size() == 1);
}

TEST_CASE("evidence names that neither side names as actor or object do not corroborate") {
  // A story of many events: every sentence names the same leader and country.
  auto t = merge::merge({by(saying(told("a", "x|treasury import tax effect", "tariff", {"effect", "import", "tax", "treasury"}, "2025-02-04"),
                                   "Over the weekend President Vance said Ruritanian goods would face an import tax, the Treasury said."),
                            "Treasury"),
                         by(saying(told("b", "y|ruritania own tariffs", "tariff", {"own", "ruritania", "tariffs"}, "2025-02-04"),
                                   "After Vance put levies on Ruritanian goods, Ruritania answered with its own tariffs."),
                            "Ruritania")});
  CHECK(t.entries.size() == 2);
}

namespace {
// A mention told at bytes [begin, end) of a sentence that starts at byte `sentence` of its source.
EventMention at(EventMention m, std::size_t sentence, std::size_t begin, std::size_t end) {
  m.sentence = {sentence, sentence + 200};
  m.match = {begin, end};
  return m;
}
}  // namespace

TEST_CASE("two clauses of one sentence, one naming no actor, tell one event and join though their source is shared") {
  // "The Halden bridge collapsed on Tuesday when a tanker rammed into its
  // span": the collapse and the crash are one happening; a second source
  // that tells only the collapse joins them.
  const std::string both = "The Halden Bridge in Osk collapsed on Tuesday when a tanker rammed into its span.";
  auto t = merge::merge({at(saying(told("a", "collapse|halden bridge collapse", "disaster", {"bridge", "collapse", "halden"}, "2024-03-26"), both), 0, 0, 40),
                         at(saying(told("a", "crash|tanker crash", "disaster", {"crash", "tanker"}, "2024-03-26"), both), 0, 50, 80),
                         at(saying(told("b", "collapse|osk bridge collapse", "disaster", {"bridge", "collapse", "osk"}, "2024-03-26"),
                                   "In Osk the Halden Bridge fell on Tuesday."),
                            0, 0, 30)});
  REQUIRE(t.entries.size() == 1);
  CHECK(t.entries[0].source_files() == std::vector<std::string>{"a", "b"});
}

TEST_CASE("one sentence keeps two events apart when both name actors, the categories differ, one clause is inside the other or the sentences differ") {
  const std::string markets = "On Tuesday Corvid shares rose 3% and Kestrel shares fell 2%.";
  // Two named actors: two market moves.
  auto named = merge::merge({by(at(saying(told("a", "m|corvid shares", "market", {"corvid", "shares"}, "2024-03-26"), markets), 0, 11, 35), "Corvid"),
                             by(at(saying(told("a", "m|kestrel shares", "market", {"kestrel", "shares"}, "2024-03-26"), markets), 0, 40, 60), "Kestrel")});
  CHECK(named.entries.size() == 2);
  const std::string storm = "The Halden Bridge in Osk collapsed on Tuesday and a tanker sank in the bay.";
  // Another category: a collapse and a recall told side by side.
  auto other = merge::merge({at(saying(told("a", "collapse|halden bridge collapse", "disaster", {"bridge", "collapse", "halden"}, "2024-03-26"), storm), 0, 0, 40),
                             at(saying(told("a", "recall|tanker recall", "recall", {"recall", "tanker"}, "2024-03-26"), storm), 0, 50, 70)});
  CHECK(other.entries.size() == 2);
  // An embedded clause: "the six missing since the bridge collapsed are
  // presumed dead" tells the collapse as background of the casualties.
  const std::string dead = "On Tuesday the six missing since the Halden Bridge in Osk collapsed are presumed dead.";
  auto embedded = merge::merge({at(saying(told("a", "dead|six presumed dead", "disaster", {"dead", "presumed", "six"}, "2024-03-26"), dead), 0, 11, 85),
                                at(saying(told("a", "collapse|halden bridge collapse", "disaster", {"bridge", "collapse", "halden"}, "2024-03-26"), dead), 0, 32, 65)});
  CHECK(embedded.entries.size() == 2);
  // Two sentences of one source: the rule for one source (two shared words) holds.
  auto apart = merge::merge({at(saying(told("a", "collapse|halden bridge collapse", "disaster", {"bridge", "collapse", "halden"}, "2024-03-26"), storm), 0, 0, 40),
                             at(saying(told("a", "crash|tanker crash", "disaster", {"crash", "tanker"}, "2024-03-26"), storm), 300, 310, 330)});
  CHECK(apart.entries.size() == 2);
}
