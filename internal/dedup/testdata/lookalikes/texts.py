# Post texts of the probe2 corpus. A post is a list of blocks: "## h" heading,
# "```" + code (lines joined by \n), "- item" list item, else a paragraph.

WELCOME_A = "Every few months the Lanternfly maintainers look back at who has been reviewing pull requests, answering questions in the community channel and keeping the release train moving, and ask some of those people whether they would like to share the load formally. This round, the answer was yes from everyone we asked."
WELCOME_B = [
    "Becoming a maintainer of Lanternfly means approval rights on the main repository, a vote on the roadmap and on changes to the governance document, and a place in the on-call rotation for security reports. It also means the less visible work: triaging new issues within two working days, mentoring first-time contributors through their first review, and writing the release notes when it is your turn.",
    "None of the people joining today were asked because of the volume of code they wrote. We look for sustained, careful review, for patience in the issue tracker, and for good judgement about what not to merge. If you want to know how that works in practice, the contributor ladder in the governance repository describes each step and what we look for at each one.",
    "The maintainer team now spans nine time zones, which makes the weekly sync harder to schedule but the review queue much shorter. We will rotate the sync between two slots from next month so that nobody has to join at three in the morning every week.",
    "Thank you to everyone who reviews, reports, documents and answers questions. Lanternfly is only as good as the people who look after it, and we are lucky to have you.",
]
LB1 = [WELCOME_A, "Please welcome Ana Ferreira (@anaferreira), Kwame Boateng (@kboateng) and Lin Zhou (@linzhou) as maintainers."] + WELCOME_B
LB2 = [WELCOME_A, "Please welcome Mateo Ruiz (@mruiz), Sofia Lindqvist (@sofial), Dev Malhotra (@devm), Hannah Brandt (@hbrandt) and Yusuf Demir (@ydemir) as maintainers."] + WELCOME_B

def stats(month, prs, people, first, hours, days, opened, closed, nth, bugs, feats):
    return [
        "Here is the monthly look at the numbers behind Lanternfly. As always, these come straight from the project dashboard, and the queries behind every figure are in the community repository if you want to check our arithmetic.",
        f"In {month} we merged {prs} pull requests from {people} contributors, {first} of whom sent their first change to the project. The median time from opening a pull request to its first review was {hours} hours, and the median time to merge was {days} days.",
        f"Issues: {opened} were opened and {closed} were closed, so the backlog shrank slightly for the {nth} month running. Of the closed issues, {bugs} were bugs, {feats} were feature requests that we either shipped or declined with an explanation, and the rest were questions we moved to the discussion forum.",
        "The numbers we watch most closely are not the big ones. The share of pull requests that wait more than a week for a first review is the best early warning we have that reviewers are overloaded, and it tells us more about the health of the project than the number of merges. We also track how many first-time contributors come back for a second change within ninety days, because a project that people try once and leave is not growing, whatever the totals say.",
        "A note on how we count: bots are excluded, reverted pull requests count once, and a contributor is anyone whose commit landed in the main repository or in one of the chart, docs or website repositories during the month. Reviews are counted per pull request, not per comment, so a long discussion on one change does not inflate the figures.",
        "If you would like to help with review, the good-first-review label lists pull requests that are small, well described and a good way to learn a part of the codebase. Reviewers do not need approval rights; a careful comment from anyone is worth a lot.",
        "See you next month.",
    ]
LB3 = stats("March", 412, 87, 23, 9, 2.1, 164, 171, "third", 38, 52)
LB4 = stats("April", 398, 91, 19, 8, 1.9, 158, 160, "fourth", 41, 47)

def patch(bugs):
    return [
        "This is a patch release for the 0.8 line. It contains only bug fixes, with no new features and no changes to the configuration format, so upgrading from any earlier 0.8 release is safe and needs no changes to your values.",
        "## Fixed",
    ] + ["- " + b for b in bugs] + [
        "## Upgrading",
        "To upgrade, bump the chart version in your values file and run helm upgrade as usual. The agent DaemonSet rolls one node at a time and keeps existing connections open while it restarts, so workloads see no interruption beyond a short pause in new handshakes.",
        "If you run into problems, please open an issue with the output of lanternfly diagnose attached and mention the patch version in the title, so that we can tell reports against different releases apart.",
    ]
