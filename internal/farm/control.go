package farm

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"time"
)

// A farm can run in a child process, so that a benchmark's getrusage and
// memory figures count the program under test and not the farm. The parent
// sends the Options and then one request per line, as JSON, on the child's
// stdin; the child answers each with one line of JSON on its stdout.

type request struct {
	Op       string  `json:"op"` // "change", "stats", "reset" or "cpu"
	Fraction float64 `json:"fraction,omitempty"`
}

type reply struct {
	Error string `json:"error,omitempty"`

	// The answer to the Options.
	URLs      []string `json:"urls,omitempty"`
	Shared    bool     `json:"shared,omitempty"`
	Plain     int64    `json:"plain,omitempty"`
	Gzipped   int64    `json:"gzipped,omitempty"`
	StartTime int64    `json:"start_ns,omitempty"`

	Changed     []string `json:"changed,omitempty"`
	OK          int      `json:"ok,omitempty"`
	NotModified int      `json:"not_modified,omitempty"`
	CPU         int64    `json:"cpu_ns,omitempty"`
}

// Serve runs a farm for a parent process: it reads the Options from r,
// starts the farm, then answers requests until r ends, and closes the farm.
// The child side of Spawn.
func Serve(r io.Reader, w io.Writer) error {
	dec, enc := json.NewDecoder(r), json.NewEncoder(w)
	var opts Options
	if err := dec.Decode(&opts); err != nil {
		return fmt.Errorf("farm: read options: %w", err)
	}
	start := time.Now()
	f, err := Start(opts)
	if err != nil {
		enc.Encode(reply{Error: err.Error()})
		return err
	}
	plain, gz := f.Size()
	hello := reply{URLs: f.URLs(), Shared: f.SharedHost(), Plain: plain, Gzipped: gz, StartTime: int64(time.Since(start))}
	err = enc.Encode(hello)
	if err == nil {
		err = f.serveRequests(dec, enc)
	}
	return errors.Join(err, f.Close())
}

// serveRequests answers requests until dec ends.
func (f *Farm) serveRequests(dec *json.Decoder, enc *json.Encoder) error {
	for {
		var req request
		if err := dec.Decode(&req); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return fmt.Errorf("farm: read request: %w", err)
		}
		if err := enc.Encode(f.answer(req)); err != nil {
			return fmt.Errorf("farm: write: %w", err)
		}
	}
}

func (f *Farm) answer(req request) reply {
	switch req.Op {
	case "change":
		return reply{Changed: f.Change(req.Fraction)}
	case "stats":
		ok, nm := f.Stats()
		return reply{OK: ok, NotModified: nm}
	case "reset":
		f.ResetStats()
		return reply{}
	case "cpu":
		return reply{CPU: int64(ProcessCPU())}
	}
	return reply{Error: fmt.Sprintf("unknown op %q", req.Op)}
}

// Remote is a farm in a child process, driven through Serve's protocol.
type Remote struct {
	in    io.WriteCloser
	dec   *json.Decoder
	enc   *json.Encoder
	wait  func() error
	hello reply
}

// Spawn starts cmd, a program that calls Serve with its stdin and stdout,
// and has it start a farm with opts. It returns once the farm is serving.
func Spawn(cmd *exec.Cmd, opts Options) (*Remote, error) {
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("farm: spawn: %w", err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("farm: spawn: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("farm: spawn: %w", err)
	}
	r, err := dial(in, out, cmd.Wait, opts)
	if err != nil {
		in.Close()
		cmd.Wait()
		return nil, err
	}
	return r, nil
}

// dial sends opts over in and waits for the farm's greeting on out. wait
// reports how the other side ended, once in is closed.
func dial(in io.WriteCloser, out io.Reader, wait func() error, opts Options) (*Remote, error) {
	r := &Remote{in: in, dec: json.NewDecoder(bufio.NewReader(out)), enc: json.NewEncoder(in), wait: wait}
	if err := r.enc.Encode(opts); err != nil {
		return nil, fmt.Errorf("farm: send options: %w", err)
	}
	if err := r.dec.Decode(&r.hello); err != nil {
		return nil, fmt.Errorf("farm: read greeting: %w", err)
	}
	if r.hello.Error != "" {
		return nil, fmt.Errorf("farm: start: %s", r.hello.Error)
	}
	return r, nil
}

func (r *Remote) call(req request) (reply, error) {
	var rep reply
	if err := r.enc.Encode(req); err != nil {
		return rep, fmt.Errorf("farm: %s: %w", req.Op, err)
	}
	if err := r.dec.Decode(&rep); err != nil {
		return rep, fmt.Errorf("farm: %s: %w", req.Op, err)
	}
	if rep.Error != "" {
		return rep, fmt.Errorf("farm: %s: %s", req.Op, rep.Error)
	}
	return rep, nil
}

// URLs returns the feed URLs, in feed order.
func (r *Remote) URLs() []string { return r.hello.URLs }

// SharedHost is Farm.SharedHost.
func (r *Remote) SharedHost() bool { return r.hello.Shared }

// Size is Farm.Size.
func (r *Remote) Size() (plain, gzipped int64) { return r.hello.Plain, r.hello.Gzipped }

// StartTime is how long the farm took to generate its feeds and listen.
func (r *Remote) StartTime() time.Duration { return time.Duration(r.hello.StartTime) }

// Change is Farm.Change.
func (r *Remote) Change(fraction float64) ([]string, error) {
	rep, err := r.call(request{Op: "change", Fraction: fraction})
	return rep.Changed, err
}

// Stats is Farm.Stats.
func (r *Remote) Stats() (ok200, notModified int, err error) {
	rep, err := r.call(request{Op: "stats"})
	return rep.OK, rep.NotModified, err
}

// ResetStats is Farm.ResetStats.
func (r *Remote) ResetStats() error {
	_, err := r.call(request{Op: "reset"})
	return err
}

// CPU returns the user plus system CPU time the farm's process has used, so
// that a benchmark can tell how much of the machine the farm took.
func (r *Remote) CPU() (time.Duration, error) {
	rep, err := r.call(request{Op: "cpu"})
	return time.Duration(rep.CPU), err
}

// Close tells the farm to stop and waits for its process to end.
func (r *Remote) Close() error {
	err := r.in.Close()
	return errors.Join(err, r.wait())
}
