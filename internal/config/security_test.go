package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseSecurityKeys(t *testing.T) {
	c := mustParse(t, oneFeed+"allow_private_networks: true\nsecret_params: [Session, x_sig]\nconnections: 200\n")
	if !c.AllowPrivateNetworks || c.Connections != 200 || !reflect.DeepEqual(c.SecretParams, []string{"session", "x_sig"}) {
		t.Errorf("got allow=%v connections=%d secret_params=%q", c.AllowPrivateNetworks, c.Connections, c.SecretParams)
	}
	if c := mustParse(t, oneFeed); c.AllowPrivateNetworks {
		t.Error("allow_private_networks must default to false")
	}
}

const credentials = `feeds:
  - url: https://a.example/feed
    username: alice
    password_file: pw
  - url: https://b.example/feed
    username: bob
    password_env: VILLAGE_TEST_PW
`

func TestParseCredentials(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "feeds.yaml")
	if err := os.WriteFile(filepath.Join(dir, "pw"), []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("VILLAGE_TEST_PW", "from-env")
	c, err := Parse([]byte(credentials), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if f := c.Feeds[0]; f.Username != "alice" || f.Password != "s3cret" {
		t.Errorf("feeds[0]: %q/%q", f.Username, f.Password)
	}
	if f := c.Feeds[1]; f.Username != "bob" || f.Password != "from-env" {
		t.Errorf("feeds[1]: %q/%q", f.Username, f.Password)
	}
	// The daemon watches the file: its absolute path, once.
	if got, want := c.PasswordFiles(), []string{filepath.Join(dir, "pw")}; !reflect.DeepEqual(got, want) {
		t.Errorf("PasswordFiles() = %q, want %q", got, want)
	}

	// A new password is a change of the source's password, by name only.
	if err := os.WriteFile(filepath.Join(dir, "pw"), []byte("rotated\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	again, err := Parse([]byte(credentials), cfg)
	if err != nil {
		t.Fatal(err)
	}
	d := Diff(c, again)
	if len(d.Changed) != 1 || !reflect.DeepEqual(d.Changed[0].Fields, []string{"password"}) {
		t.Errorf("after the rotation: changed %+v, want feeds[0]'s password", d.Changed)
	}
}

func TestParseSecurityErrors(t *testing.T) {
	t.Setenv("VILLAGE_TEST_UNSET", "")
	os.Unsetenv("VILLAGE_TEST_UNSET")
	tests := []struct{ name, yml, want string }{
		{"bool", oneFeed + "allow_private_networks: yes\n", `feeds.yaml:3: allow_private_networks: expected true or false, got "yes"`},
		{"connections", oneFeed + "connections: 0\n", "feeds.yaml:3: connections: must be between 1 and 1024, got 0"},
		{"secret_params scalar", oneFeed + "secret_params: token\n", `feeds.yaml:3: secret_params: expected a list, got "token"`},
		{"secret_params value", oneFeed + "secret_params: [a=b]\n", `feeds.yaml:3: secret_params[0]: "a=b" is not a query parameter name`},
		{"missing file", "feeds:\n  - url: https://a.example/\n    username: a\n    password_file: /nonexistent/pw\n",
			"feeds.yaml:4: feeds[0].password_file: cannot read the password: open /nonexistent/pw: no such file or directory"},
		{"unset env", "feeds:\n  - url: https://a.example/\n    username: a\n    password_env: VILLAGE_TEST_UNSET\n",
			"feeds.yaml:4: feeds[0].password_env: the environment variable VILLAGE_TEST_UNSET is not set"},
		{"password without user", "feeds:\n  - url: https://a.example/\n    password_env: HOME\n",
			"feeds.yaml:3: feeds[0].username: missing: a password needs a username"},
		{"user without password", "feeds:\n  - url: https://a.example/\n    username: a\n",
			"feeds.yaml:3: feeds[0].password_file: missing: give password_file or password_env with username"},
		{"both passwords", "feeds:\n  - url: https://a.example/\n    username: a\n    password_env: HOME\n    password_file: /dev/null\n",
			"feeds.yaml:4: feeds[0].password_env: give password_file or password_env, not both"},
		{"user twice", "feeds:\n  - url: https://x:y@a.example/\n    username: a\n    password_env: HOME\n",
			"feeds.yaml:3: feeds[0].username: the url already has a user name; keep one of the two"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yml), cfgPath)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v\nwant %s", err, tt.want)
			}
		})
	}
}