LB5 = patch([
    "The agent no longer leaks a file descriptor for every certificate it rotates.",
    "Metrics for denied connections now carry the destination namespace label again.",
    "lanternfly diagnose works on nodes where the BPF filesystem is mounted somewhere other than /sys/fs/bpf.",
])
LB6 = patch([
    "The controller no longer rejects trust bundles with more than sixteen certificates.",
    "The agent retries the key fetch when the API server returns a timeout during startup.",
    "Dual-stack nodes no longer log a warning for every IPv6 connection.",
    "The Helm chart sets the priority class on the agent pods when one is configured.",
    "Connection metrics no longer double count retried handshakes.",
    "The CLI prints the correct version when built from a release tarball.",
    "A race in the policy cache that could serve a stale policy for one second after an update is fixed.",
])

AL3 = [
    "The first release candidate for Lanternfly 0.9 is available for testing. It brings the new certificate rotation controller, support for dual-stack clusters and the reworked metrics endpoint that several of you asked for at the last community meeting.",
    "Please try it on a staging cluster and report anything odd in the 0.9 milestone on the issue tracker. Install it with chart version 0.9.0-rc.1 from the usual repository; upgrading from 0.8 is supported, downgrading is not.",
    "We plan to cut the final release in two weeks if no blocking issues turn up. Thank you for testing!",
]
LB7 = [
    "Welcome to the April edition of the Lanternfly community newsletter, a monthly round-up of what happened in the project, who did it, and what is coming next. If you only read one thing from us each month, make it this one.",
    "## Highlights",
    "Three new maintainers joined the project at the start of the month, and five more followed three weeks later, the biggest single intake since the project started. Between them they cover the agent, the controller, the documentation and the Helm chart, which means every area of the codebase now has at least three people who can approve changes to it.",
    "The contributor survey closed with 212 responses. The top request by a wide margin was better documentation for running Lanternfly alongside an existing service mesh during a migration, and the docs team has already started on a guide. The second most common request, a way to see which policy allowed a given connection, is planned for 0.10.",
    "## Events",
    "Lin Zhou gave a talk on node-level mTLS at the Platform Engineering Day in Lisbon; the recording is on the community channel. The next contributor summit is planned for the autumn, and we are looking for volunteers to help with the agenda and with travel grants.",
    "## From the docs",
    "The installation guide was rewritten from scratch and now covers managed clusters from the three largest providers, including the settings each of them needs for the BPF programs to load. The troubleshooting page gained a section on reading the output of lanternfly diagnose.",
    "## Release candidate",
] + AL3

PN3 = [
    "People are often surprised that Lanternfly gives every workload mutual TLS without injecting anything into their pods. The trick is that the work happens one level down: a single agent per node intercepts traffic with eBPF and terminates TLS on behalf of every pod scheduled there.",
    "That means no extra container per pod, no restart when the mesh is upgraded and no fight over init container ordering. It also means the agent is a shared component, so we spend a lot of effort on keeping it small and on isolating the keys of different workloads from each other.",
    "Sidecars are not wrong. They are just a cost you no longer have to pay for the common case.",
]
LB9 = [
    "Every week the same handful of questions comes up in the community channel, in issues and after talks. We have collected the answers here, and we will keep this page up to date as the answers change.",
    "## Does Lanternfly replace my service mesh?",
    "Not necessarily. Lanternfly does one thing: it gives every workload an identity and encrypts traffic between workloads with mutual TLS. If you use a mesh for retries, traffic shifting or detailed request metrics, you can keep it and let Lanternfly handle encryption underneath, or you can replace it if encryption was the only reason you ran it.",
    "## Which kernels are supported?",
    "Any kernel from 5.10 onwards with BTF enabled. All managed Kubernetes offerings we know of qualify; if you build your own node images, check that CONFIG_DEBUG_INFO_BTF is set. lanternfly diagnose reports the kernel features it found on each node.",
    "## Can I run it on Windows nodes?",
    "No, and it is not on the roadmap. The agent depends on eBPF programs attached to the Linux networking stack, and there is no equivalent we could target on Windows with reasonable effort. Windows pods can still talk to Linux pods, but that traffic is not encrypted by Lanternfly.",
    "## How do I see which policy allowed a connection?",
    "Today, by raising the agent's log level for the namespace in question, which logs every decision with the policy that made it. A proper way to query decisions is planned for 0.10; the design proposal is open for comments in the community repository.",
    "## Why does Lanternfly not need a sidecar?",
] + PN3

