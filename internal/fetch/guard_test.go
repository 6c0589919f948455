package fetch

import (
	"context"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func TestCheckAddr(t *testing.T) {
	tests := []struct {
		addr string
		what string // "" when public
	}{
		{"93.184.215.14", ""},
		{"8.8.8.8", ""},
		{"2606:4700::1111", ""},
		{"127.0.0.1", "loopback"},
		{"127.8.9.10", "loopback"},
		{"::1", "loopback"},
		{"10.1.2.3", "private"},
		{"172.16.0.1", "private"},
		{"172.31.255.255", "private"},
		{"172.32.0.1", ""},
		{"192.168.1.1", "private"},
		{"fd12:3456::1", "private (unique local)"},
		{"fc00::1", "private (unique local)"},
		{"169.254.169.254", "link-local (cloud metadata)"},
		{"169.254.0.1", "link-local (cloud metadata)"},
		{"fe80::1", "link-local"},
		{"fe80::1%eth0", "link-local"},
		{"100.64.0.1", "shared (carrier-grade NAT)"},
		{"100.127.255.254", "shared (carrier-grade NAT)"},
		{"100.128.0.1", ""},
		{"0.0.0.0", "this network"},
		{"::", "unspecified"},
		{"224.0.0.1", "multicast"},
		{"239.255.255.250", "multicast"},
		{"ff02::1", "multicast"},
		{"255.255.255.255", "reserved"},
		{"::ffff:127.0.0.1", "loopback"},
		{"::ffff:169.254.169.254", "link-local (cloud metadata)"},
		{"::ffff:10.0.0.1", "private"},
		{"::ffff:100.64.0.1", "shared (carrier-grade NAT)"},
		{"::ffff:8.8.8.8", ""},
		{"::127.0.0.1", "loopback"},
		{"64:ff9b::a9fe:a9fe", "link-local (cloud metadata)"},
		{"64:ff9b::808:808", ""},
	}
	for _, tt := range tests {
		err := CheckAddr(netip.MustParseAddr(tt.addr))
		var pe *PrivateAddressError
		switch {
		case tt.what == "" && err != nil:
			t.Errorf("%s: refused (%v), want allowed", tt.addr, err)
		case tt.what != "" && !errors.As(err, &pe):
			t.Errorf("%s: allowed, want refused as %s", tt.addr, tt.what)
		case tt.what != "" && pe.What != tt.what:
			t.Errorf("%s: refused as %q, want %q", tt.addr, pe.What, tt.what)
		}
	}
}

// TestGuardRefusesLoopback fetches from loopback with the guard on: by IP,
// by a name that resolves to it, and through a redirect from a server the
// test lets through. Nothing reaches the refused servers.
func TestGuardRefusesLoopback(t *testing.T) {
	var mu sync.Mutex
	reached := 0
	target := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reached++
		mu.Unlock()
		_, _ = w.Write([]byte("<feed/>"))
	})
	entry := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/feed", http.StatusFound)
	})
	entryAddr := netip.MustParseAddrPort(entry.Listener.Addr().String())
	_, port, _ := net.SplitHostPort(target.Listener.Addr().String())

	tests := []struct {
		name, url string
	}{
		{"by address", target.URL + "/feed"},
		{"by name", "http://localhost:" + port + "/feed"},
		{"through a redirect", entry.URL + "/start"},
	}
	c := New(Options{exempt: func(ap netip.AddrPort) bool { return ap == entryAddr }})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Get(context.Background(), Request{URL: tt.url})
			var pe *PrivateAddressError
			if !errors.As(err, &pe) || !pe.Addr.IsLoopback() {
				t.Fatalf("err = %v, want a refused loopback address", err)
			}
			if Class(err) != "private" {
				t.Errorf("Class = %q, want private", Class(err))
			}
			msg := err.Error()
			if !strings.Contains(msg, pe.Addr.String()) || !strings.Contains(msg, "allow_private_networks: true") {
				t.Errorf("message %q should name the address and the setting", msg)
			}
		})
	}
	if reached != 0 {
		t.Errorf("the refused server answered %d requests", reached)
	}
	// The same server is fine once private networks are allowed.
	if _, err := New(Options{AllowPrivate: true}).Get(context.Background(), Request{URL: target.URL + "/feed"}); err != nil {
		t.Fatalf("with AllowPrivate: %v", err)
	}
}

// TestHTTPClientKeepsTheGuard: the client for village's other requests (a
// WebSub ping to the hub) refuses a loopback hub as a feed is refused, and
// reaches it once private networks are allowed.
func TestHTTPClientKeepsTheGuard(t *testing.T) {
	var pings atomic.Int64
	hub := serve(t, func(w http.ResponseWriter, r *http.Request) {
		pings.Add(1)
		w.WriteHeader(http.StatusNoContent)
	})
	post := func(c *http.Client) error {
		resp, err := c.PostForm(hub.URL+"/", url.Values{"hub.mode": {"publish"}})
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	var pe *PrivateAddressError
	if err := post(New(Options{}).HTTPClient()); !errors.As(err, &pe) || !pe.Addr.IsLoopback() {
		t.Errorf("ping to a loopback hub: err = %v, want a refused loopback address", err)
	}
	if n := pings.Load(); n != 0 {
		t.Errorf("the refused hub was pinged %d times", n)
	}
	if err := post(New(Options{AllowPrivate: true}).HTTPClient()); err != nil {
		t.Errorf("with AllowPrivate: %v", err)
	}
}

// TestBasicAuthStaysOnItsHost sends credentials to the feed's host and not
// to the host a redirect leads to.
func TestBasicAuthStaysOnItsHost(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]string{}
	record := func(name string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			seen[name] = r.Header.Get("Authorization")
			mu.Unlock()
			_, _ = w.Write([]byte("<feed/>"))
		}
	}
	// 127.0.0.1 and localhost are two hosts to net/http; localhost is not
	// a subdomain, so Go itself would drop the header: use a second port
	// on the same name, which Go forwards to and we must not.
	other := serve(t, record("other"))
	mux := http.NewServeMux()
	mux.HandleFunc("/feed", record("feed"))
	mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/feed", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/here", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/feed", http.StatusFound)
	})
	own := httptest.NewServer(mux)
	t.Cleanup(own.Close)

	c := New(Options{AllowPrivate: true})
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("alice:s3cret"))
	for _, path := range []string{"/feed", "/here", "/away"} {
		if _, err := c.Get(context.Background(), Request{URL: own.URL + path, Username: "alice", Password: "s3cret"}); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	if seen["feed"] != want {
		t.Errorf("the feed's host got Authorization %q, want %q", seen["feed"], want)
	}
	if seen["other"] != "" {
		t.Errorf("another host got the credentials: %q", seen["other"])
	}
}
