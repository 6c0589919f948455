package refresh

import "fmt"

// MoveFix says, in one line, how to change feeds.yaml for a feed that moved
// permanently. village never edits the file itself: the planet's owner
// decides, and the comments and order of the file stay theirs.
func MoveFix(from, to string) string {
	return fmt.Sprintf("in feeds.yaml, change %q to %q", "url: "+from, "url: "+to)
}

// GoneFix says what to do about a feed that answered 410 Gone.
func GoneFix(url string) string {
	return fmt.Sprintf("the feed was removed (410 Gone): delete %q from feeds.yaml, or list its new address", "url: "+url)
}