LB8 = [
    "Lanternfly issues every workload a short-lived certificate and rotates it long before it expires. Most people never need to think about that, but if you bring your own certificate authority, or have to rotate the root itself, you need to know how the pieces fit together. This tutorial walks through both cases on a test cluster.",
    "Start with a cluster running Lanternfly 0.8 and a trust bundle that holds only the current root. The controller reads its configuration from a single resource:",
    "```apiVersion: lanternfly.example.org/v1alpha1\nkind: TrustConfig\nmetadata:\n  name: default\nspec:\n  workloadCertTTL: 24h\n  rotateBefore: 8h\n  issuer:\n    kind: External\n    secretRef:\n      name: corp-intermediate\n      namespace: lanternfly-system\n  bundle:\n    configMapRef:\n      name: trust-bundle\n      key: roots.pem",
    "Apply it, then check that the controller picked up the external issuer and that workloads received certificates signed by it:",
    "```kubectl apply -f trustconfig.yaml\nkubectl -n lanternfly-system get trustconfig default -o jsonpath='{.status.conditions}'\nlanternfly certs list --namespace payments --show-issuer\nlanternfly certs inspect payments/api-7d9f8 --chain",
    "To rotate the root, add the new root to the bundle first and wait until every agent reports the new bundle. Only then switch the issuer to an intermediate signed by the new root:",
    "```kubectl -n lanternfly-system create configmap trust-bundle \\\n  --from-file=roots.pem=old-and-new-roots.pem \\\n  --dry-run=client -o yaml | kubectl apply -f -\nlanternfly bundle status --wait --timeout 10m\nkubectl -n lanternfly-system create secret tls corp-intermediate-2 \\\n  --cert=intermediate-2.pem --key=intermediate-2.key\nkubectl -n lanternfly-system patch trustconfig default --type merge \\\n  -p '{\"spec\":{\"issuer\":{\"secretRef\":{\"name\":\"corp-intermediate-2\"}}}}'",
    "Workloads pick up certificates from the new intermediate at their next rotation. You can force it for one namespace to check the result before the rest follow:",
    "```lanternfly certs rotate --namespace payments --now\nlanternfly certs list --namespace payments --show-issuer\nlanternfly certs list --all-namespaces --issuer corp-intermediate --count\nlanternfly certs list --all-namespaces --issuer corp-intermediate-2 --count",
    "Once no certificate from the old intermediate is left, which takes at most one certificate lifetime, remove the old root from the bundle. Do not skip the waiting: a workload that still presents a certificate from the old chain will be refused by every peer that no longer trusts it.",
    "That is the whole procedure. Rehearse it on a test cluster once, write down how long each step took, and the real rotation becomes a routine change instead of an incident.",
]

PN1 = [
    "A liveness probe answers one question: is this process so broken that killing it is the best thing to do? It is not a health check, and wiring it to your dependencies is how one slow database turns into a cluster-wide restart storm.",
    "If the database is down, restarting every API pod will not bring it back. It will only add cold caches and a thundering herd of new connections to the outage you already have.",
    "Keep liveness probes dumb: check that the process can answer at all. Put dependency checks in readiness probes, where failing takes the pod out of rotation instead of killing it.",
]
JW1 = [
    "Priya wrote a short post this week arguing that liveness probes should never check dependencies. I agree with most of it, but I think the advice is stated too strongly, and I have watched teams take it as a reason to remove liveness probes altogether, which is worse than the problem it solves.",
    "The case she does not cover is the process that is up but wedged: a deadlocked worker pool, a goroutine leak that has eaten every connection slot. Those processes answer a trivial HTTP check happily while doing no work at all. A liveness probe that exercises one real code path, without touching the database, catches them. Here is her post in full, and my only quarrel is with what dumb should mean:",
] + PN1

