package dedup

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// seedPost returns the seed post ("It Takes a Village to Raise a
// Kubernetes") as parse would give its text: one line per paragraph.
func seedPost(t testing.TB) []string {
	t.Helper()
	var paras []string
	for p := range strings.SplitSeq(readSeed(t, "village-post.plain.txt"), "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			paras = append(paras, p)
		}
	}
	if len(paras) < 12 {
		t.Fatalf("seed post has %d paragraphs, want 12 or more", len(paras))
	}
	return paras
}

const seedTitle = "It Takes a Village to Raise a Kubernetes"

func docOf(title string, blocks ...string) Doc {
	return Analyze(Post{Title: title, Text: strings.Join(blocks, "\n")}, Boilerplate{})
}

// TestCompareCopies holds Compare to the kinds of copy a syndicator makes,
// with nothing learned about its boilerplate yet (a source's first items).
func TestCompareCopies(t *testing.T) {
	paras := seedPost(t)
	orig := docOf(seedTitle, paras...)
	edited := append([]string(nil), paras...)
	edited[3] = strings.Replace(edited[3], "the", "teh", 1) // a typo the copy fixed, or made
	edited[7] = "In other words, " + strings.ToLower(edited[7][:1]) + edited[7][1:]
	tests := []struct {
		name   string
		title  string
		blocks []string
		rule   string
	}{
		{"header line", seedTitle, append([]string{"This post was originally published on the Kubernetes blog at https://kubernetes.io/blog/2017/10/it-takes-village-to-raise-kubernetes/."}, paras...), RuleSimilar},
		{"header fused", seedTitle, append([]string{"Originally published on kubernetes.io. " + paras[0]}, paras[1:]...), RuleSimilar},
		{"reposter intro and share footer", seedTitle, append(append([]string{"I loved this post by Jaice and asked to share it here. Enjoy!"}, paras...),
			"If you liked this post, follow us on Twitter and LinkedIn.", "Share on X | Share on LinkedIn | Share on Reddit", "Tags: kubernetes, community, release"), RuleSimilar},
		{"paragraph breaks lost", seedTitle, []string{strings.Join(paras, " ")}, RuleSimilar},
		{"edited, update added", "It takes a village to raise a Kubernetes", append(edited, "Update (Nov 2): the release team has grown since; see the roster."), RuleSimilar},
		{"new headline", "What raising Kubernetes taught one release lead", paras, RuleSimilar},
		{"teaser", seedTitle, append(append([]string(nil), paras[:3]...), "Continue reading →"), RulePartial},
		{"cut short", seedTitle, paras[:len(paras)*2/3], RuleSimilar},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := docOf(tt.title, tt.blocks...)
			if v := Compare(orig, d); !v.Same || v.Rule != tt.rule {
				t.Errorf("Compare = %v, want same by %s", v, tt.rule)
			}
			if !sharesBand(orig, d) {
				t.Error("the copy shares no search key with the original: the index would never offer it")
			}
		})
	}
}

// TestCompareLookAlikes holds Compare to posts that share words but not
// a text.
func TestCompareLookAlikes(t *testing.T) {
	paras := seedPost(t)
	orig := docOf(seedTitle, paras...)
	interview := Analyze(Post{Title: "How the Kubernetes Community Changed the Life of Jaice Singer DuMars",
		Text: strings.ReplaceAll(readSeed(t, "interview.plain.txt"), "\n\n", "\n")}, Boilerplate{})
	response := append([]string{"Jaice's post on the release team made me think about my own first release.",
		"They write:"}, paras[4], paras[5])
	response = append(response, strings.Repeat("My own experience was different in ways worth describing at length here. ", 12),
		"So I disagree with part of it, and agree with the rest.")
	// A digest lists the first sentence of this post among those of others.
	digest := []string{"This week in the community: five posts worth your time."}
	others := strings.Split(readSeed(t, "interview.plain.txt"), "\n\n")
	for i := range 5 {
		first := paras[0]
		if i > 0 {
			first = others[4+3*i]
		}
		digest = append(digest, strings.SplitAfter(first, ". ")[0]+" Read more on the author's blog.")
	}
	tests := []struct {
		name string
		orig Doc
		doc  Doc
	}{
		{"interview about the same person", orig, interview},
		{"response quoting two paragraphs", orig, docOf("On raising Kubernetes", response...)},
		{"digest of first sentences", orig, docOf("This week in Kubernetes", digest...)},
		{"titles of two parts", docOf("Raising Kubernetes, part 1", paras...), docOf("Raising Kubernetes, part 2", paras...)},
		{"too short to judge", docOf(seedTitle, strings.Fields(paras[0])[:20]...), docOf(seedTitle, strings.Fields(paras[0])[:20]...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if v := Compare(tt.orig, tt.doc); v.Same {
				t.Errorf("Compare = %v, want different posts", v)
			}
		})
	}
}

