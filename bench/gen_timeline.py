#!/usr/bin/env python3
"""Generates a big timeline as `annals extract` would write it (JSON Lines
records, interchange/records.h), for `annals merge` to turn into pages:

    bench/gen_timeline.py --entries 10000 > /tmp/10k.jsonl
    build/annals merge /tmp/10k.jsonl --out /tmp/10k --format html,csv
    bench/gen_timeline.py --entries 100000 --buckets 2 --bucket-dir /tmp/b     (bucket files, for merge --entries)

Merging the output gives exactly --entries timeline entries (the script counts
them as merge will: one per event, one per competing date of a disputed
event, one per date of a recurring event). What it holds, so that the page
meets what a big archive brings:

- dates at every granularity (days most, then months, years, weeks,
  quarters, seasons, halves, a few decades), in bursts ("story arcs") over
  2016-2025, with a thin tail of older events back to the 1950s;
- ten categories, 1-5 mentions per event from different sources (a few
  events have 40-120, the first always: the lists the page must cap), mentions that give a
  coarser date than the entry's, mentions whose own date is unresolved;
- disputed events (two to twelve competing dates), recurring events;
- about a fifth of the sources in near-duplicate groups (one of 30),
  undated mentions, sources with and without outlet, title and url.

All text is made up here from word lists; the seed makes it reproducible.
"""
import argparse
import base64
import datetime as dt
import json
import random
import struct
import sys

CATEGORIES = {
    "model release": (["released", "launched", "unveiled", "open-sourced"], ["model", "assistant", "toolkit", "chip"]),
    "export control": (["restricted exports of", "tightened licences for", "banned shipments of"], ["processors", "lithography tools", "battery materials", "sensors"]),
    "regulation": (["adopted rules on", "issued guidance on", "approved a law on"], ["data transfers", "recommendation algorithms", "drone flights", "online payments"]),
    "investment": (["invested in", "raised funds for", "committed money to"], ["a chip plant", "a research campus", "a solar farm", "a data centre"]),
    "meeting": (["met", "held talks with", "hosted"], ["trade ministers", "a delegation", "union leaders", "the central bank"]),
    "policy report": (["published a report on", "released a review of", "issued a white paper on"], ["supply chains", "energy prices", "computing capacity", "port traffic"]),
    "lawsuit": (["sued", "filed a complaint against", "settled with"], ["a rival", "a regulator", "former employees", "a supplier"]),
    "election": (["won a vote in", "called an election in", "lost a seat in"], ["the northern region", "the capital", "the coastal district", "parliament"]),
    "protest": (["faced protests over", "saw strikes over", "drew crowds against"], ["fuel taxes", "pension reform", "factory closures", "rent increases"]),
    "merger": (["agreed to buy", "merged with", "took a stake in"], ["a logistics group", "a software maker", "a regional bank", "a shipping line"]),
}
ACTOR_PARTS = (["North", "Blue", "Iron", "Silver", "Harbor", "Summit", "Delta", "Maple", "Cedar", "Orion", "Nova", "Granite"],
               ["Labs", "Systems", "Holdings", "Ministry", "Works", "Group", "Council", "Energy", "Motors", "Bank"])
OUTLETS = ["Daily Ledger", "Morning Wire", "The Observer Post", "Harbor Times", "Metro Chronicle", "Evening Standard Review",
           "Capital Report", "Pacific Bulletin", "Northern Herald", "Tech Dispatch", "Market Signal", "Civic Gazette",
           "The Weekly Brief", "Global Desk", "Valley Courier", "Union Record", "Atlas News", "Frontier Journal",
           "River City Press", "Open Newsroom"]
CLAUSES = ["according to people familiar with the matter", "the company said in a statement", "officials told reporters",
           "a move analysts had expected for months", "which surprised several investors", "after weeks of negotiation",
           "in a filing seen by this newspaper", "two people briefed on the plan said", "ending a long period of uncertainty",
           "as pressure from rivals grew"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

# (granularity, weight) for the date an entry ends up with.
GRANULARITIES = [("day", 60), ("month", 16), ("year", 8), ("week", 7), ("quarter", 4), ("season", 2), ("half", 1), ("decade", 2)]


def iso(d):
    return d.isoformat()


def last_of_month(y, m):
    return (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1))


