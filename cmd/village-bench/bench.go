package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"

	"github.com/villagefeeds/village/internal/farm"
)

// bench is one run: the options, where to print, the binary under test
// and a scratch directory.
type bench struct {
	o       options
	w       io.Writer
	village string
	dir     string
}

// run prints the figures of every planet size, then of the renders over
// large archives.
func run(ctx context.Context, o options, w io.Writer) (err error) {
	dir, err := os.MkdirTemp("", "village-bench-")
	if err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	b := &bench{o: o, w: w, village: o.village, dir: dir}
	if b.village == "" {
		if b.village, err = buildVillage(ctx, dir); err != nil {
			return err
		}
	}
	b.row("village bench", fmt.Sprintf("%s; %d CPUs (GOMAXPROCS %d), %s; %d loopback hosts, concurrency %d",
		runtime.GOOS+"/"+runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), cpuModel(), o.hosts, o.concurrency))
	var errs []error
	for _, sz := range o.sizes {
		if err := b.planet(ctx, sz); err != nil {
			if ctx.Err() != nil {
				return err
			}
			errs = append(errs, fmt.Errorf("%s: %w", sz, err))
		}
	}
	if len(o.archives) > 0 {
		errs = append(errs, b.archives(ctx))
	}
	return errors.Join(errs...)
}

// planet measures one planet size: the floor, `village fetch`, and
// `village serve` without and with HTTP load, cold; then serve's warm poll.
func (b *bench) planet(ctx context.Context, sz size) error {
	fmt.Fprintln(b.w)
	fm, err := spawnFarm(ctx, b.o, sz)
	if err != nil {
		return err
	}
	defer fm.Close()
	plain, gz := fm.Size()
	b.row(fmt.Sprintf("planet %s", sz), fmt.Sprintf("%d feeds x %d entries, %s (%s gzipped), farm ready in %s",
		sz.feeds, sz.entries, bytesize(plain), bytesize(gz), seconds(fm.StartTime())))
	want := sz.feeds * sz.entries
	fl, err := b.floor(ctx, "  floor", fm.URLs(), want)
	if err != nil {
		return err
	}
	// village stores each of the farm's cross-posts once; the floor does not
	// de-duplicate.
	config, db, err := b.writeConfig("fetch", fm.URLs())
	if err != nil {
		return err
	}
	defer removeDB(db)
	stored := want - farm.CrossPosts(sz.feeds, sz.entries)
	fe, err := b.fetchWith(ctx, "  village fetch", config, stored)
	if err != nil {
		return err
	}
	if err := b.dedup(ctx, fm.URLs(), db, fe, stored); err != nil {
		return err
	}
	quiet, err := b.serve(ctx, fm, sz, false)
	if err != nil {
		return err
	}
	loaded, err := b.serve(ctx, fm, sz, true)
	if err != nil {
		return err
	}
	b.row("  ratios", "fetch/floor "+ratio(fe.wall, fl.wall)+" wall, "+ratio(fe.cpu, fl.cpu)+" CPU",
		"serve/fetch "+ratio(quiet.ingest, fe.wall)+" wall",
		fmt.Sprintf("ingest under load %+.0f%%", 100*(float64(loaded.ingest)/float64(quiet.ingest)-1)))
	return nil
}

// spawnFarm runs the farm in a child process, this same program.
func spawnFarm(ctx context.Context, o options, sz size) (*farm.Remote, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("start farm: %w", err)
	}
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), farmEnv+"=1")
	cmd.Stderr = os.Stderr
	return farm.Spawn(cmd, farm.Options{Feeds: sz.feeds, Entries: sz.entries, Hosts: o.hosts})
}

// floor runs the floor program on urls in a child process and prints its
// row under label.
func (b *bench) floor(ctx context.Context, label string, urls []string, want int) (cost, error) {
	exe, err := os.Executable()
	if err != nil {
		return cost{}, err
	}
	db := filepath.Join(b.dir, "floor.db")
	defer removeDB(db)
	job, _ := json.Marshal(floorJob{URLs: urls, Database: db, Concurrency: b.o.concurrency})
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), floorEnv+"=1")
	cmd.Stdin = strings.NewReader(string(job))
	c, out, err := measure(cmd)
	if err != nil {
		return c, fmt.Errorf("floor: %w", err)
	}
	var res floorResult
	if err := json.Unmarshal(out, &res); err != nil || res.Error != "" {
		return c, fmt.Errorf("floor: %v %s", err, res.Error)
	}
	b.row(label, c.String(), fmt.Sprintf("%d items", res.Items))
	if res.Items != want || res.Failed > 0 {
		b.warn("the floor stored %d items of %d, %d feeds failed", res.Items, want, res.Failed)
	}
	return c, nil
}

// fetch runs `village fetch` cold.
// fetchWith runs a cold `village fetch` of config, prints its row under
// label and checks that it stored want entries (any number when want is
// negative).
func (b *bench) fetchWith(ctx context.Context, label, config string, want int) (cost, error) {
	c, out, err := measure(exec.CommandContext(ctx, b.village, "fetch", "--config", config))
	if err != nil {
		return c, err
	}
	total := regexp.MustCompile(`total: \d+ sources: .*?(\d+) failed; (\d+) new`).FindSubmatch(out)
	if total == nil {
		return c, fmt.Errorf("village fetch printed no total:\n%s", out)
	}
	stored, _ := strconv.Atoi(string(total[2]))
	b.row(label, c.String(), fmt.Sprintf("%d new", stored))
	if (want >= 0 && stored != want) || string(total[1]) != "0" {
		b.warn("village fetch stored %d entries of %d, %s sources failed", stored, want, total[1])
	}
	return c, nil
}

// writeConfig writes feeds.yaml for a planet of urls with its own
// database; extra is added to its settings.
func (b *bench) writeConfig(name string, urls []string, extra ...string) (config, db string, err error) {
	config = filepath.Join(b.dir, name+".yaml")
	db = filepath.Join(b.dir, name+".db")
	var y strings.Builder
	// The farm listens on loopback addresses.
	fmt.Fprintf(&y, "title: Bench\nlink: http://127.0.0.1/\nallow_private_networks: true\ndatabase: %s\nconcurrency: %d\nper_host: %d\n",
		db, b.o.concurrency, min(2, b.o.concurrency))
	y.WriteString(strings.Join(extra, ""))
	y.WriteString("feeds:\n")
	for i, u := range urls {
		fmt.Fprintf(&y, "  - name: Blog %04d\n    url: %s\n", i, u)
	}
	return config, db, os.WriteFile(config, []byte(y.String()), 0o644)
}

func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}

// cpuModel is the processor's name, from /proc/cpuinfo where there is one.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if name, val, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(val)
		}
	}
	return "unknown CPU"
}