// TestCompareEdges holds Compare to the cases an adversarial corpus
// (testdata/adversarial) found at the edges of its first rules.
func TestCompareEdges(t *testing.T) {
	paras := seedPost(t)
	short := []string{strings.Join(strings.Fields(paras[0] + " " + paras[1])[:50], " ")} // a short post
	longer := []string{strings.Join(strings.Fields(paras[0] + " " + paras[1])[:70], " ")}
	intro := []string{
		"Tooling Tuesday is back. Every week we pick a post from a member of the community that we found useful, and share it here with its author's permission.",
		"This week's pick is about the release team, and why it takes more than code to ship a release that thousands of people depend on every day.",
		"We asked the author a few questions after reading it; the answers will follow in a later post. Here it is, as first published.",
	}
	// Meeting notes from one template: the same opening and closing lines,
	// a quiet week's middle against a busy week's.
	open := []string{"Welcome to the fortnightly contributor sync of the Kubeweave project. These notes are taken by whoever chairs the meeting and are posted here and to the mailing list for everyone who could not join the call this time. Anyone may join the call, and newcomers are especially welcome to ask questions."}
	closing := []string{"Action items are tracked on the project board. The next sync is in two weeks at the usual time; the agenda document is open to everyone, so add the topics you want to discuss before the call starts."}
	quiet := append(append(append([]string{}, open...), "Attendance was low this week and there were no open decisions to take."), closing...)
	busy := append(append(append([]string{}, open...), paras[4], paras[5], paras[6]), closing...)
	// Welcomes of new maintainers from one template: the same text but for
	// a sentence of names.
	welcome3 := append([]string{paras[0], "Please welcome Ana Ferreira, Kwame Boateng and Lin Zhou as maintainers."}, paras[1:3]...)
	welcome5 := append([]string{paras[0], "Please welcome Mateo Ruiz, Sofia Lindqvist, Dev Malhotra, Hannah Brandt and Yusuf Demir as maintainers."}, paras[1:3]...)
	const opening = "We are pleased to announce the first release of the project this year, and our fourth in all."
	excerpt := strings.Join(strings.Fields(opening + " " + paras[1] + " " + paras[2])[:55], " ") + " […]"
	tests := []struct {
		name string
		a, b Doc
		same bool
		rule string
	}{
		{"three paragraphs of introduction before a short post", docOf("Three things", short...), docOf("Tooling Tuesday: three things", append(append([]string{}, intro...), short...)...), true, RuleWithin},
		{"a roundup whose last section is a whole short post", docOf("Three things", short...), docOf("Friday roundup", append(append([]string{}, intro...), short...)...), false, ""},
		{"a roundup whose last section is most of it", docOf("Three things", longer...), docOf("Friday roundup", append(append([]string{}, intro...), longer...)...), false, ""},
		{"an introduction before a post, under its title", docOf("Three things", longer...), docOf("Tooling Tuesday: three things", append(append([]string{}, intro...), longer...)...), true, RuleSimilar},
		{"counts in headlines of one template's posts", docOf("Welcome, 3 new maintainers", welcome3...), docOf("Please welcome our 5 newest maintainers", welcome5...), false, ""},
		{"a count in an editor's headline over a whole copy", docOf("Reviewing 100 Helm charts", paras...), docOf("Five Helm chart mistakes we keep making", paras...), true, RuleSimilar},
		{"one template filled twice", docOf("Contributor sync notes", quiet...), docOf("Notes from today's contributor sync", busy...), false, ""},
		{"a response that quotes a whole short post, then goes on", docOf("Three things", short...),
			docOf("On three things", append(append(append([]string{}, paras[8:10]...), short...), paras[10:12]...)...), false, ""},
		// The probe's false merge: a response opens with a short post's
		// first paragraph, then goes its own way; the post's end is not
		// in it, as a teaser's end is in its post.
		{"a response that opens with a short post's first paragraph", docOf("Three things", paras[1], paras[12]),
			docOf("On three things", paras[1], paras[9], paras[10], paras[11]), false, ""},
		{"a teaser: the first paragraphs, then read more", docOf("Three things", paras[0], paras[1], "Read more on the project blog."),
			docOf("Three things", paras...), true, RulePartial},
		// A WordPress excerpt runs a post's one-sentence first paragraph
		// into the next and stops 55 words in: it holds the post's
		// opening words, not all of the lead of its first paragraph.
		{"an excerpt across a one-sentence first paragraph", docOf("Three things", excerpt),
			docOf("Three things", append([]string{opening}, paras[1:]...)...), true, RulePartial},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, v := range []Verdict{Compare(tt.a, tt.b), Compare(tt.b, tt.a)} {
				if v.Same != tt.same || tt.same && v.Rule != tt.rule {
					t.Errorf("Compare = %v, want same %v (%s)", v, tt.same, tt.rule)
				}
			}
		})
	}
}

