package farm

import (
	"io"
	"net/http"
	"testing"
)

// TestRemote drives a farm through the child-process protocol over pipes.
func TestRemote(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	served := make(chan error, 1)
	go func() {
		err := Serve(inR, outW)
		outW.Close()
		served <- err
	}()
	r, err := dial(inW, outR, func() error { return <-served }, Options{Feeds: 10, Entries: 2, Hosts: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(r.URLs()); got != 10 {
		t.Fatalf("URLs: %d, want 10", got)
	}
	if plain, gz := r.Size(); plain <= gz || gz <= 0 {
		t.Errorf("Size() = %d, %d", plain, gz)
	}
	if resp := get(t, r.URLs()[3]); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET: %s", resp.Status)
	}
	if ok, nm, err := r.Stats(); err != nil || ok != 1 || nm != 0 {
		t.Errorf("Stats() = %d, %d, %v; want 1, 0", ok, nm, err)
	}
	if err := r.ResetStats(); err != nil {
		t.Fatal(err)
	}
	if ok, _, err := r.Stats(); err != nil || ok != 0 {
		t.Errorf("after reset, Stats() = %d, %v", ok, err)
	}
	if urls, err := r.Change(0.3); err != nil || len(urls) != 3 {
		t.Errorf("Change(0.3) = %q, %v; want 3 URLs", urls, err)
	}
	if _, err := r.call(request{Op: "explode"}); err == nil {
		t.Error("unknown op: no error")
	}
	if _, err := r.CPU(); err != nil {
		t.Error(err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

func TestRemoteStartError(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	go func() {
		Serve(inR, outW)
		outW.Close()
	}()
	if _, err := dial(inW, outR, func() error { return nil }, Options{Hosts: 1000}); err == nil {
		t.Error("dial with bad options: no error")
	}
}
