package config

import (
	"os"
	"path/filepath"
	"strings"
)

// DefaultConnections bounds the requests waiting on the network at once. It
// is well above concurrency on purpose: a connection to a host that never
// answers costs a socket, not CPU, and must not keep healthy hosts waiting.
const (
	DefaultConnections = 64
	MaxConnections     = 1024
)

func init() {
	topKeys["allow_private_networks"] = func(d *decoder, c *Config, f field) {
		setBool(d, f, &c.AllowPrivateNetworks)
	}
	topKeys["secret_params"] = func(d *decoder, c *Config, f field) { c.SecretParams = d.secretParams(f) }
	topKeys["connections"] = func(d *decoder, c *Config, f field) {
		setInt(d, f, &c.Connections, 1, MaxConnections)
	}
}

// secretParams decodes the extra query parameter names to hide.
func (d *decoder) secretParams(f field) []string {
	var out []string
	d.each(f, func(p field) {
		s, ok := d.str(p)
		switch {
		case !ok:
			d.add(p.val, p.path, "expected a parameter name")
		case strings.ContainsAny(s, "=&?# "):
			d.add(p.val, p.path, "%s is not a query parameter name", quote(s))
		default:
			out = append(out, strings.ToLower(s))
		}
	})
	return out
}

// credential decodes a feed's username, password_file and password_env
// into feed. The password is read now, so that `village check` and a
// reload report a missing file or variable with its line, and a running
// daemon keeps the credentials it has if a later edit breaks them.
func (d *decoder) credential(feed *Feed, f field) {
	switch f.name {
	case "username":
		setStr(d, f, &feed.Username)
	case "password_file":
		name, ok := d.str(f)
		if !ok {
			return
		}
		file := d.resolve(name, f)
		if abs, err := filepath.Abs(file); err == nil {
			feed.PasswordFile = abs
		}
		b, err := os.ReadFile(file)
		if err != nil {
			d.add(f.val, f.path, "cannot read the password: %v", err)
			return
		}
		feed.Password = strings.TrimRight(string(b), "\r\n")
	case "password_env":
		name, ok := d.str(f)
		if !ok {
			return
		}
		v, set := os.LookupEnv(name)
		if !set {
			d.add(f.val, f.path, "the environment variable %s is not set", name)
			return
		}
		feed.Password = v
	}
}

// checkCredentials reports a password without a username, a username
// without a password, both password keys at once, and a username beside
// credentials written in the URL.
func (d *decoder) checkCredentials(feed *Feed, fields []field, path string) {
	var user, file, env *field
	for i := range fields {
		switch fields[i].name {
		case "username":
			user = &fields[i]
		case "password_file":
			file = &fields[i]
		case "password_env":
			env = &fields[i]
		}
	}
	switch {
	case file != nil && env != nil:
		d.add(env.key, env.path, "give password_file or password_env, not both")
	case user == nil && (file != nil || env != nil):
		pw := file
		if pw == nil {
			pw = env
		}
		d.add(pw.key, join(path, "username"), "missing: a password needs a username")
	case user != nil && file == nil && env == nil:
		d.add(user.key, join(path, "password_file"), "missing: give password_file or password_env with username")
	case user != nil && strings.Contains(authority(feed.URL), "@"):
		d.add(user.key, user.path, "the url already has a user name; keep one of the two")
	}
}

// authority is the user:password@host:port part of an absolute URL.
func authority(raw string) string {
	_, rest, _ := strings.Cut(raw, "://")
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	return rest
}