PN2 = [
    "A tag is a promise that someone else can break. When your Dockerfile says FROM python:3.12-slim, the image you build next week may not contain the same layers as the one you tested this week, and you will not find out until something behaves differently in production.",
    "Pinning by digest, with the sha256 hash after the tag, makes the build reproducible. Renovate or Dependabot will open a pull request when the tag moves, so you still get updates, but now they arrive as a reviewed change instead of a surprise.",
    "It is one line per Dockerfile. Do it today.",
]
CC1 = [
    "Happy Friday! Here is what caught the Cloud Commons editors' eyes this week, with a theme we did not plan: almost everything we read was about knowing exactly what you are running.",
    "## Reading list",
    "The OpenSSF published a short guide to generating SBOMs in CI without slowing builds down. The interesting part is the section on which SBOM to keep when a multi-stage build produces several.",
    "Quarry Cloud wrote up how they moved their internal registry to content-addressed storage and what broke along the way. Spoiler: mostly tooling that assumed tags never move.",
    "A long thread on the Kubernetes mailing list asked whether image policy admission should reject mutable tags by default. No conclusion yet, but the arguments on both sides are worth reading.",
    "If you missed it, the recording of last month's Commons meetup on signing images with Sigstore is now online, including the question round that went on for forty minutes.",
    "## This week's pick",
] + PN2

# JW5 (built in gen.py) opens with PN8 quoted whole, then goes on: JW5_AFTER.
JW4 = [
    "We have run our own container registry for three years now, and I am often asked whether I would do it again. The honest answer is yes, but not for the reasons we gave at the time. We said cost and speed. Neither turned out to matter much.",
    "What mattered was control over retention and over who can push what. A registry you own is one where you can answer which images are running and who built them without a support ticket.",
    "If you only need somewhere to put images, use the one your cloud provider runs. If you need to answer those questions, run your own.",
]
CC5 = [
    "Happy Friday! A shorter list than usual this week, as half of the editors were at a conference and the other half were covering for them.",
    "## Reading list",
    "Fernhill published the second part of their series on running stateful workloads on spot instances. This one covers draining, and it is the most careful treatment of pod disruption budgets we have read in a while.",
    "The Flux maintainers wrote about how they triage issues across a dozen repositories with a small team, with the actual labels and saved searches they use every day.",
    "## This week's pick",
    "By Jonas Weber.",
] + JW4