def timeml(day, granularity):
    """(value, text, first, last) of the date at `granularity` that holds `day`."""
    y, m = day.year, day.month
    if granularity == "day":
        return iso(day), f"{day.day} {MONTHS[m - 1]} {y}", day, day
    if granularity == "week":
        monday = day - dt.timedelta(days=day.weekday())
        iy, iw, _ = monday.isocalendar()
        return f"{iy}-W{iw:02}", f"the week of {monday.day} {MONTHS[monday.month - 1]} {monday.year}", monday, monday + dt.timedelta(days=6)
    if granularity == "month":
        return f"{y}-{m:02}", f"{MONTHS[m - 1]} {y}", dt.date(y, m, 1), last_of_month(y, m)
    if granularity == "quarter":
        q = (m - 1) // 3 + 1
        return f"{y}-Q{q}", f"the {['first', 'second', 'third', 'fourth'][q - 1]} quarter of {y}", dt.date(y, 3 * q - 2, 1), last_of_month(y, 3 * q)
    if granularity == "half":
        h = 1 if m <= 6 else 2
        return f"{y}-H{h}", f"the {'first' if h == 1 else 'second'} half of {y}", dt.date(y, 6 * h - 5, 1), last_of_month(y, 6 * h)
    if granularity == "season":
        # spring MAR-MAY, summer JUN-AUG, autumn SEP-NOV; winter spans two years: a month instead
        if m in (12, 1, 2):
            return timeml(day, "month")
        s = (m - 3) // 3
        code, name = [("SP", "spring"), ("SU", "summer"), ("FA", "autumn")][s]
        return f"{y}-{code}", f"{name} {y}", dt.date(y, 3 + 3 * s, 1), last_of_month(y, 5 + 3 * s)
    if granularity == "year":
        return f"{y}", f"{y}", dt.date(y, 1, 1), dt.date(y, 12, 31)
    if granularity == "decade":
        d0 = y // 10 * 10
        return f"{d0 // 10}", f"the {d0}s", dt.date(d0, 1, 1), dt.date(d0 + 9, 12, 31)
    raise ValueError(granularity)


