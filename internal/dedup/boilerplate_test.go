package dedup

import (
	"fmt"
	"strings"
	"testing"
)

// syndicated is post i of a syndicator that wraps every post in the same
// lines, quoting the post's own title, link and date.
func syndicated(i int) (string, Post) {
	title := fmt.Sprintf("Post number %d about %s", i, []string{"schedulers", "networking", "storage", "security"}[i%4])
	body := fmt.Sprintf("Body of post %d: %s", i, strings.Repeat(fmt.Sprintf("distinct words w%d ", i), 20))
	return fmt.Sprint("guid-", i), Post{
		Title:      title,
		Categories: []string{"kubernetes", fmt.Sprint("topic", i)},
		Text: strings.Join([]string{
			fmt.Sprintf("This post was originally published at https://blog.example/%d/ on 2024-05-%02d.", i, i+1),
			body,
			fmt.Sprintf("The post %s appeared first on Example Blog.", title),
			fmt.Sprintf("Tags: kubernetes, topic%d", i),
			"Follow us on Mastodon and subscribe to the newsletter.",
		}, "\n"),
	}
}

func TestLearnSyndicatorLines(t *testing.T) {
	var w Window
	for i := range 5 {
		w.Add(syndicated(i))
	}
	bp := w.Learn(Boilerplate{})
	if bp.Len() != 4 {
		t.Errorf("learned %d blocks, want the 4 lines every post has", bp.Len())
	}
	_, p := syndicated(9) // a post the window never saw
	d := Analyze(p, bp)
	if d.Stripped != 4 || d.Blocks != 5 {
		t.Errorf("left out %d of %d blocks, want 4 of 5", d.Stripped, d.Blocks)
	}
	body := strings.Split(p.Text, "\n")[1]
	if want := HashText(body); d.Hash != want {
		t.Errorf("hash without boilerplate = %s, want the body's %s", d.Hash, want)
	}
}

// TestLearnFusedSentence: a syndicator's origin line fused into each post's
// first paragraph is learned as a sentence and left out, whichever words
// the posts' titles share with it ("on", "Kubernetes"), while the title a
// footer quotes is still left out of the footer's key.
func TestLearnFusedSentence(t *testing.T) {
	titles := []string{"Elastic deep learning on Kubernetes", "Containerd brings more runtime options", "Kubernetes 1.9 is out", "Notes from the release team"}
	const line = "This post was originally published on the Kubernetes Blog."
	body := func(i int) string {
		return fmt.Sprintf("Post %d opens here. %s", i, strings.Repeat(fmt.Sprintf("distinct words w%d ", i), 30))
	}
	post := func(i int, origin string) Post {
		return Post{Title: titles[i], Text: origin + body(i) + "\nThe post " + titles[i] + " appeared first on OpsWire."}
	}
	var w Window
	for i := range MinSupport {
		w.Add(fmt.Sprint(i), post(i, line+" "))
	}
	bp := w.Learn(Boilerplate{})
	d := Analyze(post(3, line+" "), bp)
	if d.Sentences != 1 || d.Stripped != 1 {
		t.Errorf("left out %d sentences and %d blocks, want the origin line and the footer", d.Sentences, d.Stripped)
	}
	if want := HashText(body(3)); d.Hash != want {
		t.Errorf("hash without boilerplate = %s, want the body's %s", d.Hash, want)
	}
	// A post without the line keeps its first sentence.
	if d := Analyze(post(3, ""), bp); d.Sentences != 0 || d.Hash != HashText(body(3)) {
		t.Errorf("post without the line: left out %d sentences, hash %s; want 0 and the body's", d.Sentences, d.Hash)
	}
}

func TestLearnNothingFromCleanSource(t *testing.T) {
	var w Window
	words := strings.Fields("alpha bravo charlie delta echo foxtrot golf hotel india juliet")
	for i, w1 := range words {
		w2 := words[(i+3)%len(words)]
		w.Add(fmt.Sprint(i), Post{Title: "Post " + w1, Text: fmt.Sprintf("Intro about %s and %s.\nBody on %s and %s.\nOutro on %s in its own words.", w1, w2, w1, w2, w2)})
	}
	if bp := w.Learn(Boilerplate{}); bp.Len() != 0 {
		t.Errorf("learned %d blocks from posts that share none", bp.Len())
	}
}

func TestLearnNeedsMinSupport(t *testing.T) {
	var w Window
	for i := range MinSupport - 1 {
		w.Add(syndicated(i))
	}
	if bp := w.Learn(Boilerplate{}); bp.Len() != 0 {
		t.Errorf("learned %d blocks from %d posts", bp.Len(), MinSupport-1)
	}
	w.Add(syndicated(MinSupport))
	if bp := w.Learn(Boilerplate{}); bp.Len() == 0 {
		t.Errorf("learned nothing from %d posts", MinSupport)
	}
}