OW_INTRO = [
    "Hello and welcome to Ops Weekly, the newsletter for people who keep cloud native systems running. Every Friday we read the week's posts, release notes and incident reports so that you do not have to, and pick the handful worth your coffee.",
    "Ops Weekly is free and supported by readers. If it saves you time, forwarding it to one colleague is the best way to say thanks.",
]
OW_OUTRO = [
    "## Upcoming events",
    "- Platform Engineering Day Lisbon, 15 May: talks on internal developer platforms, with a hallway track that is usually better than the talks.",
    "- Cloud Native Meetup Berlin, 22 May: lightning talks on cost, followed by the traditional argument about whether FinOps is a job.",
    "- SREcon Europe, 3 to 5 June in Dublin: the call for lightning talks is still open until the end of the month.",
    "## That's all",
    "That is all for this week. Reply to this email with links we missed, corrections or your own posts; we read everything, even if we cannot answer it all. Links are chosen by the editors and never paid for, and sponsored items are always marked as such.",
    "Ops Weekly is edited by Marta Kowalczyk and Sam Osei. Every past issue is in the archive, and you can unsubscribe at any time from the link at the bottom of this email.",
]
OW1 = OW_INTRO + [
    "## This week",
    "Lanternfly's maintainers explain how the project gives every pod mutual TLS without a sidecar, and why they think most teams no longer need one. It is a clear explanation of what moves into the node agent and what that costs.",
    "A long incident report from a payments company describes how a misconfigured retry budget in their mesh turned a five-minute database failover into a ninety-minute outage. The timeline is painful and the fixes are boring, which is the point.",
    "Ambient mode in Istio reached beta, and the release notes are worth reading for the list of features that still need a waypoint proxy. If you are planning a migration, start with that list.",
    "Jonas Weber argues that liveness probes deserve one real code path, not just an empty handler, and explains why a wedged worker pool is the failure mode everyone forgets.",
    "Finally, a small tool: meshdiff compares the effective configuration of two clusters' service meshes and prints what differs, which is handy before and after an upgrade.",
] + OW_OUTRO
OW2 = OW_INTRO + [
    "## This week",
    "Priya Natarajan makes the shortest possible case for pinning base images by digest. Read it, then go and check how many of your Dockerfiles still use a bare tag; we found eleven.",
    "The OpenSSF guide to SBOMs in CI is practical rather than aspirational, with timing figures for three popular generators on real builds and advice on where in the pipeline to run them.",
    "A registry operator explains why they now refuse pushes that overwrite an existing tag, and how they handled the teams that depended on overwriting latest for their deployments.",
    "Sigstore's policy controller gained support for verifying attestations from several issuers at once, which makes it usable for the first time in organisations that build with more than one CI system.",
] + OW_OUTRO
OW3 = OW_INTRO + [
    "## This week",
    "A quiet week, with most of the community at conferences or on holiday, so just two links. The Kubernetes release team published the schedule for the next minor release, with the enhancement freeze earlier than usual.",
    "And Lanternfly opened testing for its 0.9 release candidate, with dual-stack support and a new certificate rotation controller.",
] + OW_OUTRO
OW4 = OW_INTRO + [
    "## This week",
    "Another short one. Grafana Labs wrote about setting budgets for metrics cardinality per team, with the queries they use to find the label that blew the budget.",
    "And a practical post on sampling traces at the collector rather than in the SDK, with the trade-offs of each approach laid out in a table.",
] + OW_OUTRO

PN4 = [
    "Most DNS problems in Kubernetes are not DNS problems. They are timeouts, search paths and caches behaving exactly as configured, in a way nobody expected. Over the years I have settled on a slow, boring way of debugging them, and it has not let me down yet.",
    "The key is to resist the urge to restart CoreDNS. It almost never helps, and it destroys the evidence you need to recognise what is actually going on.",
    "## Start from the pod",
    "Run the lookup from inside the pod that fails, with the same image if you can, because the resolver library matters. A Go binary, a glibc-based image and an Alpine image will each behave differently with the same resolv.conf, and the difference is often the whole story.",
    "Look at the resolv.conf the pod actually got, not the one you think it got. Custom dnsConfig settings in a Helm chart's default values have surprised more than one organisation I have worked with.",
    "## The ndots story",
    "The default ndots of five means that a lookup for api.example.com is tried against every search domain first, so one external name becomes four or five queries. Under load, that multiplies the traffic to CoreDNS and turns a small latency into a visible one.",
    "Setting ndots to two for workloads that mostly talk to external names, or writing external names with a trailing dot, removes most of that traffic. It is the single change that has most often fixed what looked like a DNS outage.",
    "## When CoreDNS is the problem",
    "Sometimes it really is CoreDNS. Check its metrics for cache hit ratio and for the latency of forwarded queries, and analyse the upstream resolver's behaviour separately from the cluster's. If forwarded queries are slow, the fault is upstream and scaling CoreDNS will not help.",
    "## What I do now",
    "I keep a small debug image with dig, a Go resolver test and a glibc resolver test, and I run all three from the failing pod before I change anything. Writing down the results, with the timestamps, has optimised my debugging more than any tool.",
    "It is slow, and it feels slow. But it finds the real cause, and it means the fix goes into the right layer, whether that is the chart's values, the application's resolver or the upstream DNS that everybody forgot was there.",
]

