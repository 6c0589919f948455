package dedup

import (
	"slices"
	"testing"
)

// TestSpellingsReadAlike: the spellings copies use for one word read as
// one word, and other words stay apart.
func TestSpellingsReadAlike(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"Grüße aus der Straße", "Gruesse aus der Strasse"},                   // a German mirror in ASCII
		{"Grüße aus der Straße", "Gruße aus der Strasse"},                     // accents dropped
		{"Übersetzung für Köln", "UEBERSETZUNG FUER KOELN"},                   // and shouted
		{"Fahr\u00adplan\u00adaus\u00adkunft", "Fahrplanauskunft"},            // soft hyphens
		{"Gru\u0308\u00dfe", "Grüße"},                                         // decomposed (NFD)
		{"Le café crème, à l’œuvre ; où ?", "Le cafe creme, a l'oeuvre; ou?"}, // accents and typography
		{"¿Cómo validamos el año?", "Como validamos el ano"},
		{"Tiếng Việt có dấu", "Tieng Viet co dau"},
		{"Ærø og Øresund", "AEroe og Oeresund"},
		{"ёлка и йод", "елка и иод"},
		{"Καλημέρα κόσμε", "ΚΑΛΗΜΕΡΑ ΚΟΣΜΕ"},
		{"Zero\u200bwidth joiner\u200d here", "Zero\u200bwidth joiner here"},
		{"مَرْحَبًا بِكُمْ في المُؤْتَمَر", "مرحبا بكم في المؤتمر"}, // harakat
		{"مـــرحبا", "مرحبا"},                                       // tatweel
		{"کتاب یک إصدار", "كتاب يك اصدار"},                          // Persian and Arabic letters, hamza
		{"שָׁלוֹם עוֹלָם", "שלום עולם"},                             // niqqud
		{"ज़रूरी काम", "जरूरी काम"},                                 // nukta
		{"גרסה\u200F 2 של\u200E Tessera", "גרסה 2 של Tessera"},      // direction marks
		{"نسخه ۱.۴ و ٢٠٢٤", "نسخه 1.4 و 2024"},                      // digits
	} {
		if a, b := appendWords(nil, c.a), appendWords(nil, c.b); !slices.Equal(a, b) {
			t.Errorf("%q and %q read as other words: %x, %x", c.a, c.b, a, b)
		}
		if a, b := titleWords(c.a), titleWords(c.b); len(a) != len(b) || !titleWithin(c.a, c.b) {
			t.Errorf("titles %q and %q read as other words: %v, %v", c.a, c.b, a, b)
		}
	}
	for _, c := range []struct{ a, b string }{
		{"Bahn", "Bohn"}, {"Grüße", "Größe"}, {"rot", "rote"}, {"Haus", "Hans"}, {"sí", "so"},
		{"हिन्दी", "हिन्द"}, // a vowel sign is part of its word
	} {
		if a, b := appendWords(nil, c.a), appendWords(nil, c.b); slices.Equal(a, b) {
			t.Errorf("%q and %q read as the same words", c.a, c.b)
		}
	}
}

// TestDigitsOfOtherScripts: a release numbered in Persian or Arabic-Indic
// digits is the release numbered in ASCII ones, and another release is
// another.
func TestDigitsOfOtherScripts(t *testing.T) {
	for _, c := range []struct {
		a, b     string
		conflict bool
	}{
		{"انتشار نسخه ۱.۴", "انتشار نسخه 1.4", false},
		{"انتشار نسخه ۱.۴", "انتشار نسخه 1.5", true},
		{"الإصدار ٢.٠.١", "الإصدار 2.0.2", true},
		{"भाग १", "भाग 2", true},
	} {
		if got := TitlesConflict(c.a, c.b); got != c.conflict {
			t.Errorf("TitlesConflict(%q, %q) = %v, want %v", c.a, c.b, got, c.conflict)
		}
	}
}
