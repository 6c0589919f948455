package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/villagefeeds/village/internal/dedup"
	"github.com/villagefeeds/village/internal/store"
)

func newDedup(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dedup",
		Short: "Explain and repair how cross-posts were found",
		Long: `A post published on several blogs is stored once; its other copies are
its alternates. dedup explain shows why two posts are one entry or two;
dedup rescan applies the current rules to everything stored.`,
	}
	cmd.AddCommand(newDedupExplain(g), newDedupRescan(g))
	return cmd
}

func newDedupExplain(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "explain ID|URL [ID|URL]",
		Short: "Show why a post is one entry with its copies, or why two posts are apart",
		Long: `explain prints, for one entry (by id, link or a copy's link): the keys it is
known by, how much of its text is left once its source's boilerplate is left
out, its copies with the rule that matched each, and the entries whose text
is nearest, with their similarity and what keeps them apart. Given two, it
compares them. It opens the database read-only, so it is safe while the
daemon runs.`,
		Example: `  village dedup explain https://kubernetes.io/blog/2017/12/using-ebpf-in-kubernetes/
  village dedup explain 412 https://dev.to/jane/using-ebpf-in-kubernetes-4kd1`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, st, err := g.openStore(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer st.Close()
			opts := cfg.Dedup.Options()
			if len(args) == 1 {
				e, err := st.Explain(cmd.Context(), args[0], opts)
				if err != nil {
					return err
				}
				printExplained(g.stdout, e)
				return nil
			}
			p, err := st.ExplainPair(cmd.Context(), args[0], args[1], opts)
			if err != nil {
				return err
			}
			printPair(g.stdout, p)
			return nil
		},
	}
}

func printExplained(w io.Writer, e store.Explained) {
	if e.Alternate != nil {
		fmt.Fprintf(w, "%s is %s's copy of entry %d (%s)\n\n", e.Alternate.Link, e.Alternate.Source, e.Entry, rule(e.Alternate.Rule))
	}
	fmt.Fprintf(w, "entry %d  %q\n", e.Entry, e.Title)
	fmt.Fprintf(w, "  source     %s, published %s\n", e.Source, e.Published.Format(time.DateOnly))
	fmt.Fprintf(w, "  link       %s\n", e.Link)
	fmt.Fprintf(w, "  keys       canonical URL %s\n", orNone(e.URLKey))
	fmt.Fprintf(w, "             text hash %s\n", shortHash(e.Hash))
	if !e.HasText {
		fmt.Fprintln(w, "  text       not stored (kept before this version): run `village dedup rescan`")
	} else {
		if e.Doc.Hash != e.Hash {
			fmt.Fprintf(w, "             text hash without boilerplate %s\n", shortHash(e.Doc.Hash))
		}
		fmt.Fprintf(w, "  text       %d words in %d blocks; %d blocks of boilerplate left out%s\n", e.Doc.Words, e.Doc.Blocks, e.Doc.Stripped, sentencesLeftOut(e.Doc.Sentences))
		if e.Doc.Words < dedup.MinWords {
			fmt.Fprintf(w, "             too little text to judge similarity (need %d words): matched by URL and exact text only\n", dedup.MinWords)
		}
		if e.FullerFrom != "" {
			fmt.Fprintf(w, "             also compared by %s's copy, fuller: %d words\n", e.FullerFrom, e.FullerWords)
		}
	}
	fmt.Fprintf(w, "  copies     %d\n", len(e.Copies))
	for _, c := range e.Copies {
		fmt.Fprintf(w, "    %s  %s\n      %s\n", c.Source, c.Link, rule(c.Rule))
	}
	if !e.HasText {
		return
	}
	fmt.Fprintf(w, "  nearest    %d\n", len(e.Candidates))
	for _, c := range e.Candidates {
		fmt.Fprintf(w, "    entry %d  %q  %s, %s\n      %s\n", c.Entry, c.Title, c.Source, c.Published.Format(time.DateOnly), verdict(c.Verdict, c.Apart, c.Unsearched))
	}
}

func printPair(w io.Writer, p store.Pair) {
	printExplained(w, p.A)
	fmt.Fprintln(w)
	if p.Same {
		fmt.Fprintf(w, "one entry: both are entry %d\n", p.A.Entry)
		return
	}
	printExplained(w, p.B)
	fmt.Fprintln(w)
	if !p.A.HasText || !p.B.HasText {
		fmt.Fprintln(w, "two entries; their texts cannot be compared until `village dedup rescan`")
		return
	}
	fmt.Fprintf(w, "two entries: %s\n", verdict(p.Verdict, p.Apart, p.Unsearched))
}

func verdict(v dedup.Verdict, apart, unsearched string) string {
	switch {
	case apart != "":
		return fmt.Sprintf("%s; kept apart: %s", v, apart)
	case v.Same && unsearched != "":
		return fmt.Sprintf("%s; the same post by their texts, but %s", v, unsearched)
	case v.Same:
		return fmt.Sprintf("%s; the same post: a rescan merges them", v)
	}
	return v.String()
}

func rule(r string) string {
	if r == "" {
		return "matched before rules were recorded"
	}
	return "matched by " + r
}

func shortHash(hash string) string {
	if hash == "" {
		return "(none: text too short to identify a post)"
	}
	return hash[:16] + "…"
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func newDedupRescan(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "rescan",
		Short: "Apply the current de-duplication rules to every stored entry",
		Long: `rescan re-examines every stored entry, oldest first, in batches: it re-keys
its text without its source's boilerplate and merges it with another
source's entry it turns out to be a copy of, as if it had just arrived.
Entries stored by an older village get their text from their content first.
Run it after upgrading or changing dedup: in feeds.yaml. Each batch is its
own transaction, so the daemon keeps serving meanwhile, and an interrupted
rescan loses nothing: run it again to finish.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, st, err := g.openStore(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer st.Close()
			var last time.Time
			progress := func(p store.RescanProgress) {
				if time.Since(last) < 2*time.Second {
					return
				}
				last = time.Now()
				fmt.Fprintf(g.stderr, "rescan: %d of %d entries, %d merged\n", p.Done, p.Entries, p.Merged)
			}
			p, err := st.Rescan(cmd.Context(), cfg.Dedup.Options(), progress)
			if err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "rescanned %d entries: %d merged into another source's copy, %d texts recovered, %d sources learned their boilerplate\n",
				p.Done, p.Merged, p.Recovered, p.Learned)
			return nil
		},
	}
}

// sentencesLeftOut says how many boilerplate sentences were left out of
// the paragraphs kept, if any.
func sentencesLeftOut(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return ", and 1 sentence of a paragraph"
	}
	return fmt.Sprintf(", and %d sentences of paragraphs", n)
}