PN5 = [
    "I read Kubernetes events all day, and kubectl get events is not a pleasant way to do it. The columns are too wide, the order is not chronological and the reason is buried in the middle of the line. So I wrote a tiny kubectl plugin that prints events the way I want to read them.",
    "A kubectl plugin is just an executable named kubectl-something on your path. Mine is a short shell script around kubectl and jq. Here it is in full:",
    "```#!/usr/bin/env bash\n# kubectl-ev: events, newest last, one line each\nset -euo pipefail\nns_args=(--all-namespaces)\nif [[ $# -gt 0 ]]; then ns_args=(--namespace \"$1\"); fi\nkubectl get events \"${ns_args[@]}\" -o json \\\n  | jq -r '.items\n      | sort_by(.lastTimestamp // .eventTime)\n      | .[]\n      | [ (.lastTimestamp // .eventTime | sub(\"T\"; \" \") | sub(\"Z\"; \"\")),\n          .type,\n          .involvedObject.kind + \"/\" + .involvedObject.name,\n          .reason,\n          (.message | gsub(\"\\n\"; \" \")) ]\n      | @tsv' \\\n  | awk -F'\\t' '{\n      color = ($2 == \"Warning\") ? \"\\033[33m\" : \"\\033[0m\";\n      printf \"%s%s  %-40s %-22s %s\\033[0m\\n\", color, $1, $3, $4, $5\n    }'",
    "Save it as kubectl-ev somewhere on your path, make it executable, and kubectl ev payments prints the events of the payments namespace oldest first, with warnings in yellow. Without an argument it prints every namespace, which on a busy cluster is more than you want.",
    "The nice thing about plugins is that they compose with everything else you already have. Mine is twenty lines, it has no dependencies beyond jq, and it has saved me more time than any dashboard.",
]

PN6 = [
    "We have been running Postgres on Kubernetes with an operator for a little over a year, across about thirty databases of very different sizes. Here are the notes I wish I had read before we started.",
    "Backups are the whole game. The operator will happily create clusters, fail over and resize volumes, but none of that matters if your restore has never been tested. We restore every database to a scratch namespace once a week and run a checksum query against it, and that job has caught two broken backup configurations that looked fine in the dashboard.",
    "Treat failover as a normal event. Our applications reconnect through the operator's service, and we had to fix three of them that cached the primary's address at startup. A monthly forced failover in staging keeps everyone honest.",
    "Storage classes matter more than the operator. Most of our performance problems came from volumes that were throttled by the cloud provider, not from Postgres or from the operator's defaults.",
    "Would I do it again? Yes, for teams that already run Kubernetes well. If you are still learning Kubernetes, a managed database will save you a year of lessons like these.",
]
SY1_LAST = "Would I recommend it? For teams that already operate Kubernetes with confidence, yes. Everyone else should start with a managed database and come back to operators once the basics are second nature."

PN7 = [
    "Every CI pipeline I inherit has a sleep 30 somewhere between applying manifests and running tests. It is always either too long, wasting half a minute on every run, or too short, failing on the one day the registry is slow.",
    "kubectl wait with a condition of Available on the deployment and a timeout of two minutes does what the sleep was pretending to do. It returns as soon as the rollout is ready and fails loudly with a useful message when it is not.",
    "Replace the sleep. Your pipeline will be faster and it will tell you why it broke.",
]
JW2 = [
    "Priya's post on replacing sleep with kubectl wait went round our team chat this week, and it started a longer discussion than three paragraphs usually do. Our pipelines have forty of those sleeps, and not all of them are waiting for a deployment.",
    "Some wait for a webhook to become ready, some for a CRD to be established, one for a cloud load balancer that Kubernetes knows nothing about. kubectl wait covers the first two with the right condition; the third needs a loop with a timeout, and that is fine as long as it fails with a message. Her post is short enough to quote whole:",
] + PN7 + ["Agreed, with one amendment: replace the sleep with a wait for something, and know what that something is."]