class Generator:
    def __init__(self, entries, seed):
        self.target = entries
        self.rng = random.Random(seed)
        self.sources = []   # (file, info dict, signature list or None)
        self.mentions = []  # mention records
        self.entries = 0

    def pick(self, items):
        return items[self.rng.randrange(len(items))]

    def actor(self):
        return f"{self.pick(ACTOR_PARTS[0])} {self.pick(ACTOR_PARTS[1])}"

    def make_sources(self):
        n = max(40, self.target // 5)
        groups_left = n // 10  # sources that get a near-duplicate partner
        files = []
        for i in range(n):
            region = self.pick(["wire", "national", "business", "regional"])
            files.append(f"archive/{region}/story-{i:05}.txt")
        signature_of = {}
        # One big syndication group, then pairs and triples.
        big = [files[i] for i in range(30)]
        shared = [self.rng.getrandbits(16) for _ in range(256)]
        for f in big:
            signature_of[f] = shared
        i = 30
        while groups_left > 0 and i + 3 < n:
            size = self.pick([2, 2, 3])
            shared = [self.rng.getrandbits(16) for _ in range(256)]
            for f in files[i:i + size]:
                signature_of[f] = shared
            i += size
            groups_left -= size
        for f in files:
            info = {"file": f, "title": "", "outlet": "", "url": "", "published": None, "published_from": ""}
            r = self.rng.random()
            if r < 0.8:
                info["outlet"] = self.pick(OUTLETS)
            if r < 0.7:
                info["url"] = f"https://news.example.org/{f.split('/')[1]}/{f.split('/')[-1][:-4]}"
            sig = signature_of.get(f) or [self.rng.getrandbits(16) for _ in range(256)]
            self.sources.append({"file": f, "info": info, "signature": sig})

    def source_for(self, day, used):
        for _ in range(20):
            s = self.pick(self.sources)
            if s["file"] not in used:
                break
        used.add(s["file"])
        return s

    def event_day(self):
        if self.rng.random() < 0.01:
            return dt.date(self.rng.randrange(1950, 2015), self.rng.randrange(1, 13), self.rng.randrange(1, 29))
        arc = self.arcs[self.rng.randrange(len(self.arcs))]
        day = arc + dt.timedelta(days=int(self.rng.gauss(0, 25)))
        return min(max(day, dt.date(2016, 1, 1)), dt.date(2025, 12, 31))

    def granularity(self):
        total = sum(w for _, w in GRANULARITIES)
        r = self.rng.randrange(total)
        for g, w in GRANULARITIES:
            if r < w:
                return g
            r -= w
        return "day"

    def mention(self, ev, source, date, undated_reason=None):
        verb, obj = ev["verb"], ev["object"]
        clause = self.pick(CLAUSES)
        info = dict(source["info"])
        if date:
            value, text, first, last = date
            if info["published"] is None:
                pub = max(last, first) + dt.timedelta(days=self.rng.randrange(0, 15))
                info["published"] = iso(pub)
                info["published_from"] = self.pick(["sources.toml", "front matter", "html meta", "dateline"])
                source["info"]["published"], source["info"]["published_from"] = info["published"], info["published_from"]
                if not info["title"]:
                    source["info"]["title"] = info["title"] = f"{ev['actor']} and the {obj} question"
            head = f"In {text}, " if not text[0].isdigit() else f"On {text}, "
        else:
            text = self.pick(["last week", "on Tuesday", "this month", "recently"])
            head = f"{text[0].upper()}{text[1:]}, "
        event_text = f"{ev['actor']} {verb} {obj}"
        evidence = f"{head}{event_text}, {clause}."
        ev_start = len(head)
        m = {"record": "mention", "rule": ev["rule"], "title": ev["title"], "identity": ev["identity"],
             "category": ev["category"], "recurring": ev["recurring"], "actors": [ev["actor"]], "tags": [],
             "source": info, "evidence": evidence,
             "match": {"start": 100 + ev_start, "end": 100 + ev_start + len(event_text)},
             "sentence": {"start": 100, "end": 100 + len(evidence)},
             "evidence_event": {"start": ev_start, "end": ev_start + len(event_text)}}
        date_start = evidence.index(text) if text in evidence else 0
        d = {"text": text, "rule": "date.generated", "type": "DATE", "start": 100 + date_start, "end": 100 + date_start + len(text)}
        if date:
            d.update({"value": date[0], "date_start": iso(date[2]), "date_end": iso(date[3])})
        else:
            d.update({"value": "", "date_start": None, "date_end": None,
                      "unresolved": undated_reason or "relative date and the source has no publication date"})
        m["date"] = d
        m["evidence_date"] = {"start": date_start, "end": date_start + len(text)}
        self.mentions.append(m)

    def event(self, number):
        category = self.pick(list(CATEGORIES))
        verbs, objects = CATEGORIES[category]
        actor = self.actor()
        verb, obj = self.pick(verbs), self.pick(objects)
        obj = f"{obj} {number}" if self.rng.random() < 0.5 else obj
        rule = category.replace(" ", "-")
        return {"category": category, "actor": actor, "verb": verb, "object": obj, "rule": rule,
                "title": f"{actor} {verb} {obj}", "identity": f"{rule}|{actor} {verb} {obj} #{number}",
                "recurring": self.rng.random() < 0.05}

    def mention_count(self, number):
        if number % 400 == 1:  # one event in 400, the first among them, has a long list
            return self.rng.randrange(40, 121)
        r = self.rng.random()
        if r < 0.55:
            return 1
        if r < 0.80:
            return 2
        if r < 0.92:
            return 3
        return self.rng.randrange(4, 6)

    def run(self):
        self.make_sources()
        self.arcs = [dt.date(2016, 1, 1) + dt.timedelta(days=self.rng.randrange(0, 3650)) for _ in range(max(20, self.target // 30))]
        number = 0
        while self.entries < self.target:
            number += 1
            ev = self.event(number)
            left = self.target - self.entries
            disputed = not ev["recurring"] and self.rng.random() < 0.02 and left >= 2
            dates = 1
            if disputed:
                dates = min(left, 2 if self.rng.random() < 0.9 else self.rng.randrange(3, 13))
            elif ev["recurring"] and left >= 2 and self.rng.random() < 0.5:
                dates = 2
            g = self.granularity()
            used = set()
            base = self.event_day()
            day = base
            for k in range(dates):
                if k:  # a competing date: after the previous one, not nested with it
                    day = timeml(day, g)[3] + dt.timedelta(days=1 + self.rng.randrange(0, 30))
                date = timeml(day, g)
                count = self.mention_count(number)
                for j in range(count):
                    source = self.source_for(day, used)
                    # Some mentions give a coarser date that contains the entry's
                    # (not for an event with several dates: it could hold two of them).
                    coarser = {"day": "month", "week": "month", "month": "year"}.get(g) if dates == 1 else None
                    wider = coarser and timeml(day, coarser)
                    if j > 0 and wider and wider[2] <= date[2] and date[3] <= wider[3] and self.rng.random() < 0.15:
                        self.mention(ev, source, wider)
                    else:
                        self.mention(ev, source, date)
                # A once-only event with one entry also takes mentions whose date is unresolved.
                if dates == 1 and not ev["recurring"] and self.rng.random() < 0.03:
                    self.mention(ev, self.source_for(day, used), None)
                self.entries += 1
        # Undated mentions of events the timeline cannot place.
        for _ in range(max(3, self.target // 50)):
            number += 1
            ev = self.event(number)
            self.mention(ev, self.pick(self.sources), None, "no date in the same sentence")

    def write(self, out):
        by_file = {}
        for m in self.mentions:
            by_file.setdefault(m["source"]["file"], []).append(m)
        for s in self.sources:
            mentions = by_file.get(s["file"], [])
            out.write(json.dumps({"record": "source", "source": s["info"],
                                  "signature": base64.b64encode(struct.pack(">256H", *s["signature"])).decode(),
                                  "rules": "rules", "fingerprint": "gen_timeline.py", "mentions": len(mentions)},
                                 ensure_ascii=False) + "\n")
            for m in mentions:
                m["source"] = s["file"]  # its metadata is in the source record
                out.write(json.dumps(m, ensure_ascii=False) + "\n")
        out.write(json.dumps({"record": "end", "sources": len(self.sources)}) + "\n")


FNV_BASIS, FNV_PRIME = 1469598103934665603, 1099511628211  # core/hash.h's


def fnv1a(data):
    h = FNV_BASIS
    for b in data:
        h = ((h ^ b) * FNV_PRIME) & 0xFFFFFFFFFFFFFFFF
    return h


def write_buckets(g, buckets, task, folder, unsorted):
    """The bucket files of one map task (interchange/shards.h) holding every generated mention: sorted by
    identity, as `annals extract --buckets` writes them, or (unsorted) in the layout older annals wrote, for
    `annals merge --entries` over a bucket bigger than a corpus gives."""
    import os
    os.makedirs(folder, exist_ok=True)
    info = {s["file"]: s["info"] for s in g.sources}
    of_bucket = [[] for _ in range(buckets)]
    for m in g.mentions:
        m = dict(m, source=m["source"]["file"])  # its metadata is in the source record
        line = json.dumps(m, ensure_ascii=False)
        of_bucket[fnv1a(m["identity"].encode()) % buckets].append((m["identity"].encode(), m["source"], line))
    origin = {"rules": "rules", "fingerprint": "gen_timeline.py"}
    for b, held in enumerate(of_bucket):
        by_file = {}
        for identity, f, line in held:
            by_file.setdefault(f, []).append(line)
        files = sorted(by_file, key=lambda f: f.encode())
        task_record = {"record": "task", "task": task, "bucket": b, "buckets": buckets, "mentions": len(held), **origin}
        with open(os.path.join(folder, f"{task}.bucket-{b}-of-{buckets}.jsonl"), "w", encoding="utf-8") as out:
            if unsorted:
                for f in files:
                    out.write(json.dumps({"record": "source", "source": info[f], "signature": "", **origin,
                                          "mentions": len(by_file[f])}, ensure_ascii=False) + "\n")
                    out.write("".join(line + "\n" for line in by_file[f]))
                out.write(json.dumps(task_record) + "\n")
            else:
                out.write(json.dumps(dict(task_record, sources=len(files), order="identity")) + "\n")
                for f in files:
                    digest = sum(fnv1a(line.encode()) for line in by_file[f]) & 0xFFFFFFFFFFFFFFFF
                    out.write(json.dumps({"record": "source", "source": info[f], "signature": "", **origin,
                                          "mentions": len(by_file[f]), "digest": f"{digest:016x}"}, ensure_ascii=False) + "\n")
                held.sort(key=lambda h: h[0])  # stable: each identity's mentions as generated
                out.write("".join(line + "\n" for _, _, line in held))
            out.write(json.dumps({"record": "end", "sources": len(files)}) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--entries", type=int, default=1000, help="timeline entries the merge will produce (default 1000)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", help="file to write (default: stdout)")
    p.add_argument("--buckets", type=int, default=0,
                   help="write the bucket files of one map task instead (TASK.bucket-B-of-N.jsonl in --bucket-dir)")
    p.add_argument("--task", default="gen")
    p.add_argument("--bucket-dir", default=".")
    p.add_argument("--unsorted", action="store_true", help="with --buckets: the layout of an annals before issue 18's sorted files")
    a = p.parse_args()
    g = Generator(a.entries, a.seed)
    g.run()
    if a.buckets:
        write_buckets(g, a.buckets, a.task, a.bucket_dir, a.unsorted)
        print(f"gen_timeline: {g.entries} entries, {len(g.mentions)} mentions in {a.buckets} bucket file(s)", file=sys.stderr)
        return
    out = open(a.out, "w", encoding="utf-8") if a.out else sys.stdout
    g.write(out)
    if a.out:
        out.close()
    print(f"gen_timeline: {g.entries} entries, {len(g.mentions)} mentions, {len(g.sources)} sources", file=sys.stderr)


if __name__ == "__main__":
    main()
