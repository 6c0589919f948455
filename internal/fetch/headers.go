package fetch

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxHint bounds server hints so absurd values cannot overflow a Duration;
// the scheduler applies its own, much lower cap.
const maxHint = 365 * 24 * time.Hour

// serverNow is the server's idea of the current time when it sent a Date
// header. Date-valued hints are measured against it, so a skewed local clock
// does not turn "retry in two minutes" into "retry now" or "in two hours".
func serverNow(h http.Header, local time.Time) time.Time {
	if t, err := http.ParseTime(h.Get("Date")); err == nil {
		return t
	}
	return local
}

// retryAfter reads Retry-After as delay-seconds or as an HTTP-date.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if d, ok := seconds(v); ok {
		return d
	}
	if t, err := http.ParseTime(v); err == nil {
		return clampHint(t.Sub(now))
	}
	return 0
}

// maxAge reads Cache-Control max-age, falling back to Expires as RFC 9111
// says. no-store and no-cache mean "no reason to wait longer": 0.
func maxAge(h http.Header, now time.Time) time.Duration {
	for _, dir := range strings.Split(h.Get("Cache-Control"), ",") {
		name, value, _ := strings.Cut(strings.TrimSpace(dir), "=")
		switch strings.ToLower(name) {
		case "no-store", "no-cache":
			return 0
		case "max-age":
			if d, ok := seconds(strings.Trim(value, `"`)); ok {
				return d
			}
		}
	}
	if t, err := http.ParseTime(h.Get("Expires")); err == nil {
		return clampHint(t.Sub(now))
	}
	return 0
}

func seconds(v string) (time.Duration, bool) {
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return maxHint, true
		}
		return 0, false
	}
	if n > uint64(maxHint/time.Second) {
		return maxHint, true
	}
	return time.Duration(n) * time.Second, true
}

func clampHint(d time.Duration) time.Duration {
	return max(0, min(d, maxHint))
}

// byteSize formats a limit for people: "10 MiB", "512 KiB", "1000 bytes".
func byteSize(n int64) string {
	const unit = 1024
	if n < unit || n%unit != 0 {
		return strconv.FormatInt(n, 10) + " bytes"
	}
	for _, suffix := range []string{"KiB", "MiB", "GiB"} {
		n /= unit
		if n < unit || n%unit != 0 || suffix == "GiB" {
			return strconv.FormatInt(n, 10) + " " + suffix
		}
	}
	return ""
}
