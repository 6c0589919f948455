package dedup

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestOriginURL(t *testing.T) {
	const self = "https://copy.example/p/1"
	tests := []struct {
		name, content, want string
	}{
		{"Medium's import line", `<p>Body of the post, long enough.</p><p>More body.</p><p><em>Originally published at </em><a href="https://hana.example.dev/2024/06/20/slides.html"><em>hana.example.dev</em></a><em> on June 20, 2024.</em></p>`,
			"https://hana.example.dev/2024/06/20/slides.html"},
		{"a header line", `<p>This post was first published on <a href="https://blog.example/posts/x/?utm_source=rss">the project blog</a>.</p><p>Body.</p><p>More.</p><p>And more.</p><p>The end.</p>`,
			"https://blog.example/posts/x"},
		{"WordPress's footer, kept by a mirror", `<p>Body.</p><p>The post <a href="https://orig.example/2024/05/hello/">Hello</a> appeared first on <a href="https://orig.example/">Orig</a>.</p>`,
			"https://orig.example/2024/05/hello"},
		{"German", `<p>Ursprünglich veröffentlicht auf <a href="https://kw.example.de/blog/?p=12">Kartenwerk</a>.</p><p>Text.</p>`,
			"https://kw.example.de/blog?p=12"},
		{"a link to the post a response answers", `<p>In <a href="https://orig.example/2024/05/hello/">her post</a> Ana argues for it.</p><p>I disagree.</p>`, ""},
		{"the phrase in the middle of a long post", `<p>1</p><p>2</p><p>It was first published on <a href="https://orig.example/a/">a blog</a>.</p><p>4</p><p>5</p><p>6</p><p>7</p>`, ""},
		{"a digest crediting two posts", `<p>Originally published at <a href="https://a.example/p/">A</a> and <a href="https://b.example/q/">B</a>.</p><p>Text.</p>`, ""},
		{"the item's own link", `<p>Text.</p><p>The post <a href="https://copy.example/p/1/">This</a> appeared first on <a href="https://copy.example/">Copy</a>.</p>`, ""},
		{"an editor's note run into the origin line", `<p>This post first appeared on the project blog. <em>Editor's note: this post is part of a <a href="https://orig.example/series/">series</a>.</em></p><p>Text.</p>`, ""},
		{"Medium's footer, besides its import line", `<p>Text.</p><p><em>Originally published at </em><a href="https://hana.example.dev/2024/06/20/slides.html">hana.example.dev</a> on June 20.</p><hr><p><a href="https://copy.example/p/1-abc?source=rss">Slides</a> was originally published in <a href="https://copy.example/maps">Maps</a> on Medium.</p>`,
			"https://hana.example.dev/2024/06/20/slides.html"},
		{"a long post's last paragraph", `<p>1</p><p>2</p><p>3</p><p>4</p><p>5</p><p>6</p><p>7</p><p>8</p><p>Originally published at <a href="https://orig.example/long/">orig</a>.</p><p>Share this.</p>`,
			"https://orig.example/long"},
		{"a long post's fourth paragraph from the end", `<p>1</p><p>2</p><p>3</p><p>4</p><p>5</p><p>Originally published at <a href="https://orig.example/long/">orig</a>.</p><p>7</p><p>8</p><p>9</p>`, ""},
		{"French", `<p>Cet article a d'abord été publié sur <a href="https://blog.example.fr/2024/05/ordonnanceur/">le blog du projet</a>.</p><p>Texte.</p>`,
			"https://blog.example.fr/2024/05/ordonnanceur"},
		{"Spanish", `<p>Texto.</p><p>Publicado originalmente en <a href="https://blog.example.es/planificador">el blog</a> el 3 de mayo.</p>`,
			"https://blog.example.es/planificador"},
		{"Portuguese", `<p>Texto.</p><p><em>Este artigo foi publicado pela primeira vez no <a href="https://blog.example.com.br/agendador/">blog</a>.</em></p>`,
			"https://blog.example.com.br/agendador"},
		{"Italian", `<p>Pubblicato originariamente su <a href="https://blog.example.it/scheduler/">il blog</a>.</p><p>Testo.</p>`,
			"https://blog.example.it/scheduler"},
		{"Dutch", `<p>Tekst.</p><p>Oorspronkelijk gepubliceerd op <a href="https://blog.example.nl/planner/">het blog</a>.</p>`,
			"https://blog.example.nl/planner"},
		{"Russian", `<p>Первоначально опубликовано в <a href="https://blog.example.ru/planirovshchik/">блоге проекта</a>.</p><p>Текст.</p>`,
			"https://blog.example.ru/planirovshchik"},
		{"Polish", `<p>Tekst.</p><p>Pierwotnie opublikowany na <a href="https://blog.example.pl/planista/">blogu</a>.</p>`,
			"https://blog.example.pl/planista"},
		{"Japanese, its own paragraph", `<p>この記事は、Kubernetesブログに2024年8月13日に掲載された記事の転載です。原文：<a href="https://k8s.example.io/ja/blog/2024/08/13/sidecar/">サイドカーコンテナ</a></p><p>本文。</p>`,
			"https://k8s.example.io/ja/blog/2024/08/13/sidecar"},
		{"Japanese, fused into the first paragraph", `<p>初出：<a href="https://zenn.example.dev/taro/articles/abc123">Zenn</a>。Kubernetes 1.31では、機能が昇格しました。</p><p>本文。</p>`,
			"https://zenn.example.dev/taro/articles/abc123"},
		{"Chinese", `<p>正文。</p><p>本文首发于<a href="https://blog.example.cn/posts/42/">社区博客</a>，转载请注明出处。</p>`,
			"https://blog.example.cn/posts/42"},
		{"Japanese, a link in the next sentence", `<p>この記事は最初に掲載されたものです。詳しくは<a href="https://other.example/post/">こちら</a>をご覧ください。</p><p>本文。</p>`, ""},
		{"a site's home page only", `<p>Text.</p><p>Originally published on <a href="https://orig.example/">Orig</a>.</p>`, ""},
		{"a newsletter's teaser, German", `<p>Hallo! Neu im Blog:</p><p>Der erste Absatz.</p><p><a href="https://blog.example.de/2024/reihe-teil-1/">weiterlesen …</a></p><p>Bis bald.</p>`,
			"https://blog.example.de/2024/reihe-teil-1"},
		{"Read more, run into the excerpt", `<p>The first paragraph of the post, cut short […] <a href="https://orig.example/post/">Read more »</a></p>`,
			"https://orig.example/post"},
		{"WordPress's Continue reading", `<p>The excerpt.</p><p><a href="https://orig.example/2024/05/hello/" class="more-link">Continue reading <span>Hello</span> →</a></p>`,
			"https://orig.example/2024/05/hello"},
		{"French and Spanish", `<p>Texte.</p><p><a href="https://blog.example.fr/billet/">Lire la suite</a></p>`, "https://blog.example.fr/billet"},
		{"a digest's read-mores", `<p>One. <a href="https://a.example/p/">Read more</a></p><p>Two. <a href="https://b.example/q/">Read more</a></p>`, ""},
		{"a sentence that begins Read more", `<p>Text.</p><p><a href="https://orig.example/report/">Read more about our funding in the annual report</a>.</p>`, ""},
		{"a link in a sentence that ends with more", `<p>Text.</p><p>We wrote <a href="https://orig.example/more/">furthermore</a></p>`, ""},
		{"a mailing list's teaser, in plain text", `<p>Merhaba,</p><p>Text.</p><p>Devamını oku: https://blog.example.com.tr/2024/10/paket/</p><p>Elif</p><p>___<br>tessera-tr mailing list<br>https://lists.example.org/mailman/listinfo/tessera-tr</p>`,
			"https://blog.example.com.tr/2024/10/paket"},
		{"Read more, then words after the URL", `<p>Text.</p><p>Read more: https://orig.example/p/ and https://orig.example/q/</p>`, ""},
		{"a URL in plain text in an origin sentence", `<p>Originally published at https://orig.example/a/.</p><p>Text.</p>`, ""},
		{"a Discourse topic embedding a post", `<p>Teaser.</p><p><a href="https://orig.example/2025/05/letter/">ادامه مطلب</a></p><p><small>This is a companion discussion topic for the original entry at <a href="https://orig.example/2025/05/letter/">https://orig.example/2025/05/letter/</a></small></p><p><small>12 posts - 9 participants</small></p><p><a href="https://copy.example/t/topic/3544">Read full topic</a></p>`,
			"https://orig.example/2025/05/letter"},
		{"Arabic", `<p>نص.</p><p><a href="https://ar.example.org/2024/03/bidi/">اقرأ المزيد</a></p>`, "https://ar.example.org/2024/03/bidi"},
	}
	for _, tt := range tests {
		var text []string
		for _, b := range edgeLinkBlocks(tt.content) {
			text = append(text, b.text)
		}
		if got := OriginURL(tt.content, strings.Join(text, "\n"), self); got != tt.want {
			t.Errorf("%s: OriginURL = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// FuzzOriginURL: any content and text give no origin or a canonical URL
// of another host than the item's own, and never panic.
func FuzzOriginURL(f *testing.F) {
	f.Add(`<p>Originally published at <a href="https://a.example/p/">A</a>.</p>`, "Originally published at A.")
	f.Add(`<p>x</p><p>The post <a href="https://b.example/q">Q</a> appeared first on <a href="https://b.example/">B</a>.</p>`, "x\nThe post Q appeared first on B.")
	f.Add(`<p>first published <a href=`, "first published\n\n\n")
	f.Add(`<p>記事の転載です。原文：<a href="https://a.example/p/">A</a>。</p>`, "記事の転載です。原文：A。")
	f.Add(`<p>x</p><p><a href="https://a.example/p/">weiterlesen …</a></p>`, "x\nweiterlesen …")
	f.Fuzz(func(t *testing.T, content, text string) {
		const self = "https://self.example/p"
		got := OriginURL(content, text, self)
		if got != "" && (CanonicalURL(got) != got || hostOf(got) == hostOf(self)) {
			t.Errorf("OriginURL = %q, not another site's canonical URL", got)
		}
	})
}

// TestReadMorePhrases: endsReadingOn finds a phrase only when it is in
// lower case and fits the end of a line it looks at.
func TestReadMorePhrases(t *testing.T) {
	for p := range readMore {
		if len(p) > readMoreBytes || p != strings.ToLower(p) {
			t.Errorf("read-more phrase %q: %d bytes (at most %d), or not in lower case", p, len(p), readMoreBytes)
		}
		r, n := utf8.DecodeRuneInString(p)
		if !endsReadingOn("A teaser's last paragraph. " + string(unicode.ToUpper(r)) + p[n:] + " …") {
			t.Errorf("read-more phrase %q is not found at a line's end", p)
		}
		shorter := false // another phrase ends this one ("συνέχεια")
		for q := range readMore {
			shorter = shorter || q != p && strings.HasSuffix(p, " "+q)
		}
		if !shorter && endsReadingOn("un"+p) {
			t.Errorf("read-more phrase %q is found inside a word", p)
		}
	}
}