// TestCompareDated holds the rules that dates add to the texts'.
func TestCompareDated(t *testing.T) {
	paras := seedPost(t)
	at := time.Date(2024, 6, 3, 9, 0, 0, 0, time.UTC)
	copyAt := func(days float64) Copy {
		return Copy{Dated: true, Published: at.Add(time.Duration(days * 24 * float64(time.Hour)))}
	}
	// One template's issues: the same two paragraphs to open and to close,
	// different middles.
	issue := func(middle ...string) Doc {
		return docOf("Platform Pulse", append(append(append([]string{}, paras[0], paras[1]), middle...), paras[7], paras[8])...)
	}
	quiet, busy := issue(paras[2]), issue(paras[3], paras[4], paras[5])
	teaser, post := docOf(seedTitle, paras[0], paras[1]), docOf(seedTitle, paras[:9]...)
	tests := []struct {
		name   string
		a, b   Doc
		ac, bc Copy
		same   bool
	}{
		{"one template filled a week apart", quiet, busy, copyAt(0), copyAt(7), false},
		{"the same texts a day apart", quiet, busy, copyAt(0), copyAt(1), true},
		{"the same texts undated", quiet, busy, Copy{}, Copy{Published: at.AddDate(0, 0, 7)}, true},
		{"a teaser the day after its post", teaser, post, copyAt(1), copyAt(0), true},
		{"a teaser hours before its post", teaser, post, copyAt(0), copyAt(0.3), true},
		{"a post that a later one opens with", teaser, post, copyAt(0), copyAt(6), false},
	}
	if v := Compare(quiet, busy); !v.Same || v.Lead < PartialLead || v.Tail < TemplateTail || v.Containment >= WithinContainment {
		t.Fatalf("Compare(quiet, busy) = %v: not two texts alike at both ends, the middles not", v)
	}
	if v := Compare(teaser, post); v.Rule != RulePartial {
		t.Fatalf("Compare(teaser, post) = %v, want %s", v, RulePartial)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, v := range []Verdict{CompareCopies(tt.a, tt.ac, tt.b, tt.bc), CompareCopies(tt.b, tt.bc, tt.a, tt.ac)} {
				if v.Same != tt.same {
					t.Errorf("CompareCopies = %v, want same %v", v, tt.same)
				}
			}
		})
	}
}

func sharesBand(a, b Doc) bool {
	for _, x := range a.Bands {
		for _, y := range b.Bands {
			if x == y {
				return true
			}
		}
	}
	return false
}

// TestExcerptBeforeEditNotice: an excerpt taken before its post opened
// with an edit notice is still a teaser of it.
func TestExcerptBeforeEditNotice(t *testing.T) {
	paras := seedPost(t)
	words := strings.Fields(paras[0] + " " + paras[1])
	excerpt := docOf(seedTitle, strings.Join(words[:55], " ")+" […]")
	notice := "Update, 10 October: the 1.8.1 release is out and includes the fix described below, so you no longer need the workaround at the end of this post."
	post := docOf(seedTitle, append([]string{notice}, paras...)...)
	if plain := docOf(seedTitle, paras...); post.Words != plain.Words || !slices.Equal(post.Lead, plain.Lead) {
		t.Fatalf("the notice is read as the post: %d words, %d without it", post.Words, plain.Words)
	}
	if v := Compare(excerpt, post); !v.Same || v.Rule != RulePartial {
		t.Errorf("Compare = %v, want the excerpt a teaser of the post", v)
	}
	for block, want := range map[string]bool{
		paras[0]: false,
		"Updates from the release team: a new schedule for the summer": false,
		"Edit (12 May): the link to the slides is fixed":               true,
		"Correction: the talk was on Tuesday, not Monday":              true,
		"Mise à jour (12 mai) : les diapositives sont en ligne.":       true,
		"Nachtrag: Die Folien sind online.":                            true,
		"Actualización, 3 de junio: ya está disponible la 1.8.1.":      true,
		"Mise en production d'un nouveau service: le bilan":            false,
		"Aktualisierung, 17. Oktober 2023: Version 2.4.1 ist draußen.": true,
		"Aktualisierung der Abhängigkeiten. Was sich ändert: wenig":    false,
		"Update, 17. Oktober: die Folien sind online.":                 true,
		"업데이트 (2월 9일): 2.2.1에서 고쳤습니다.":                                 true,
		"UPD: ссылка на слайды исправлена.":                            true,
		"Cập nhật (12/3): đã sửa liên kết.":                            true,
		"تحديث (12 مارس): أصلحنا الرابط.":                              true,
		"עדכון (12 בנובמבר): המפגש עובר לאולם הגדול.":                  true,
		"Ενημέρωση: οι διαφάνειες είναι online.":                       true,
		"به‌روزرسانی: پیوند درست شد.":                                  true,
		"更新（10 月 10 日）：v2.0.1 を公開しました。":                                true,
		"【追記】スライドのリンクを修正しました。":                                         true,
		"编者注：本文已更新。":                                                   true,
		"更新してください。手順は以下のとおりです：":                                        false,
	} {
		if isNotice(block) != want {
			t.Errorf("isNotice(%q) = %v, want %v", block, !want, want)
		}
	}
}

