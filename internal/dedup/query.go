package dedup

import (
	"cmp"
	"slices"
	"strings"
)

// trackingParams are query keys (lower-case) that only say how a reader
// reached a page. Generic keys such as ref, id or p often select the page
// itself, so they are kept.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "gclsrc": true, "dclid": true,
	"gbraid": true, "wbraid": true, "msclkid": true, "yclid": true,
	"ysclid": true, "twclid": true, "ttclid": true, "li_fat_id": true,
	"igshid": true, "igsh": true, "srsltid": true, "epik": true,
	"mc_cid": true, "mc_eid": true, "_ga": true, "_gl": true,
	"_hsenc": true, "_hsmi": true, "__hstc": true, "__hssc": true,
	"__hsfp": true, "hsctatracking": true, "mkt_tok": true,
	"fb_action_ids": true, "fb_action_types": true, "fb_source": true,
	"_openstat": true, "oly_anon_id": true, "oly_enc_id": true,
	"vero_id": true, "vero_conv": true, "rb_clickid": true, "s_cid": true,
	"pk_campaign": true, "pk_kwd": true, "pk_keyword": true,
	"pk_source": true, "pk_medium": true, "pk_content": true, "pk_cid": true,
}

// trackingPrefixes are families of tracking keys (Google Analytics campaign
// tags and their Matomo equivalents).
var trackingPrefixes = []string{"utm_", "mtm_"}

// isTracking reports whether the query key k, with normalised escapes, is a
// tracking parameter.
func isTracking(k string) bool {
	k = strings.ToLower(k)
	if trackingParams[k] {
		return true
	}
	for _, p := range trackingPrefixes {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}

// param is one key=value pair of a query, still escaped. hasValue tells
// "k=" from a bare "k".
type param struct {
	key, value string
	hasValue   bool
}

// canonicalQuery drops tracking parameters, normalises percent-encoding and
// sorts what is left by key, then value. Repeated keys are kept: their order
// cannot matter to a server that reads them as a set, and it is the only
// canonical choice for one that does not.
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	var params []param
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, hasValue := strings.Cut(part, "=")
		k = normaliseEscapes(k, isQueryByte)
		if isTracking(k) {
			continue
		}
		params = append(params, param{
			key:      k,
			value:    normaliseEscapes(v, isQueryByte),
			hasValue: hasValue,
		})
	}
	slices.SortFunc(params, func(a, b param) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		if c := cmp.Compare(a.value, b.value); c != 0 {
			return c
		}
		return cmp.Compare(boolInt(a.hasValue), boolInt(b.hasValue))
	})
	var b strings.Builder
	for i, p := range params {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.key)
		if p.hasValue {
			b.WriteByte('=')
			b.WriteString(p.value)
		}
	}
	return b.String()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