JW5_AFTER = [
    "I like this a lot, and we copied it last week. Two things we learned in the first days that the post does not mention.",
    "First, decide what an owner is before you enforce the label. We used team names from the org chart, and within a week two teams had been renamed and a third split in half. We now point the label at an entry in our service catalogue, which the teams keep up to date because their on-call rotation lives there too.",
    "Second, give namespaces that nobody claims somewhere to go. Admission rejected a dozen system namespaces created by operators, and the quick fix of exempting them by name became a list nobody maintains. A platform team that owns the leftovers, visibly, works better than a list of exceptions.",
]
PN8 = [
    "Every namespace in our clusters carries an owner label with the name of a team, and admission rejects namespaces without one. It took an afternoon to set up and it answers the question I used to spend hours on during incidents: who do I call?",
    "The label also feeds our cost reports and our alert routing, so teams see their own spend and their own pages without anyone maintaining a spreadsheet.",
    "If you do one small governance thing this quarter, make it this one.",
]
SY5_LAST = "Of all the small governance measures we tried this year, this is the one I would keep if I could only keep one."

LB10 = [
    "For most of its life, Lanternfly's continuous integration ran on the hosted x86 runners that every open source project gets for free. Last month we moved almost all of it to ARM runners donated by a cloud provider, and the build that used to take forty minutes now takes fourteen. This post explains why we did it, what we had to change and what we would do differently.",
    "## Why move at all",
    "Two things pushed us. First, a growing share of our users run Lanternfly on ARM nodes, and we were only testing ARM builds under emulation, which is slow and hides real bugs. Second, the free x86 runners were queueing for twenty minutes at busy times, so contributors in Asian and Australian time zones often waited longer for CI than for a review.",
    "A cloud provider offered us a pool of ARM machines for CI, with a budget that covers our current usage several times over. The offer came with no conditions beyond a logo on the website, and the foundation's legal team reviewed it before we accepted.",
    "## What we had to change",
    "The agent's BPF programs were the easy part: they are compiled per architecture anyway, and the ARM build had been passing under emulation for months. The hard part was everything around them. Three of our test dependencies shipped x86-only container images, and one integration test relied on a kernel module that the ARM runner images did not include.",
    "We replaced two of the images with multi-architecture builds of our own and persuaded the third project to publish ARM images, which took a pull request and a polite reminder. The kernel module turned out to be unnecessary: the test used it to simulate packet loss, and the traffic control tools in the base image do the same thing.",
    "The biggest change was to caching. The hosted runners start clean every time, so we had built our pipeline around downloading everything at the start of each job. The donated runners are persistent, so we now keep a shared module and image cache on each machine, which accounts for most of the time we saved.",
    "## What we would do differently",
    "We would have moved the flakiest tests first. Persistent runners make flaky tests much more visible, because a test that leaves state behind breaks the next job on the same machine. We spent the first week chasing failures that had been there all along, hidden by clean runners that never reused anything.",
    "We would also have written down, before the move, which jobs must run on every pull request and which can run nightly. Having a fast pool tempted us to run everything everywhere, and we are now walking some of that back to keep the pool free for contributors.",
    "## Where we are now",
    "Every pull request is built and tested on both architectures, the median time to a green check is fourteen minutes, and the queue at busy times is gone. The x86 runners still build release artifacts, because our release signing is set up there, and we will move that once the new process has run for a few release cycles.",
    "If you maintain a project and a provider offers you runners, take them, but plan the caching and the flaky tests before you switch. The machines are the easy part.",
]
SPLIT = 7  # LB10 blocks [:7] in part 1, [7:] in part 2

LB11 = [
    "We are happy to announce that Lanternfly has been accepted into the Commons Foundation as a sandbox project. The technical oversight committee voted last week, and the transfer of the repositories and the trademark will happen over the coming month.",
    "Nothing changes for users. The project keeps its maintainers, its release schedule and its license, and the installation instructions stay as they are.",
    "For contributors, joining the foundation means a neutral home, help with security audits and a budget for the contributor summit. Thank you to everyone who made this possible.",
]

