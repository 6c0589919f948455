package fetch

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"sync"
	"syscall"

	"github.com/villagefeeds/village/internal/limit"
)

// blocked are the address ranges a public planet never fetches from: feed
// URLs come from other people, and village publishes what it finds there,
// so an internal service that answers would be exposed, and even its
// error ("connection refused", "not a feed") tells an outsider something.
var blocked = []struct {
	prefix netip.Prefix
	what   string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "this network"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private"},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared (carrier-grade NAT)"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local (cloud metadata)"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignments"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("::/128"), "unspecified"},
	{netip.MustParsePrefix("::1/128"), "loopback"},
	{netip.MustParsePrefix("fc00::/7"), "private (unique local)"},
	{netip.MustParsePrefix("fe80::/10"), "link-local"},
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
	{netip.MustParsePrefix("ff00::/8"), "multicast"},
}

// embedsIPv4 are IPv6 ranges whose last 32 bits are an IPv4 address that a
// translator or the stack may reach: they are judged by that address.
var embedsIPv4 = []netip.Prefix{
	netip.MustParsePrefix("::ffff:0:0/96"), // IPv4-mapped
	netip.MustParsePrefix("::/96"),         // IPv4-compatible (deprecated)
	netip.MustParsePrefix("64:ff9b::/96"),  // NAT64
	netip.MustParsePrefix("64:ff9b:1::/48"),
}

// PrivateAddressError is the error of a connection the guard refused.
type PrivateAddressError struct {
	Addr netip.Addr
	What string // "loopback", "private", ...
}

// Error names the address and the setting that allows it.
func (e *PrivateAddressError) Error() string {
	return fmt.Sprintf("refused to connect to %s, a %s address; set allow_private_networks: true in feeds.yaml to allow it", e.Addr, e.What)
}

// Permanent reports that trying again fails the same way until the
// configuration changes (see websub's retryable).
func (e *PrivateAddressError) Permanent() bool { return true }

// CheckAddr returns a *PrivateAddressError when a is not a public address.
func CheckAddr(a netip.Addr) error {
	a = a.WithZone("")
	if a == netip.IPv6Unspecified() || a == netip.IPv6Loopback() {
		return checkBlocked(a)
	}
	if a.Is6() {
		for _, p := range embedsIPv4 {
			if p.Contains(a) {
				b := a.As16()
				v4 := netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
				if err := CheckAddr(v4); err != nil {
					return &PrivateAddressError{Addr: a, What: err.(*PrivateAddressError).What}
				}
				return nil
			}
		}
	}
	return checkBlocked(a)
}

func checkBlocked(a netip.Addr) error {
	for _, b := range blocked {
		if b.prefix.Contains(a) {
			return &PrivateAddressError{Addr: a, What: b.what}
		}
	}
	return nil
}

// guard is a net.Dialer.ControlContext that refuses non-public addresses.
// It runs after name resolution, on the very address the socket is about
// to connect to, for every connection: a name that resolves to a public
// address for a check and to 127.0.0.1 for the connection (DNS rebinding),
// or a redirect to an internal host, meets it all the same.
type guard struct {
	// exempt lets one test server through so that a test can show a
	// redirect from it being refused; nil outside tests.
	exempt func(netip.AddrPort) bool
}

func (g guard) control(_ context.Context, network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("guard: %s %q: %w", network, address, err)
	}
	if g.exempt != nil && g.exempt(ap) {
		return nil
	}
	return CheckAddr(ap.Addr())
}

// dialer returns the transport's dial and proxy functions with the
// guard on. A proxy the environment names (HTTPS_PROXY...) is dialled
// without it: the planet's operator chose it, and it may well sit on a
// private network. The proxy resolves the feed's host itself, so a proxied
// request is checked here, before it is sent, by resolving the name; that
// check cannot see a DNS rebinding between it and the proxy's own lookup.
func (g guard) dialer(d *net.Dialer) (func(context.Context, string, string) (net.Conn, error), func(*http.Request) (*url.URL, error)) {
	guarded := *d
	guarded.ControlContext = g.control
	var proxies sync.Map // host:port of the proxies in use -> true
	proxy := func(req *http.Request) (*url.URL, error) {
		u, err := http.ProxyFromEnvironment(req)
		if u == nil || err != nil {
			return u, err
		}
		if err := checkHost(req.Context(), req.URL.Hostname()); err != nil {
			return nil, err
		}
		proxies.Store(limit.HostKey(u.String()), true)
		return u, nil
	}
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		if _, ok := proxies.Load(addr); ok {
			return d.DialContext(ctx, network, addr)
		}
		return guarded.DialContext(ctx, network, addr)
	}
	return dial, proxy
}

// checkHost resolves host and checks every address it has.
func checkHost(ctx context.Context, host string) error {
	if a, err := netip.ParseAddr(host); err == nil {
		return CheckAddr(a)
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return err
	}
	for _, a := range addrs {
		if err := CheckAddr(a); err != nil {
			return err
		}
	}
	return nil
}