// TestLearnFollowsChange shows a source's boilerplate changing: a new
// footer is learned once enough posts carry it, and the old one is
// forgotten only once no post in the window has it.
func TestLearnFollowsChange(t *testing.T) {
	var w Window
	post := func(i int, footer string) (string, Post) {
		return fmt.Sprint(i), Post{Title: fmt.Sprint("T", i), Text: fmt.Sprintf("Body %d %s\n%s", i, strings.Repeat("x ", i), footer)}
	}
	old, next := "Thanks for reading!", "Subscribe to our newsletter for more."
	for i := range 5 {
		w.Add(post(i, old))
	}
	bp := w.Learn(Boilerplate{})
	key := func(footer string) uint64 { return EdgeKeys(Post{Text: footer})[0] }
	if !bp.Has(key(old)) {
		t.Fatal("old footer not learned")
	}
	for i := 5; i < 5+WindowPosts; i++ {
		w.Add(post(i, next))
		bp = w.Learn(bp)
		switch inWindow := i < 5+WindowPosts-1; {
		case !bp.Has(key(old)) && inWindow:
			t.Fatalf("old footer forgotten after %d new posts, while the window still holds it", i-4)
		case bp.Has(key(old)) && !inWindow:
			t.Fatal("old footer still learned after it left the window")
		}
		if want := i-4 >= MinSupport; bp.Has(key(next)) != want {
			t.Fatalf("after %d posts with the new footer: learned %v, want %v", i-4, bp.Has(key(next)), want)
		}
	}
}

func TestWindowRoundTrip(t *testing.T) {
	var w Window
	for i := range WindowPosts + 7 {
		w.Add(syndicated(i))
	}
	if w.Len() != WindowPosts {
		t.Fatalf("window holds %d posts, want %d", w.Len(), WindowPosts)
	}
	data, _ := w.MarshalBinary()
	back, err := ParseWindow(data)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Learn(Boilerplate{}).Equal(w.Learn(Boilerplate{})) {
		t.Error("decoded window learns something else")
	}
	for _, bad := range [][]byte{{2}, data[:len(data)-3], append(data, 0)} {
		if _, err := ParseWindow(bad); err == nil {
			t.Errorf("ParseWindow(% x…) accepted a malformed window", bad[:min(len(bad), 4)])
		}
	}
	bp := w.Learn(Boilerplate{})
	enc, _ := bp.MarshalBinary()
	if got, err := ParseBoilerplate(enc); err != nil || !got.Equal(bp) {
		t.Errorf("boilerplate round trip: %v, %v", got, err)
	}
}

// TestStrippedHashKeepsEveryOtherBlock: a syndicator's line between two
// blocks of the post is left out of the hash, and both blocks stay in it.
func TestStrippedHashKeepsEveryOtherBlock(t *testing.T) {
	var w Window
	for i := range MinSupport {
		w.Add(fmt.Sprint(i), Post{Text: fmt.Sprintf("Post %d starts here, words %d.\nShared by the Example syndicator.\nIt ends here %d.", i, i, i)})
	}
	bp := w.Learn(Boilerplate{})
	p := Post{Text: strings.Repeat("First block of the post. ", 10) + "\nShared by the Example syndicator.\n" + strings.Repeat("Last block of the post. ", 10)}
	d := Analyze(p, bp)
	want := HashText(strings.Repeat("First block of the post. ", 10) + "\n" + strings.Repeat("Last block of the post. ", 10))
	if d.Stripped != 1 || d.Hash != want {
		t.Errorf("left out %d blocks, hash %s; want 1 and the hash of both other blocks %s", d.Stripped, d.Hash, want)
	}
}

// TestWindowUpdate: recording a refresh's posts at once leaves the window
// as adding them one by one would, a known post keeping the edge blocks
// the window holds for it, even when posts added before it would have
// pushed it out one by one; a known post the window does not hold is
// reported and left out.
func TestWindowUpdate(t *testing.T) {
	fill := func(n int) *Window {
		var w Window
		for i := range n {
			w.Add(syndicated(i))
		}
		return &w
	}
	// A feed of WindowPosts+10 posts, newest first: ten new ones, then
	// the window's own posts, newest first; recorded oldest first.
	var feed []int
	for i := WindowPosts + 9; i >= WindowPosts; i-- {
		feed = append(feed, i)
	}
	for i := WindowPosts - 1; i >= 0; i-- {
		feed = append(feed, i)
	}
	added, updated := fill(WindowPosts), fill(WindowPosts)
	var listed []Listed
	for i := len(feed) - 1; i >= 0; i-- {
		key, p := syndicated(feed[i])
		added.Add(key, p)
		if feed[i] < WindowPosts {
			listed = append(listed, Listed{Key: key, Known: true})
		} else {
			listed = append(listed, Listed{Key: key, Post: p})
		}
	}
	if !updated.Update(listed) {
		t.Error("a known post was not in the window")
	}
	a, _ := added.MarshalBinary()
	b, _ := updated.MarshalBinary()
	if string(a) != string(b) {
		t.Error("Update made another window than adding the posts one by one")
	}

	w := fill(3)
	before, _ := w.MarshalBinary()
	key, _ := syndicated(99)
	if w.Update([]Listed{{Key: key, Known: true}}) {
		t.Error("a known post the window never held was reported there")
	}
	after, _ := w.MarshalBinary()
	if w.Has(key) || string(after) != string(before) {
		t.Error("a known post the window never held changed it")
	}
}