// TestNamedTeaserIsNotDisputed: a newsletter's teaser links the post it
// quotes with "Read more" and greets its readers first, so that it holds
// less of the post's lead than a teaser must: unnamed, under the post's
// URL, it reads as a blurb about the post; named, as the post's teaser.
// A comment that names the post but says its own thing stays apart.
func TestNamedTeaserIsNotDisputed(t *testing.T) {
	paras := seedPost(t)
	lead := strings.Fields(paras[0] + " " + paras[1])
	teaser := docOf("New on the blog: "+seedTitle,
		"Hello from the release team! New on the blog today: "+seedTitle+".",
		strings.Join(lead[:32], " "), "Read more …", "See you next month.")
	post := docOf(seedTitle, paras...)
	if _, apart := LinkedOnly(teaser, post, false); !apart {
		t.Fatalf("the teaser is the post's by its text alone (%v): nothing is tested", Compare(teaser, post))
	}
	if why, apart := LinkedOnly(teaser, post, true); apart {
		t.Errorf("a teaser that names its post is apart from it: %s", why)
	}
	comment := docOf("Worth reading", strings.Repeat("Our own view on how release teams should rotate their leads every cycle differs. ", 6))
	if _, apart := LinkedOnly(comment, post, true); !apart {
		t.Error("a comment that names the post it answers is the post's")
	}
}

// TestTemplateFilledTwice: two cities' meetups from one template, a day
// apart, end alike and share most of their words, but neither opens as
// the other does and each holds less than FilledContainment of the other:
// two posts. A copy with a re-poster's introduction holds all of its post.
func TestTemplateFilledTwice(t *testing.T) {
	meetup := func(city, day, venue, talk1, talk2, way string) Doc {
		return docOf("Community meetup in "+city,
			"We are happy to invite you to the Daftar community meetup in "+city+" on "+day+", from six to nine in the evening, at "+venue+". "+way,
			"The meetup is open to everyone: readers, developers, translators and anyone who wants to meet Daftar for the first time. No programming knowledge is needed, only a love of books.",
			"Programme",
			"Six o'clock: coffee and introductions. Half past six: "+talk1+". A quarter past seven: "+talk2+". Eight o'clock: questions, and help installing Daftar on your phone.",
			"Entry is free, but places are limited, so please register with the form on the forum at least three days before the meetup. The venue is wheelchair accessible, the programme will be printed in braille and large print, and anyone who needs company from the station is welcome to write to us.",
			"At all our meetups we follow the Daftar community code of conduct: we respect one another, listen to whoever is speaking, and accept no harassment or discrimination. If something bothered you, talk to one of the organisers.",
			"See you there!")
	}
	haifa := meetup("Haifa", "Wednesday 20 November", "the Hadar community centre, room 4", "Noa Levi on pointing Hebrew in Daftar, a year on", "Samer Khoury on one reader for two languages",
		"Take the Carmelit to Masada station and walk down the steps past the bakery; the centre is the white building on the corner.")
	beersheva := meetup("Be'er Sheva", "Thursday 21 November", "the city library, in the lecture hall on the second floor", "Itai Cohen on what changed for Hebrew in 2.2", "Shira Mizrahi on a digital library for blind pupils in the Negev",
		"From the central station it is a ten-minute walk along the boulevard, or two stops on bus line 3 towards the old city.")
	if v := Compare(haifa, beersheva); v.Same {
		t.Errorf("two cities' meetups from one template are one post: %v", v)
	}
	paras := seedPost(t)
	intro := "We are reposting this post from the Kubernetes blog, where it first appeared last week, because many of our readers asked about the release team and how it works."
	if v := Compare(docOf(seedTitle, paras...), docOf(seedTitle, append([]string{intro}, paras...)...)); !v.Same {
		t.Errorf("a copy with a re-poster's introduction is another post: %v", v)
	}
}