JW3 = [
    "Every team I have joined has had a folder of runbooks that nobody reads until an incident, at which point everybody discovers that half of them describe a system that no longer exists. This is not a discipline problem. It is a feedback problem: nothing tells you a runbook is wrong until the worst possible moment.",
    "What worked for us was cheap. Every alert links to exactly one runbook, and the on-call engineer who follows it marks each step as worked, did not work or skipped, in a form at the bottom of the page. A weekly job collects the marks and opens an issue for every runbook with a step that failed.",
    "Within two months, the runbooks for our noisiest alerts were accurate again, because they were the ones getting marks. The rarely used ones are still stale, but at least we know which ones they are, and we review them on a schedule instead of discovering them during an outage.",
    "The form took an afternoon to build. If your runbooks are rotting, start there before you start a documentation initiative.",
]
CC6 = [
    "Forty people came to the April Cloud Commons meetup in Rotterdam, our biggest yet, to hear three talks about running platforms for internal developers.",
    "Ingrid Vos opened with the story of her team's internal platform, which started as a set of Terraform modules and is now a product with a roadmap, a support rotation and a satisfaction survey. Her advice: hire a product manager before you think you need one.",
    "Rahul Mehta showed how his company measures developer experience without surveys, using the time from a merged change to its first request in production, and the number of times a deploy is retried. The discussion afterwards was mostly about whether those numbers can be gamed. They can.",
    "Finally, Lin Zhou demonstrated Lanternfly on a three-node cluster, live, with the network cable of one node pulled halfway through. It kept working. Slides and recordings will be on the meetup page next week.",
]
BC2 = [
    "Today we are launching managed DNS caching for BrightCloud Kubernetes clusters. Every node gets a local cache, managed and upgraded by us, and pods resolve names through it with no change to their configuration.",
    "In our tests, node-local caching cut the median lookup latency inside clusters by more than half and removed most of the timeouts that customers saw under load, especially for workloads that resolve many external names with the default search path.",
    "The feature is available in every region from today and can be enabled on existing clusters from the console, the CLI or Terraform. There is no extra charge.",
]

def pp(middle):
    intro = [b.replace("Ops Weekly", "Platform Pulse") for b in OW_INTRO]
    outro = [b.replace("Ops Weekly", "Platform Pulse").replace("Marta Kowalczyk and Sam Osei", "Noor Haddad") for b in OW_OUTRO]
    return intro + ["## This week"] + middle + outro
PP_A = pp([
    "The Backstage maintainers published a migration guide for the new backend system, with a checklist for plugin authors and a timeline for removing the old one. If you maintain internal plugins, block out a day.",
    "A platform team at a logistics company describes how they replaced a wiki of golden paths with templates that open a pull request, and how they measured whether anyone used them. Adoption doubled once the templates stopped asking questions the platform could answer itself.",
    "Crossplane's composition functions left beta. The release post shows a composition written in Python next to the same one in YAML, which makes a good case for the functions.",
    "And an essay on why internal platforms need a deprecation policy as much as public APIs do, with a template you can adapt for your own.",
])
PP_B = pp([
    "A quiet week, so a single link: a short post on naming environments consistently across clusters, clouds and dashboards, which is more useful than it sounds.",
])
PP_C = pp([
    "Spotify's platform team wrote about scorecards for service maturity and why they stopped publishing a ranking of teams. The short version: rankings made teams optimise the score rather than the service.",
    "The CNCF platforms working group released a draft maturity model for internal platforms, asking for comments from teams at every stage. The section on measuring adoption is the strongest part.",
    "Humanitec's engineers compared five ways of describing workloads independently of their environment, with the same example service in each. None of them wins everywhere, and the post says so.",
    "Finally, a talk recording on running a platform team of three for an engineering organisation of four hundred, and what they decided not to build.",
])
