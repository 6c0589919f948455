#!/usr/bin/env python3
"""Writes feeds/*.xml and labels.yaml of the lookalikes corpus from texts.py."""
import html, os, re
from email.utils import format_datetime
from datetime import datetime, timezone
from texts import *

here = os.path.dirname(os.path.abspath(__file__))

def dt(s):
    return datetime.strptime(s, "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc)

def to_html(blocks):
    out, inlist = [], False
    for b in blocks:
        if b.startswith("- "):
            if not inlist:
                out.append("<ul>"); inlist = True
            out.append("<li>%s</li>" % html.escape(b[2:], quote=False)); continue
        if inlist:
            out.append("</ul>"); inlist = False
        if b.startswith("## "):
            out.append("<h2>%s</h2>" % html.escape(b[3:], quote=False))
        elif b.startswith("```"):
            out.append("<pre><code>%s</code></pre>" % html.escape(b[3:], quote=False))
        else:
            out.append("<p>%s</p>" % html.escape(b, quote=False))
    if inlist:
        out.append("</ul>")
    return "\n".join(out)

PLACEHOLDER = "[Code block omitted. View it in the original post.]"
def to_text(blocks, code=PLACEHOLDER):
    out = []
    for b in blocks:
        if b.startswith("## "):
            out.append(b[3:])
        elif b.startswith("```"):
            if code: out.append(code)
        elif b.startswith("- "):
            out.append("* " + b[2:])
        else:
            out.append(b)
    return "\n\n".join(out)

# sources: file, name, canonical, kind (atom | rss-cdata | rss-text), site
SOURCES = [
    ("lanternfly-blog.atom.xml", "Lanternfly Blog", True, "atom", "https://lanternfly.example.org/blog/"),
    ("priya-natarajan.rss.xml", "Priya Natarajan", True, "rss-cdata", "https://priya.example.dev/"),
    ("jonas-weber.atom.xml", "Jonas Weber", True, "atom", "https://jonasweber.example.net/"),
    ("ops-weekly.rss.xml", "Ops Weekly", True, "rss-cdata", "https://opsweekly.example.com/"),
    ("cloud-commons.atom.xml", "Cloud Commons", False, "atom", "https://cloudcommons.example.org/"),
    ("lanternfly-announce.rss.xml", "lanternfly-announce archives", False, "rss-text", "https://lists.lanternfly.example.org/announce/"),
    ("mirrorlane.rss.xml", "Mirrorlane: cloud native", False, "rss-text", "https://mirrorlane.example.net/"),
    ("syndic8.rss.xml", "Syndic8", False, "rss-cdata", "https://syndic8.example.com/"),
    ("brightcloud-blog.rss.xml", "BrightCloud Blog", False, "rss-cdata", "https://brightcloud.example.com/blog/"),
]
ITEMS = {f: [] for f, *_ in SOURCES}
REF = {}

def item(key, file, slug, title, date, body, cats=(), author=None):
    """body: blocks (list) for html kinds, or a str for rss-text."""
    site = [s for s in SOURCES if s[0] == file][0][4]
    url = site + slug
    ITEMS[file].append(dict(key=key, title=title, url=url, date=dt(date), body=body, cats=list(cats), author=author))
    REF[key] = "%s#%s" % (file, url)
    return url

LB, PN, JW, OW, CC, AL, ML, SY, BC = [s[0] for s in SOURCES]
AL_FOOT = ["--", "You received this message because you are subscribed to the lanternfly-announce list. To unsubscribe, send an email to lanternfly-announce+unsubscribe@lists.lanternfly.example.org."]
CC_FOOT = ["Share this post: Mastodon · LinkedIn · Email", "Cloud Commons is a community blog for cloud native practitioners. Want to write for us? Send the editors a pitch."]
BC_FOOT = ["Share: LinkedIn · X · Email", "BrightCloud runs managed Kubernetes in 14 regions. Start a free trial today."]
SY_FOOT = ["Enjoyed this? Follow Syndic8 for more cloud native writing from around the web.", "Share: Mastodon · Bluesky · LinkedIn"]
def ml_foot(url): return "Mirrored by Mirrorlane from %s" % url
def al(blocks): return to_text(blocks + AL_FOOT)
def sy(author, url, blocks): return ["Originally published by %s at %s." % (author, url)] + blocks + SY_FOOT

# --- Lanternfly blog (canonical) ---
u = item("LB3", LB, "2025/04/02/we-merged-412-prs-in-march/", "We merged 412 PRs in March", "2025-04-02 10:00", LB3, ["community", "numbers"])
item("ML1", ML, "a/7101", "We merged 412 PRs in March", "2025-04-03 03:00", to_text(LB3) + "\n\n" + ml_foot(u))
u = item("LB1", LB, "2025/04/03/welcome-3-new-maintainers/", "Welcome, 3 new maintainers", "2025-04-03 14:00", LB1, ["community"])
# The list did not announce the first welcome (AL5 then finds no copy of its own in that entry).
# item("AL1", AL, "2025-April/000041.html", "[ANN] Please welcome our 3 newest maintainers", "2025-04-03 09:00", al(LB1))
item("CC4", CC, "2025/04/05/three-new-faces-lanternfly/", "Three new faces on the Lanternfly maintainer team", "2025-04-05 08:00",
     ["Reposted from the Lanternfly blog with permission."] + LB1 + CC_FOOT, ["lanternfly", "community"])
u = item("LB5", LB, "2025/04/10/patch-notes/", "Patch notes: fixed 3 bugs", "2025-04-10 12:00", LB5, ["release"])
item("AL2", AL, "2025-April/000044.html", "[ANN] Patch notes: fixed 3 bugs", "2025-04-10 08:00", al(LB5))
u = item("LB8", LB, "2025/04/15/rotating-workload-certificates/", "Rotating workload certificates with Lanternfly", "2025-04-15 09:00", LB8, ["tutorial"])
item("ML3", ML, "a/7188", "Rotating workload certificates with Lanternfly", "2025-04-17 03:00", to_text(LB8) + "\n\n" + ml_foot(u))
item("LB2", LB, "2025/04/24/5-new-maintainers-joined/", "5 new maintainers joined", "2025-04-24 14:00", LB2, ["community"])
item("AL3", AL, "2025-April/000049.html", "[ANN] Lanternfly 0.9.0-rc.1 is available for testing", "2025-04-28 16:00", al(AL3))
item("LB6", LB, "2025/04/29/patch-notes/", "Patch notes: fixed 7 bugs", "2025-04-29 12:00", LB6, ["release"])
item("LB7", LB, "2025/04/30/community-newsletter-april/", "Lanternfly community newsletter: April", "2025-04-30 10:00", LB7, ["community", "newsletter"])
item("LB4", LB, "2025/05/01/april-in-numbers/", "April in numbers: 398 PRs", "2025-05-01 10:00", LB4, ["community", "numbers"])
item("LB9", LB, "2025/05/06/faq/", "Lanternfly FAQ: the questions we get every week", "2025-05-06 10:00", LB9, ["docs"])
u = item("LB10", LB, "2025/05/08/ci-on-arm-runners/", "Why we moved the Lanternfly CI to ARM runners", "2025-05-08 10:00", LB10, ["ci", "infrastructure"])
item("SY3", SY, "p/lanternfly-ci-arm-1", "Why we moved the Lanternfly CI to ARM runners (part 1 of 2)", "2025-05-09 07:00",
     sy("the Lanternfly maintainers", u, LB10[:SPLIT] + ["Continued in part 2."]))
item("SY4", SY, "p/lanternfly-ci-arm-2", "Why we moved the Lanternfly CI to ARM runners (part 2 of 2)", "2025-05-10 07:00",
     sy("the Lanternfly maintainers", u, ["This is the second half of the Lanternfly maintainers' post on moving their CI to ARM runners. Part 1 covered why they moved and the first changes."] + LB10[SPLIT:]))
u = item("LB11", LB, "2025/05/12/commons-foundation-sandbox/", "Lanternfly joins the Commons Foundation sandbox", "2025-05-12 15:00", LB11, ["news"])
item("AL4", AL, "2025-May/000052.html", "[ANN] Lanternfly joins the Commons Foundation sandbox", "2025-05-12 13:00", al(LB11))
item("CC2", CC, "2025/05/13/lanternfly-commons-sandbox/", "Lanternfly is now a Commons Foundation sandbox project", "2025-05-13 08:00",
     ["Some news from one of our favourite projects this week. Lanternfly, the node-level mTLS project that several of our authors have written about, has a new home, and it is one that many of our readers will know.",
      "We asked the maintainers whether we could share their announcement here, and they kindly agreed. Here it is in full."] + LB11 + CC_FOOT, ["lanternfly", "news"])

# --- Priya Natarajan (canonical) ---
item("PN1", PN, "2025/04/07/liveness-probes/", "Liveness probes are not health checks", "2025-04-07 18:00", PN1, ["kubernetes"])
item("JW1", JW, "posts/liveness-probes-are-fine/", "Liveness probes are fine, actually", "2025-04-09 19:00", JW1, ["kubernetes", "reply"])
u = item("PN2", PN, "2025/04/14/pin-by-digest/", "Pin your base images by digest", "2025-04-14 18:00", PN2, ["containers"])
item("SY2", SY, "p/pin-your-base-images-by-digest", "Pin your base images by digest", "2025-04-15 07:00", sy("Priya Natarajan", u, PN2))
item("CC1", CC, "2025/04/18/friday-roundup/", "Friday roundup: knowing what you run", "2025-04-18 09:00", CC1 + CC_FOOT, ["roundup"])
u = item("PN3", PN, "2025/04/20/why-no-sidecar/", "Why Lanternfly does not need a sidecar", "2025-04-20 18:00", PN3, ["lanternfly"])
item("BC3", BC, "no-sidecars-needed", "No sidecars needed: how Lanternfly secures pods", "2025-04-23 13:00",
     ["This post by Priya Natarajan first appeared on her blog and is republished with permission."] + PN3 + BC_FOOT, ["partners"])
u = item("PN4", PN, "2025/04/22/debugging-dns-the-slow-way/", "Debugging DNS in Kubernetes, the slow way", "2025-04-22 18:00", PN4, ["kubernetes", "dns"])
us = {"recognise": "recognize", "organisation": "organization", "analyse": "analyze", "behaviour": "behavior", "optimised": "optimized"}
bc1 = []
skip = False
for b in PN4:
    if b.startswith("## "):
        skip = b == "## The ndots story"
    if skip:
        continue
    for k, v in us.items():
        b = b.replace(k, v)
    bc1.append(b)
item("BC1", BC, "methodical-kubernetes-dns-debugging", "A methodical approach to Kubernetes DNS debugging", "2025-04-25 13:00",
     ["This post by Priya Natarajan first appeared on her blog and is republished with permission."] + bc1 + BC_FOOT, ["partners", "dns"])
item("CC6", CC, "2025/04/28/april-meetup-recap/", "April meetup recap: platforms as products", "2025-04-28 09:00", CC6 + CC_FOOT, ["meetup"])
u = item("PN5", PN, "2025/05/02/kubectl-ev/", "A small kubectl plugin for reading events", "2025-05-02 18:00", PN5, ["kubectl"])
item("ML2", ML, "a/7302", "A small kubectl plugin for reading events", "2025-05-03 03:00", to_text(PN5) + "\n\n" + ml_foot(u))
u = item("PN6", PN, "2025/05/05/postgres-operators/", "Notes on running Postgres operators", "2025-05-05 18:00", PN6, ["databases"])
item("SY1", SY, "p/notes-on-running-postgres-operators", "Notes on running Postgres operators", "2025-05-06 07:00", sy("Priya Natarajan", u, PN6[:-1] + [SY1_LAST]))
u = item("PN7", PN, "2025/05/09/wait-not-sleep/", "Use kubectl wait, not sleep", "2025-05-09 18:00", PN7, ["ci"])
item("CC3", CC, "2025/05/10/tooling-tips-wait-dont-sleep/", "Tooling tips: wait, don't sleep", "2025-05-10 08:00",
     ["Each week in Tooling Tips we pick a short post from the community that saved one of us some time, and share it with a few words on why we liked it.",
      "This week's comes from Priya Natarajan, a Lanternfly maintainer who spends more time than she would like inside CI pipelines. It is three paragraphs long and it will make your builds faster."] + PN7 + CC_FOOT, ["tooling-tips"])
item("JW2", JW, "posts/wait-for-something/", "Wait for something", "2025-05-11 19:00", JW2, ["ci", "reply"])
u = item("PN8", PN, "2025/05/14/owner-labels/", "Label every namespace with an owner", "2025-05-14 18:00", PN8, ["governance"])
item("SY5", SY, "p/label-every-namespace-with-an-owner", "Label every namespace with an owner", "2025-05-15 07:00", sy("Priya Natarajan", u, PN8[:-1] + [SY5_LAST]))
item("JW5", JW, "posts/owner-labels-two-lessons/", "Owner labels: two lessons from the first week", "2025-05-20 19:00", PN8 + JW5_AFTER, ["governance", "reply"])

# --- Jonas Weber (canonical) ---
item("JW4", JW, "posts/three-years-own-registry/", "Three years of running our own registry", "2025-04-30 19:00", JW4, ["containers"])
item("CC5", CC, "2025/05/02/friday-roundup/", "Friday roundup: a short one", "2025-05-02 09:00", CC5 + CC_FOOT, ["roundup"])
item("JW3", JW, "posts/runbooks-that-rot/", "Runbooks that do not rot", "2025-05-03 19:00", JW3, ["sre"])

# --- Ops Weekly (canonical) ---
u = item("OW1", OW, "issues/meshes-without-sidecars", "Ops Weekly: meshes without sidecars", "2025-04-11 07:00", OW1, ["newsletter"])
item("ML4", ML, "a/7150", "Ops Weekly: meshes without sidecars", "2025-04-12 03:00", to_text(OW1) + "\n\n" + ml_foot(u))
item("OW2", OW, "issues/supply-chain-spring-cleaning", "Ops Weekly: supply chain spring cleaning", "2025-04-18 07:00", OW2, ["newsletter"])
u = item("OW3", OW, "issues/a-quiet-week", "Ops Weekly: a quiet week", "2025-04-25 07:00", OW3, ["newsletter"])
item("ML5", ML, "a/7260", "Ops Weekly: a quiet week", "2025-04-26 03:00", to_text(OW3) + "\n\n" + ml_foot(u))
item("OW4", OW, "issues/observability-budgets", "Ops Weekly: observability budgets", "2025-05-02 07:00", OW4, ["newsletter"])


# --- Platform Pulse: a newsletter the planet sees only through two mirrors ---
item("MLP1", ML, "a/7230", "Platform Pulse: golden paths and deprecations", "2025-04-21 03:00", to_text(PP_A) + "\n\n" + ml_foot("https://platformpulse.example.com/issues/golden-paths"))
item("SYP2", SY, "p/platform-pulse-naming-environments", "Platform Pulse: naming things", "2025-04-28 07:00", sy("Platform Pulse", "https://platformpulse.example.com/issues/naming-things", PP_B))
item("SYP3", SY, "p/platform-pulse-scorecards", "Platform Pulse: scorecards and maturity", "2025-05-05 07:00", sy("Platform Pulse", "https://platformpulse.example.com/issues/scorecards", PP_C))
# --- list copies posted hours before the blog (the list has no copy of the earlier template post) ---
item("AL5", AL, "2025-April/000047.html", "[ANN] Please welcome our 5 newest maintainers", "2025-04-24 09:00", al(LB2))
item("AL6", AL, "2025-May/000050.html", "[ANN] April in numbers: 398 PRs", "2025-05-01 08:00", al(LB4))

# --- BrightCloud own post ---
item("BC2", BC, "managed-dns-caching", "Introducing managed DNS caching", "2025-05-07 13:00", BC2 + BC_FOOT, ["product", "dns"])

SAME = [
    ("lb-stats-march", "LB3", [("ML1", "plain-text, mirror-footer, stats-template")]),
    ("lb-welcome-3", "LB1", [("CC4", "header-line, title-new, title-without-count, share-footer")]),
    ("lb-patch-3", "LB5", [("AL2", "list-copy, plain-text, list-footer, date-earlier-hours")]),
    ("lb-certs-tutorial", "LB8", [("ML3", "code-heavy, code-blocks-replaced-by-placeholders, plain-text, mirror-footer")]),
    ("lb-ci-arm", "LB10", [("SY3", "split-by-syndicator-part-1, header-line, share-footer, title-part-number")]),
    ("lb-welcome-5", "LB2", [("AL5", "list-copy, plain-text, list-footer, title-new, date-earlier-hours")]),
    ("lb-stats-april", "LB4", [("AL6", "list-copy, plain-text, list-footer, date-earlier-hours")]),
    ("lb-sandbox", "LB11", [("AL4", "list-copy, short-post, date-earlier-hours"),
                           ("CC2", "reposter-intro-2-paragraphs, share-footer, short-post, title-new")]),
    ("pn-pin", "PN2", [("SY2", "header-line, share-footer, short-post")]),
    ("pn-sidecar", "PN3", [("BC3", "header-line, share-footer, title-new, short-post")]),
    ("pn-dns", "PN4", [("BC1", "middle-section-dropped, spelling-americanised, title-new, header-line, share-footer")]),
    ("pn-plugin", "PN5", [("ML2", "long-code-listing-removed-from-middle, placeholder, plain-text")]),
    ("pn-postgres", "PN6", [("SY1", "last-paragraph-rewritten, header-line, share-footer")]),
    ("pn-wait", "PN7", [("CC3", "reposter-intro-2-paragraphs, share-footer, short-post, title-new")]),
    ("pn-owner", "PN8", [("SY5", "last-paragraph-rewritten, short-post, header-line, share-footer")]),
    ("ow-meshes", "OW1", [("ML4", "newsletter, plain-text, mirror-footer")]),
    ("ow-quiet", "OW3", [("ML5", "newsletter, plain-text, mirror-footer")]),
]
DISTINCT = [
    ("JW1", "PN1", "response-quotes-whole-post, own-opening-2-paragraphs, ends-with-quoted-last-paragraph"),
    ("JW2", "PN7", "response-quotes-whole-post, own-opening-2-paragraphs, ends-with-one-line-sign-off"),
    ("JW2", "CC3", "response-quotes-whole-post, ends-with-one-line-sign-off, vs-reposter-copy"),
    ("JW5", "PN8", "response-opens-with-whole-post, own-closing-3-paragraphs, six-days-later"),
    ("JW5", "SY5", "response-opens-with-whole-post, own-closing-3-paragraphs, vs-syndicated-copy"),
    ("CC1", "PN2", "roundup-pick-last-section, whole-short-post-embedded"),
    ("CC1", "SY2", "roundup-pick-last-section, whole-short-post-embedded"),
    ("CC5", "JW4", "roundup-pick-last-section, byline, whole-short-post-embedded"),
    ("LB7", "AL3", "newsletter-last-section-is-announcement"),
    ("LB9", "PN3", "faq-last-answer-is-short-post"),
    ("LB9", "BC3", "faq-last-answer-is-short-post"),
    ("LB2", "CC4", "welcome-template, copy-title-without-count"),
    ("LB2", "LB1", "welcome-template, same-source"),
    ("LB4", "ML1", "stats-template, title-count-differs, titles-differently-worded"),
    ("LB4", "LB3", "stats-template, same-source"),
    ("LB6", "AL2", "patch-notes-template, title-count-differs, same-title-template"),
    ("LB6", "LB5", "patch-notes-template, same-source"),
    ("OW2", "ML4", "newsletter-template, long, different-middles"),
    ("OW3", "ML4", "newsletter-template, quiet-week"),
    ("OW1", "ML5", "newsletter-template, quiet-week"),
    ("OW2", "ML5", "newsletter-template, quiet-week"),
    ("OW4", "ML5", "newsletter-template, two-quiet-weeks"),
    ("OW4", "ML4", "newsletter-template"),
    ("BC2", "PN4", "same-subject"),
    ("BC2", "BC1", "same-subject, same-source"),
    ("LB7", "OW3", "same-event"),
    ("AL5", "LB1", "welcome-template, title-count-differs, titles-differently-worded, no-copy-of-source-in-entry"),
    ("AL5", "CC4", "welcome-template, copy-title-without-count"),
    ("AL6", "LB3", "stats-template, title-count-differs, titles-differently-worded, no-copy-of-source-in-entry"),
    ("AL6", "ML1", "stats-template, title-count-differs"),
    ("SYP2", "MLP1", "newsletter-template, quiet-week, original-not-subscribed"),
    ("SYP3", "MLP1", "newsletter-template, long, original-not-subscribed"),
    ("SYP2", "SYP3", "newsletter-template, same-source"),
    ("SY4", "LB10", "split-by-syndicator-part-2, same-source-as-part-1 (see MANIFEST)"),
]

def write_feed(file, name, canonical, kind, site):
    items = sorted(ITEMS[file], key=lambda i: i["date"], reverse=True)
    if kind == "atom":
        out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
               "  <title>%s</title>" % html.escape(name), '  <link rel="alternate" type="text/html" href="%s"/>' % site,
               "  <id>%s</id>" % site, "  <updated>%s</updated>" % items[0]["date"].isoformat()]
        for it in items:
            out += ["  <entry>", "    <title>%s</title>" % html.escape(it["title"]),
                    '    <link rel="alternate" type="text/html" href="%s"/>' % it["url"], "    <id>%s</id>" % it["url"],
                    "    <published>%s</published>" % it["date"].isoformat(), "    <updated>%s</updated>" % it["date"].isoformat(),
                    "    <author><name>%s</name></author>" % html.escape(it["author"] or name)]
            out += ['    <category term="%s"/>' % c for c in it["cats"]]
            out += ['    <content type="html">%s</content>' % html.escape(to_html(it["body"])), "  </entry>"]
        out.append("</feed>")
    else:
        out = ['<?xml version="1.0" encoding="UTF-8"?>', '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">', "  <channel>",
               "    <title>%s</title>" % html.escape(name), "    <link>%s</link>" % site, "    <description>%s</description>" % html.escape(name),
               "    <lastBuildDate>%s</lastBuildDate>" % format_datetime(items[0]["date"])]
        for it in items:
            out += ["    <item>", "      <title>%s</title>" % html.escape(it["title"]), "      <link>%s</link>" % it["url"],
                    '      <guid isPermaLink="true">%s</guid>' % it["url"], "      <pubDate>%s</pubDate>" % format_datetime(it["date"])]
            out += ["      <category>%s</category>" % html.escape(c) for c in it["cats"]]
            if kind == "rss-cdata":
                out.append("      <description><![CDATA[%s]]></description>" % to_html(it["body"]))
            else:
                out.append("      <description>%s</description>" % html.escape(it["body"], quote=False))
            out.append("    </item>")
        out += ["  </channel>", "</rss>"]
    with open(os.path.join(here, "feeds", file), "w") as f:
        f.write("\n".join(out) + "\n")

for s in SOURCES:
    write_feed(*s)

y = ["# Labels of the lookalikes corpus (see MANIFEST.md); generated by gen.py.", "sources:"]
for f, name, canon, *_ in SOURCES:
    y += ["  - file: feeds/%s" % f, '    name: "%s"' % name] + (["    canonical: true"] if canon else [])
y.append("same:")
for gid, orig, copies in SAME:
    y += ["  - id: %s   # %s" % (gid, orig), '    original: "%s"' % REF[orig], "    copies:"]
    for k, kinds in copies:
        y += ['      - item: "%s"   # %s' % (REF[k], k), "        kinds: [%s]" % kinds]
y.append("distinct:")
for a, b, kinds in DISTINCT:
    y += ['  - a: "%s"   # %s' % (REF[a], a), '    b: "%s"   # %s' % (REF[b], b), "    kinds: [%s]" % kinds]
with open(os.path.join(here, "labels.yaml"), "w") as f:
    f.write("\n".join(y) + "\n")
with open(os.path.join(here, "refs.tsv"), "w") as f:
    f.write("".join("%s\t%s\n" % kv for kv in REF.items()))
print(sum(len(v) for v in ITEMS.values()), "items")
