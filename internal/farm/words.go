package farm

// The vocabulary of the generated posts: words of technical blog prose, a few
// with non-ASCII letters, so that parsers, sanitisers and hashes see UTF-8.
var words = []string{
	"the", "a", "of", "and", "to", "in", "is", "that", "for", "it", "with", "as",
	"on", "this", "we", "our", "but", "not", "you", "can", "when", "from", "then",
	"every", "each", "only", "after", "before", "about", "into", "over", "again",
	"server", "client", "request", "response", "cache", "header", "feed", "entry",
	"database", "index", "query", "table", "schema", "migration", "release",
	"version", "build", "compiler", "runtime", "memory", "allocation", "garbage",
	"collector", "goroutine", "thread", "lock", "channel", "queue", "worker",
	"scheduler", "timeout", "deadline", "context", "error", "panic", "retry",
	"backoff", "latency", "throughput", "benchmark", "profile", "trace", "log",
	"metric", "dashboard", "alert", "deploy", "rollback", "container", "kernel",
	"socket", "packet", "router", "proxy", "certificate", "handshake", "token",
	"session", "cookie", "browser", "render", "template", "parser", "lexer",
	"grammar", "syntax", "function", "method", "interface", "struct", "pointer",
	"slice", "map", "string", "byte", "buffer", "stream", "reader", "writer",
	"file", "directory", "path", "config", "flag", "option", "default", "test",
	"fixture", "golden", "fuzzing", "coverage", "review", "patch", "commit",
	"branch", "merge", "conflict", "upstream", "library", "module", "package",
	"dependency", "vendor", "license", "community", "meetup", "talk", "slides",
	"garden", "bicycle", "coffee", "weekend", "winter", "summer", "train", "city",
	"simple", "small", "fast", "slow", "careful", "broken", "stable", "quiet",
	"honest", "strange", "useful", "tiny", "large", "obvious", "subtle", "old",
	"new", "first", "last", "next", "really", "finally", "probably", "almost",
	"write", "read", "measure", "learn", "fix", "break", "ship", "refactor",
	"naïve", "café", "résumé", "Zürich", "façade", "déjà", "jalapeño", "smörgåsbord",
}

var firstNames = []string{
	"Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken",
	"Frances", "Edsger", "Radia", "Niklaus", "Hedy", "Donald", "Sophie", "Guido",
	"Karen", "Rob", "Joan", "Bjarne", "Anita", "Rasmus", "Zoë", "Søren", "José",
	"Chloé", "Mei", "Hiroshi", "Amara", "Priya",
}

var lastNames = []string{
	"Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov",
	"Thompson", "Allen", "Dijkstra", "Perlman", "Wirth", "Lamarr", "Knuth",
	"Wilson", "Rossum", "Spärck Jones", "Pike", "Clarke", "Stroustrup", "Borg",
	"Lerdorf", "O'Brien", "Kierkegaard", "Muñoz", "Lefèvre", "Chen", "Tanaka",
	"Okafor", "Raman",
}

var tags = []string{
	"go", "rust", "python", "sql", "linux", "networking", "security", "web",
	"performance", "testing", "databases", "devops", "career", "meta", "life",
	"open-source", "tutorial", "release", "notes", "hardware",
}

var languages = []string{"go", "python", "sql", "shell", "rust", "js"}

// codeLines are lines of code with the characters that must be escaped in
// HTML and again in XML: <, > and &.
var codeLines = []string{
	"if err != nil {",
	"\treturn fmt.Errorf(\"open %s: %w\", path, err)",
	"}",
	"for i := 0; i < len(xs) && xs[i] > 0; i++ {",
	"\tsum += xs[i] << 1",
	"SELECT id, title FROM entries WHERE score > 3 AND seen < now();",
	"if a && !b || c >= d {",
	"ch := make(chan struct{}, 8)",
	"fn parse<'a>(s: &'a str) -> Result<Vec<&'a str>, Error> {",
	"curl -s 'https://example.org/api?a=1&b=2' | jq '.items[] | .id'",
	"echo \"$HOME\" > /tmp/out && cat /tmp/out",
	"const isSmall = (n) => n < 10 && n >= 0;",
	"x = [y for y in range(10) if y % 2 == 0]",
	"<a href=\"/about\">About &amp; contact</a>",
	"defer wg.Done()",
	"log.Info(\"done\", \"took_ms\", time.Since(start) / time.Millisecond)",
}
